// The SQL behind `sst report --html`. Every query aggregates in ClickHouse and returns a bounded
// number of rows (LIMIT, with the total number of groups from `count() OVER ()` so the page can say
// how many were left out): the report costs the same few round trips on a 10M-span store as on a
// demo. User input (subject ids, limits) is always a bound parameter; only the validated
// database/table identifiers are spliced in.
import type { Row, Store } from './client';

/** A bounded list: the rows shown and how many groups exist in all. */
export interface Bounded<T> {
  rows: T[];
  total: number;
}

export interface HtmlTotals {
  subjects: number;
  categoriesCollected: string[];
  categoriesStored: string[];
  thirdParties: number;
  shareSpans: number;
  thirdPartyShareSpans: number;
  detectionErrors: number;
  truncated: number;
  truncatedByFlow: Record<string, number>;
}

/** One band of the flow diagram: a category reaching a destination (or a database). */
export interface FlowEdge {
  category: string;
  /** `share` to a destination, `store` into a database. */
  flow: 'share' | 'store';
  /** Catalog vendor, or the host when the vendor is unknown; the database target for stores. */
  destination: string;
  kind: string;
  thirdParty: boolean;
  spans: number;
  subjects: number;
}

export interface ShareRow {
  vendor: string;
  host: string;
  kind: string;
  thirdParty: boolean;
  categories: string[];
  /** `category: transform` pairs from the sst.match events (how each category travelled). */
  transforms: string[];
  services: string[];
  subjects: number;
  spans: number;
  firstSeen: string;
  lastSeen: string;
}

/** Where categories came in (collect), were written (store) or read back (load). */
export interface FieldRow {
  flow: 'collect' | 'store' | 'load';
  service: string;
  /** `METHOD route` for collect, `db/namespace/table` for store and load. */
  target: string;
  category: string;
  fields: string[];
  spans: number;
  subjects: number;
}

export interface SubjectPick {
  fingerprint: string;
  destinations: number;
  spans: number;
}

/** One step of a subject's path: a flow × service × target, with when it was first/last seen. */
export interface TimelineStep {
  flow: string;
  service: string;
  target: string;
  vendor: string;
  kind: string;
  thirdParty: boolean;
  categories: string[];
  fields: string[];
  transforms: string[];
  spans: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ErrorRow {
  message: string;
  spans: number;
  services: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface HtmlLimits {
  /** Flow diagram edges fetched (the layout aggregates further). */
  edges: number;
  shares: number;
  fields: number;
  errors: number;
  timelineSteps: number;
  /** Values kept per array cell (categories, fields, transforms). */
  perCell: number;
}

export const DEFAULT_HTML_LIMITS: HtmlLimits = { edges: 2000, shares: 200, fields: 300, errors: 50, timelineSteps: 60, perCell: 20 };

const FLOW_RANK = "indexOf(['collect', 'store', 'load', 'share'], SstFlow)";
const num = (v: unknown): number => Number(v ?? 0);
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const totalOf = (rows: Row[]): number => (rows.length ? num(rows[0].total_groups) : 0);

const table = (s: Store): string => `${s.database}.${s.table}`;

export async function htmlTotals(store: Store): Promise<HtmlTotals> {
  const [r] = await store.query(`
    SELECT uniqExactArrayIf(SstSubjects, SstFlow != '') AS subjects,
           arraySort(groupUniqArrayArrayIf(CAST(SstCategories, 'Array(String)'), SstFlow = 'collect')) AS collected,
           arraySort(groupUniqArrayArrayIf(CAST(SstCategories, 'Array(String)'), SstFlow = 'store')) AS stored,
           uniqExactIf(if(SstDestinationVendor IN ('', 'unknown'), SstDestinationHost, SstDestinationVendor), SstFlow = 'share' AND SstThirdParty) AS third_parties,
           countIf(SstFlow = 'share') AS share_spans,
           countIf(SstFlow = 'share' AND SstThirdParty) AS third_party_share_spans,
           countIf(SstError != '') AS errors,
           countIf(SstTruncated) AS truncated,
           countIf(SstTruncated AND SstFlow = 'collect') AS t_collect,
           countIf(SstTruncated AND SstFlow = 'store') AS t_store,
           countIf(SstTruncated AND SstFlow = 'load') AS t_load,
           countIf(SstTruncated AND SstFlow = 'share') AS t_share,
           countIf(SstTruncated AND SstFlow = '') AS t_none
    FROM ${table(store)}
    WHERE SstFlow != '' OR SstError != '' OR SstTruncated`);
  const truncatedByFlow: Record<string, number> = {};
  for (const [k, col] of [['collect', 't_collect'], ['store', 't_store'], ['load', 't_load'], ['share', 't_share'], ['(no flow)', 't_none']] as const) {
    const n = num(r?.[col]);
    if (n) truncatedByFlow[k] = n;
  }
  return {
    subjects: num(r?.subjects), categoriesCollected: strs(r?.collected), categoriesStored: strs(r?.stored),
    thirdParties: num(r?.third_parties), shareSpans: num(r?.share_spans), thirdPartyShareSpans: num(r?.third_party_share_spans),
    detectionErrors: num(r?.errors), truncated: num(r?.truncated), truncatedByFlow,
  };
}

/** Category → destination weights for the flow diagram, heaviest first. Shares go to a vendor
 *  (or the host when the catalog does not know it); stores go to their database target. */
export async function flowEdges(store: Store, limit = DEFAULT_HTML_LIMITS.edges): Promise<Bounded<FlowEdge>> {
  const rows = await store.query(`
    SELECT toString(Category) AS category, SstFlow AS flow,
           if(SstFlow = 'store', toString(SstTarget),
              if(SstDestinationVendor IN ('', 'unknown'), toString(SstDestinationHost), toString(SstDestinationVendor))) AS destination,
           if(SstFlow = 'store', 'database', toString(SstDestinationKind)) AS kind,
           (SstFlow = 'share' AND SstThirdParty) AS third_party,
           count() AS spans, uniqExactArray(SstSubjects) AS subjects,
           count() OVER () AS total_groups
    FROM ${table(store)} ARRAY JOIN SstCategories AS Category
    WHERE SstFlow IN ('share', 'store')
    GROUP BY category, flow, destination, kind, third_party
    ORDER BY spans DESC, category, destination
    LIMIT {limit:UInt32}`, { limit });
  return {
    total: totalOf(rows),
    rows: rows.map((r) => ({
      category: String(r.category), flow: r.flow === 'store' ? 'store' : 'share', destination: String(r.destination),
      kind: String(r.kind), thirdParty: bool(r.third_party), spans: num(r.spans), subjects: num(r.subjects),
    })),
  };
}

/** Shares by destination host: third parties first, then by volume. */
export async function shareRows(store: Store, limits: HtmlLimits = DEFAULT_HTML_LIMITS): Promise<Bounded<ShareRow>> {
  const rows = await store.query(`
    SELECT toString(SstDestinationVendor) AS vendor, toString(SstDestinationHost) AS host, toString(SstDestinationKind) AS kind,
           SstThirdParty AS third_party,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(CAST(SstCategories, 'Array(String)'))) AS categories,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(
             arrayMap(e -> concat(toString(e.category), ': ', toString(e.transform)), arrayFilter(e -> e.transform != '', SstEvents)))) AS pairs,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(CAST(SstTransforms, 'Array(String)'))) AS transforms,
           arraySort(groupUniqArray({per_cell:UInt32})(toString(ServiceName))) AS services,
           uniqExactArray(SstSubjects) AS subjects, count() AS spans,
           toUnixTimestamp64Milli(min(Timestamp)) AS first_ms, toUnixTimestamp64Milli(max(Timestamp)) AS last_ms,
           count() OVER () AS total_groups
    FROM ${table(store)}
    WHERE SstFlow = 'share'
    GROUP BY vendor, host, kind, third_party
    ORDER BY third_party DESC, spans DESC, vendor, host
    LIMIT {limit:UInt32}`, { limit: limits.shares, per_cell: limits.perCell });
  return {
    total: totalOf(rows),
    rows: rows.map((r) => {
      // Events are capped per span (sst.truncated); the span-level transforms stand in then.
      const pairs = strs(r.pairs);
      return {
        vendor: String(r.vendor), host: String(r.host), kind: String(r.kind), thirdParty: bool(r.third_party),
        categories: strs(r.categories), transforms: pairs.length ? pairs : strs(r.transforms), services: strs(r.services),
        subjects: num(r.subjects), spans: num(r.spans), firstSeen: iso(r.first_ms), lastSeen: iso(r.last_ms),
      };
    }),
  };
}

/** Which categories come in / are written / are read, through which fields, per endpoint or table.
 *  Categories and fields come from the sst.tag / sst.match events; a span whose events were capped
 *  still counts through its category list (fields then unknown). */
export async function fieldRows(store: Store, limits: HtmlLimits = DEFAULT_HTML_LIMITS): Promise<Bounded<FieldRow>> {
  const rows = await store.query(`
    SELECT SstFlow AS flow, toString(ServiceName) AS service, toString(SstTarget) AS target, toString(Category) AS category,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(
             arrayFilter(f -> f != '', arrayMap(e -> if(toString(e.category) = toString(Category), e.field, ''), SstEvents)))) AS fields,
           count() AS spans, uniqExactArray(SstSubjects) AS subjects,
           count() OVER () AS total_groups
    FROM ${table(store)} ARRAY JOIN SstCategories AS Category
    WHERE SstFlow IN ('collect', 'store', 'load')
    GROUP BY flow, service, target, category
    ORDER BY indexOf(['collect', 'store', 'load'], flow), service, target, spans DESC, category
    LIMIT {limit:UInt32}`, { limit: limits.fields, per_cell: limits.perCell });
  return {
    total: totalOf(rows),
    rows: rows.map((r) => ({
      flow: r.flow === 'store' ? 'store' : r.flow === 'load' ? 'load' : 'collect', service: String(r.service), target: String(r.target),
      category: String(r.category), fields: strs(r.fields), spans: num(r.spans), subjects: num(r.subjects),
    })),
  };
}

/** The subjects whose data reached the most distinct destinations (ties: more share spans). */
export async function topSubjects(store: Store, n: number): Promise<SubjectPick[]> {
  if (n <= 0) return [];
  const rows = await store.query(`
    SELECT Subject AS fingerprint,
           uniqExact(if(SstDestinationVendor IN ('', 'unknown'), SstDestinationHost, SstDestinationVendor)) AS destinations,
           count() AS spans
    FROM ${table(store)} ARRAY JOIN SstSubjects AS Subject
    WHERE SstFlow = 'share'
    GROUP BY Subject
    ORDER BY destinations DESC, spans DESC, Subject
    LIMIT {n:UInt32}`, { n });
  return rows.map((r) => ({ fingerprint: String(r.fingerprint), destinations: num(r.destinations), spans: num(r.spans) }));
}

/** Everything recorded for one id, one step per flow × service × target, in time order
 *  (collect → store → load → share breaks ties): the spans that carry the value, and the spans that
 *  name it as their subject (e.g. a share of only the phone of the person with this email). */
export async function subjectTimeline(store: Store, fingerprint: string, limits: HtmlLimits = DEFAULT_HTML_LIMITS): Promise<Bounded<TimelineStep>> {
  const rows = await store.query(`
    SELECT SstFlow AS flow, toString(ServiceName) AS service, toString(SstTarget) AS target,
           toString(SstDestinationVendor) AS vendor, toString(SstDestinationKind) AS kind, SstThirdParty AS third_party,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(CAST(SstCategories, 'Array(String)'))) AS categories,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(SstFields)) AS fields,
           arraySort(groupUniqArrayArray({per_cell:UInt32})(CAST(SstTransforms, 'Array(String)'))) AS transforms,
           count() AS spans,
           toUnixTimestamp64Milli(min(Timestamp)) AS first_ms, toUnixTimestamp64Milli(max(Timestamp)) AS last_ms,
           any(${FLOW_RANK}) AS flow_rank,
           count() OVER () AS total_groups
    FROM ${table(store)}
    WHERE (has(SstFingerprints, {fp:String}) OR has(SstSubjects, {fp:String})) AND SstFlow != ''
    GROUP BY flow, service, target, vendor, kind, third_party
    ORDER BY first_ms, flow_rank, service, target
    LIMIT {limit:UInt32}`, { fp: fingerprint, limit: limits.timelineSteps, per_cell: limits.perCell });
  return {
    total: totalOf(rows),
    rows: rows.map((r) => ({
      flow: String(r.flow), service: String(r.service), target: String(r.target), vendor: String(r.vendor), kind: String(r.kind),
      thirdParty: bool(r.third_party), categories: strs(r.categories), fields: strs(r.fields), transforms: strs(r.transforms),
      spans: num(r.spans), firstSeen: iso(r.first_ms), lastSeen: iso(r.last_ms),
    })),
  };
}

/** Detection failures grouped by message, most frequent first. */
export async function errorRows(store: Store, limits: HtmlLimits = DEFAULT_HTML_LIMITS): Promise<Bounded<ErrorRow>> {
  const rows = await store.query(`
    SELECT SstError AS message, count() AS spans,
           arraySort(groupUniqArray({per_cell:UInt32})(toString(ServiceName))) AS services,
           toUnixTimestamp64Milli(min(Timestamp)) AS first_ms, toUnixTimestamp64Milli(max(Timestamp)) AS last_ms,
           count() OVER () AS total_groups
    FROM ${table(store)}
    WHERE SstError != ''
    GROUP BY message
    ORDER BY spans DESC, message
    LIMIT {limit:UInt32}`, { limit: limits.errors, per_cell: limits.perCell });
  return {
    total: totalOf(rows),
    rows: rows.map((r) => ({
      message: String(r.message), spans: num(r.spans), services: strs(r.services), firstSeen: iso(r.first_ms), lastSeen: iso(r.last_ms),
    })),
  };
}
