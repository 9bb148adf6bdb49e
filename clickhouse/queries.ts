// The questions the CLI answers, as SQL over otel_traces and the SST views. Every user input is a
// bound parameter; only the database/table identifiers (validated plain names) are spliced in.
import type { Store } from './client';

export interface ReportTotals {
  spans: number;
  sstSpans: number;
  collect: number;
  store: number;
  load: number;
  share: number;
  thirdPartyShares: number;
  detectionErrors: number;
  services: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface CategoryLine {
  category: string;
  collectSpans: number;
  storeSpans: number;
  loadSpans: number;
  shareSpans: number;
  thirdPartyShares: number;
  valuesCollected: number;
  valuesShared: number;
  vendors: string[];
}

export interface DestinationLine {
  vendor: string;
  kind: string;
  host: string;
  thirdParty: boolean;
  shares: number;
  categories: string[];
  values: number;
  subjects: number;
  services: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface ReportData {
  totals: ReportTotals;
  categories: CategoryLine[];
  destinations: DestinationLine[];
}

export interface ShareFilter {
  vendor?: string;
  category?: string;
  /** Only shares at or after this instant (ms since the epoch). */
  sinceMs?: number;
  limit?: number;
}

export interface ShareLine {
  time: string;
  service: string;
  vendor: string;
  kind: string;
  host: string;
  thirdParty: boolean;
  categories: string[];
  transforms: string[];
  fields: string[];
  matches: number;
  traceId: string;
  spanId: string;
}

export interface LineageStep {
  fingerprint: string;
  flow: string;
  service: string;
  target: string;
  vendor: string;
  kind: string;
  thirdParty: boolean;
  firstSeen: string;
  lastSeen: string;
  spans: number;
  traces: number;
  categories: string[];
  fields: string[];
  transforms: string[];
  isSubject: boolean;
  traceIds: string[];
}

export interface LineageSpan {
  time: string;
  fingerprint: string;
  flow: string;
  service: string;
  target: string;
  vendor: string;
  thirdParty: boolean;
  categories: string[];
  fields: string[];
  transforms: string[];
  traceId: string;
  spanId: string;
}

/** Flow order for ties in time: the path goes collect → store → load → share. */
const FLOW_RANK = "indexOf(['collect', 'store', 'load', 'share'], Flow)";

const num = (v: unknown): number => Number(v ?? 0);
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();

export async function report(store: Store): Promise<ReportData> {
  const db = store.database;
  const t = `${db}.${store.table}`;
  const [tot] = await store.query(`
    SELECT count() AS spans,
           countIf(SstFlow != '') AS sst_spans,
           countIf(SstFlow = 'collect') AS collect,
           countIf(SstFlow = 'store') AS store,
           countIf(SstFlow = 'load') AS load,
           countIf(SstFlow = 'share') AS share,
           countIf(SstFlow = 'share' AND SstThirdParty) AS third_party_shares,
           countIf(SstError != '') AS detection_errors,
           arraySort(groupUniqArrayIf(ServiceName, SstFlow != '')) AS services,
           toUnixTimestamp64Milli(minIf(Timestamp, SstFlow != '')) AS first_ms,
           toUnixTimestamp64Milli(maxIf(Timestamp, SstFlow != '')) AS last_ms
    FROM ${t}`);
  const sstSpans = num(tot?.sst_spans);
  const totals: ReportTotals = {
    spans: num(tot?.spans), sstSpans, collect: num(tot?.collect), store: num(tot?.store), load: num(tot?.load),
    share: num(tot?.share), thirdPartyShares: num(tot?.third_party_shares), detectionErrors: num(tot?.detection_errors),
    services: strs(tot?.services),
    firstSeen: sstSpans ? iso(tot?.first_ms) : null,
    lastSeen: sstSpans ? iso(tot?.last_ms) : null,
  };

  const spanRows = await store.query(`
    SELECT Category AS category,
           countIf(SstFlow = 'collect') AS collect_spans,
           countIf(SstFlow = 'store') AS store_spans,
           countIf(SstFlow = 'load') AS load_spans,
           countIf(SstFlow = 'share') AS share_spans,
           countIf(SstFlow = 'share' AND SstThirdParty) AS third_party_shares,
           arraySort(groupUniqArrayIf(SstDestinationVendor, SstFlow = 'share')) AS vendors
    FROM ${t} ARRAY JOIN SstCategories AS Category
    WHERE SstFlow != ''
    GROUP BY Category ORDER BY Category`);
  const valueRows = await store.query(`
    SELECT c AS category,
           uniqExactIf(Fingerprint, Flow = 'collect') AS values_collected,
           uniqExactIf(Fingerprint, Flow = 'share') AS values_shared
    FROM ${db}.sst_fingerprint_flows ARRAY JOIN Categories AS c
    GROUP BY c`);
  const values = new Map(valueRows.map((r) => [String(r.category), r]));
  const categories: CategoryLine[] = spanRows.map((r) => {
    const v = values.get(String(r.category));
    return {
      category: String(r.category), collectSpans: num(r.collect_spans), storeSpans: num(r.store_spans),
      loadSpans: num(r.load_spans), shareSpans: num(r.share_spans), thirdPartyShares: num(r.third_party_shares),
      valuesCollected: num(v?.values_collected), valuesShared: num(v?.values_shared), vendors: strs(r.vendors),
    };
  });

  const destRows = await store.query(`
    SELECT SstDestinationVendor AS vendor, SstDestinationKind AS kind, SstDestinationHost AS host,
           SstThirdParty AS third_party, count() AS shares,
           arraySort(groupUniqArrayArray(SstCategories)) AS categories,
           uniqExactArray(SstFingerprints) AS values, uniqExactArray(SstSubjects) AS subjects,
           arraySort(groupUniqArray(ServiceName)) AS services,
           toUnixTimestamp64Milli(min(Timestamp)) AS first_ms, toUnixTimestamp64Milli(max(Timestamp)) AS last_ms
    FROM ${t}
    WHERE SstFlow = 'share'
    GROUP BY vendor, kind, host, third_party
    ORDER BY third_party DESC, shares DESC, vendor, host`);
  const destinations: DestinationLine[] = destRows.map((r) => ({
    vendor: String(r.vendor), kind: String(r.kind), host: String(r.host), thirdParty: bool(r.third_party),
    shares: num(r.shares), categories: strs(r.categories), values: num(r.values), subjects: num(r.subjects),
    services: strs(r.services), firstSeen: iso(r.first_ms), lastSeen: iso(r.last_ms),
  }));
  return { totals, categories, destinations };
}

export async function shares(store: Store, f: ShareFilter): Promise<ShareLine[]> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: Math.max(1, Math.min(f.limit ?? 100, 1_000_000)) };
  if (f.vendor) { where.push('(DestinationVendor = {vendor:String} OR DestinationHost = {vendor:String})'); params.vendor = f.vendor; }
  if (f.category) { where.push('has(Categories, {category:String})'); params.category = f.category; }
  if (f.sinceMs !== undefined) { where.push('Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64})'); params.since_ms = Math.floor(f.sinceMs); }
  const rows = await store.query(`
    SELECT toUnixTimestamp64Milli(Timestamp) AS ms, ServiceName AS service, DestinationVendor AS vendor,
           DestinationKind AS kind, DestinationHost AS host, ThirdParty AS third_party,
           Categories AS categories, Transforms AS transforms, Fields AS fields, MatchCount AS matches,
           TraceId AS trace_id, SpanId AS span_id
    FROM ${store.database}.sst_shares
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY Timestamp DESC
    LIMIT {limit:UInt32}`, params);
  return rows.map((r) => ({
    time: iso(r.ms), service: String(r.service), vendor: String(r.vendor), kind: String(r.kind), host: String(r.host),
    thirdParty: bool(r.third_party), categories: strs(r.categories), transforms: strs(r.transforms), fields: strs(r.fields),
    matches: num(r.matches), traceId: String(r.trace_id), spanId: String(r.span_id),
  }));
}

/** The path of the given fingerprints: one step per flow × service × destination, in time order.
 *  `has/hasAny` on the span's fingerprint list lets the skip index pick the granules. */
export async function lineage(store: Store, fingerprints: string[]): Promise<LineageStep[]> {
  if (fingerprints.length === 0) return [];
  const rows = await store.query(`
    SELECT Fingerprint AS fingerprint, Flow AS flow, ServiceName AS service, Target AS target,
           DestinationVendor AS vendor, DestinationKind AS kind, ThirdParty AS third_party,
           toUnixTimestamp64Milli(min(Timestamp)) AS first_ms, toUnixTimestamp64Milli(max(Timestamp)) AS last_ms,
           count() AS spans, uniqExact(TraceId) AS traces,
           arraySort(groupUniqArrayArray(Categories)) AS categories,
           arraySort(groupUniqArrayArray(Fields)) AS fields,
           arraySort(groupUniqArrayArray(Transforms)) AS transforms,
           max(IsSubject) AS is_subject,
           arraySort(groupUniqArray(16)(TraceId)) AS trace_ids,
           any(${FLOW_RANK}) AS flow_rank
    FROM ${store.database}.sst_fingerprint_flows
    WHERE hasAny(Fingerprints, {fps:Array(String)}) AND has({fps:Array(String)}, Fingerprint)
    GROUP BY Fingerprint, Flow, ServiceName, Target, DestinationHost, DestinationVendor, DestinationKind, ThirdParty
    ORDER BY first_ms, flow_rank, service, target`, { fps: fingerprints });
  return rows.map((r) => ({
    fingerprint: String(r.fingerprint), flow: String(r.flow), service: String(r.service), target: String(r.target),
    vendor: String(r.vendor), kind: String(r.kind), thirdParty: bool(r.third_party),
    firstSeen: iso(r.first_ms), lastSeen: iso(r.last_ms), spans: num(r.spans), traces: num(r.traces),
    categories: strs(r.categories), fields: strs(r.fields), transforms: strs(r.transforms),
    isSubject: bool(r.is_subject), traceIds: strs(r.trace_ids),
  }));
}

/** Every span that carried the fingerprints, in time order (capped). */
export async function lineageSpans(store: Store, fingerprints: string[], limit = 1000): Promise<LineageSpan[]> {
  if (fingerprints.length === 0) return [];
  const rows = await store.query(`
    SELECT toUnixTimestamp64Milli(Timestamp) AS ms, Fingerprint AS fingerprint, Flow AS flow,
           ServiceName AS service, Target AS target, DestinationVendor AS vendor, ThirdParty AS third_party,
           Categories AS categories, Fields AS fields, Transforms AS transforms, TraceId AS trace_id, SpanId AS span_id
    FROM ${store.database}.sst_fingerprint_flows
    WHERE hasAny(Fingerprints, {fps:Array(String)}) AND has({fps:Array(String)}, Fingerprint)
    ORDER BY Timestamp, ${FLOW_RANK}
    LIMIT {limit:UInt32}`, { fps: fingerprints, limit });
  return rows.map((r) => ({
    time: iso(r.ms), fingerprint: String(r.fingerprint), flow: String(r.flow), service: String(r.service),
    target: String(r.target), vendor: String(r.vendor), thirdParty: bool(r.third_party), categories: strs(r.categories),
    fields: strs(r.fields), transforms: strs(r.transforms), traceId: String(r.trace_id), spanId: String(r.span_id),
  }));
}
