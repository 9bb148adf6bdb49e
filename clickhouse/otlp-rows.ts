// OTLP-JSON ExportTraceServiceRequest → otel_traces rows, with the clickhouseexporter's mapping:
// Timestamp from the start time, Duration = end − start in ns, SpanKind / StatusCode as pdata's
// String() names, ids in lowercase hex ('' when all zero, so roots have ParentSpanId ''),
// ServiceName from the resource's service.name, attribute maps in their original order.
import { anyValueText, attributePairs, wellFormed, type OtlpKeyValue } from './otlp-value';

export type Pairs = Array<[string, string]>;

export interface SpanRow {
  /** Unix nanoseconds, decimal (inserted as DateTime64(9) ticks). */
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Pairs;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Pairs;
  /** Nanoseconds, decimal. */
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  EventsTimestamp: string[];
  EventsName: string[];
  EventsAttributes: Pairs[];
  LinksTraceId: string[];
  LinksSpanId: string[];
  LinksTraceState: string[];
  LinksAttributes: Pairs[];
}

export interface RowsResult {
  rows: SpanRow[];
  /** Why the request was rejected as a whole (no raw content, safe to print). */
  error?: string;
}

interface OtlpEvent { timeUnixNano?: string | number; name?: string; attributes?: OtlpKeyValue[] }
interface OtlpLink { traceId?: string; spanId?: string; traceState?: string; attributes?: OtlpKeyValue[] }
interface OtlpSpan {
  traceId?: string; spanId?: string; parentSpanId?: string; traceState?: string; name?: string;
  kind?: number | string; startTimeUnixNano?: string | number; endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[]; events?: OtlpEvent[]; links?: OtlpLink[];
  status?: { code?: number | string; message?: string };
}
interface OtlpScopeSpans { scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }
interface OtlpResourceSpans { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: OtlpScopeSpans[] }

const MAX_SPANS_PER_REQUEST = 1_000_000;
const MAX_EVENTS = 10_000;
const MAX_LINKS = 10_000;
const HEX = /^[0-9a-fA-F]*$/;
const ALL_ZERO = /^0*$/;
const DIGITS = /^\d+$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const INT64_MAX = 9223372036854775807n;
const INT64_MAX_TEXT = '9223372036854775807';

const KIND_BY_NUMBER = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const KIND_BY_NAME: Record<string, string> = {
  SPAN_KIND_UNSPECIFIED: 'Unspecified', SPAN_KIND_INTERNAL: 'Internal', SPAN_KIND_SERVER: 'Server',
  SPAN_KIND_CLIENT: 'Client', SPAN_KIND_PRODUCER: 'Producer', SPAN_KIND_CONSUMER: 'Consumer',
};
const STATUS_BY_NUMBER = ['Unset', 'Ok', 'Error'];
const STATUS_BY_NAME: Record<string, string> = { STATUS_CODE_UNSET: 'Unset', STATUS_CODE_OK: 'Ok', STATUS_CODE_ERROR: 'Error' };

class BadRequest extends Error {}

/** pdata SpanKind.String(): names for the six kinds, '' for anything else. */
export function spanKindText(kind: number | string | undefined): string {
  if (kind === undefined || kind === null) return 'Unspecified';
  if (typeof kind === 'number') return KIND_BY_NUMBER[kind] ?? '';
  return KIND_BY_NAME[kind] ?? (DIGITS.test(kind) ? (KIND_BY_NUMBER[Number(kind)] ?? '') : '');
}

/** pdata StatusCode.String(). */
export function statusCodeText(code: number | string | undefined): string {
  if (code === undefined || code === null) return 'Unset';
  if (typeof code === 'number') return STATUS_BY_NUMBER[code] ?? '';
  return STATUS_BY_NAME[code] ?? (DIGITS.test(code) ? (STATUS_BY_NUMBER[Number(code)] ?? '') : '');
}

/** Hex id in lowercase, '' for a missing or all-zero id (TraceIDToHexOrEmptyString). */
export function idHex(id: string | undefined, bytes: number, what: string): string {
  if (id === undefined || id === null || id === '') return '';
  if (typeof id !== 'string' || id.length !== bytes * 2 || !HEX.test(id)) throw new BadRequest(`invalid ${what}`);
  return ALL_ZERO.test(id) ? '' : id.toLowerCase();
}

/** Unsigned nanoseconds as decimal text, capped at int64 (time.Unix(0, n) cannot go further). */
export function nanosText(v: string | number | undefined): string {
  if (v === undefined || v === null || v === '') return '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new BadRequest('invalid timestamp');
    return Number.isSafeInteger(v) ? String(v) : (BigInt(Math.trunc(v)) > INT64_MAX ? INT64_MAX_TEXT : BigInt(Math.trunc(v)).toString());
  }
  if (typeof v !== 'string' || !DIGITS.test(v)) throw new BadRequest('invalid timestamp');
  const t = v.replace(LEADING_ZEROS, '');
  return t.length > 19 || (t.length === 19 && t > INT64_MAX_TEXT) ? INT64_MAX_TEXT : t;
}

/** end − start; a span that ends before it starts gets 0 (the column is unsigned). */
function durationText(start: string, end: string): string {
  if (start.length < 16 && end.length < 16) {
    const d = Number(end) - Number(start);
    return d > 0 ? String(d) : '0';
  }
  const d = BigInt(end) - BigInt(start);
  return d > 0n ? d.toString() : '0';
}

function text(v: unknown): string {
  return typeof v === 'string' ? wellFormed(v) : v === undefined || v === null ? '' : wellFormed(String(v));
}

function spanRow(s: OtlpSpan, resourceAttrs: Pairs, serviceName: string, scopeName: string, scopeVersion: string): SpanRow {
  if (!s || typeof s !== 'object') throw new BadRequest('a span is not an object');
  const start = nanosText(s.startTimeUnixNano);
  const end = nanosText(s.endTimeUnixNano);
  const events = Array.isArray(s.events) ? s.events : [];
  const links = Array.isArray(s.links) ? s.links : [];
  const ne = Math.min(events.length, MAX_EVENTS);
  const nl = Math.min(links.length, MAX_LINKS);
  const row: SpanRow = {
    Timestamp: start,
    TraceId: idHex(s.traceId, 16, 'trace id'),
    SpanId: idHex(s.spanId, 8, 'span id'),
    ParentSpanId: idHex(s.parentSpanId, 8, 'parent span id'),
    TraceState: text(s.traceState),
    SpanName: text(s.name),
    SpanKind: spanKindText(s.kind),
    ServiceName: serviceName,
    ResourceAttributes: resourceAttrs,
    ScopeName: scopeName,
    ScopeVersion: scopeVersion,
    SpanAttributes: attributePairs(s.attributes),
    Duration: durationText(start, end),
    StatusCode: statusCodeText(s.status?.code),
    StatusMessage: text(s.status?.message),
    EventsTimestamp: new Array(ne),
    EventsName: new Array(ne),
    EventsAttributes: new Array(ne),
    LinksTraceId: new Array(nl),
    LinksSpanId: new Array(nl),
    LinksTraceState: new Array(nl),
    LinksAttributes: new Array(nl),
  };
  for (let i = 0; i < ne; i++) {
    const e = events[i] ?? {};
    row.EventsTimestamp[i] = nanosText(e.timeUnixNano);
    row.EventsName[i] = text(e.name);
    row.EventsAttributes[i] = attributePairs(e.attributes);
  }
  for (let i = 0; i < nl; i++) {
    const l = links[i] ?? {};
    row.LinksTraceId[i] = idHex(l.traceId, 16, 'link trace id');
    row.LinksSpanId[i] = idHex(l.spanId, 8, 'link span id');
    row.LinksTraceState[i] = text(l.traceState);
    row.LinksAttributes[i] = attributePairs(l.attributes);
  }
  return row;
}

/** pcommon.Map.Get: the first entry with the key. */
function firstValue(attrs: OtlpKeyValue[] | undefined, key: string): string {
  if (!Array.isArray(attrs)) return '';
  for (const kv of attrs) if (kv && kv.key === key) return anyValueText(kv.value);
  return '';
}

/** All rows of one request, or an error for the whole request (like pdata's unmarshal). */
export function requestRows(req: unknown): RowsResult {
  if (!req || typeof req !== 'object' || Array.isArray(req)) return { rows: [], error: 'not an OTLP trace export request (expected an object)' };
  const rs = (req as { resourceSpans?: unknown }).resourceSpans;
  if (rs === undefined) return { rows: [] };
  if (!Array.isArray(rs)) return { rows: [], error: 'not an OTLP trace export request (resourceSpans is not a list)' };
  const rows: SpanRow[] = [];
  try {
    for (const r of rs as OtlpResourceSpans[]) {
      if (!r || typeof r !== 'object') throw new BadRequest('a resourceSpans entry is not an object');
      const resAttrs = attributePairs(r.resource?.attributes);
      const serviceName = firstValue(r.resource?.attributes, 'service.name');
      for (const ss of Array.isArray(r.scopeSpans) ? r.scopeSpans : []) {
        if (!ss || typeof ss !== 'object') throw new BadRequest('a scopeSpans entry is not an object');
        const scopeName = text(ss.scope?.name);
        const scopeVersion = text(ss.scope?.version);
        for (const s of Array.isArray(ss.spans) ? ss.spans : []) {
          if (rows.length >= MAX_SPANS_PER_REQUEST) throw new BadRequest(`more than ${MAX_SPANS_PER_REQUEST} spans in one request`);
          rows.push(spanRow(s, resAttrs, serviceName, scopeName, scopeVersion));
        }
      }
    }
  } catch (e) {
    if (e instanceof BadRequest) return { rows: [], error: e.message };
    throw e;
  }
  return { rows };
}

/** Attribute keys repeat on every span: their JSON form is cached (bounded). */
const keyJson = new Map<string, string>();
const MAX_KEY_CACHE = 4096;
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function quoteKey(k: string): string {
  let q = keyJson.get(k);
  if (q === undefined) {
    q = JSON.stringify(k) + ':';
    if (keyJson.size < MAX_KEY_CACHE) keyJson.set(k, q);
  }
  return q;
}

/** JSON string; most values need no escaping, and a test is cheaper than the general encoder. */
function quote(v: string): string {
  return v.length < 256 && !NEEDS_ESCAPE.test(v) ? '"' + v + '"' : JSON.stringify(v);
}

function pairsJson(p: Pairs): string {
  let out = '{';
  for (let i = 0; i < p.length; i++) out += (i ? ',' : '') + quoteKey(p[i][0]) + quote(p[i][1]);
  return out + '}';
}

function stringsJson(a: string[]): string {
  return a.length === 0 ? '[]' : JSON.stringify(a);
}

// Spans of one resource share the same pairs array: serialize it once.
let lastResource: Pairs | undefined;
let lastResourceJson = '{}';

function resourceJson(p: Pairs): string {
  if (p !== lastResource) { lastResource = p; lastResourceJson = pairsJson(p); }
  return lastResourceJson;
}

/** One JSONEachRow line for otel_traces (no newline). Maps are written as JSON objects in their
 *  original order, duplicates included; timestamps as integer ticks of DateTime64(9). */
export function rowJson(r: SpanRow): string {
  let events = '[]';
  if (r.EventsAttributes.length) events = '[' + r.EventsAttributes.map(pairsJson).join(',') + ']';
  let links = '[]';
  if (r.LinksAttributes.length) links = '[' + r.LinksAttributes.map(pairsJson).join(',') + ']';
  return '{"Timestamp":' + r.Timestamp
    + ',"TraceId":"' + r.TraceId + '","SpanId":"' + r.SpanId + '","ParentSpanId":"' + r.ParentSpanId
    + '","TraceState":' + JSON.stringify(r.TraceState)
    + ',"SpanName":' + JSON.stringify(r.SpanName)
    + ',"SpanKind":"' + r.SpanKind
    + '","ServiceName":' + JSON.stringify(r.ServiceName)
    + ',"ResourceAttributes":' + resourceJson(r.ResourceAttributes)
    + ',"ScopeName":' + JSON.stringify(r.ScopeName)
    + ',"ScopeVersion":' + JSON.stringify(r.ScopeVersion)
    + ',"SpanAttributes":' + pairsJson(r.SpanAttributes)
    + ',"Duration":' + r.Duration
    + ',"StatusCode":"' + r.StatusCode
    + '","StatusMessage":' + JSON.stringify(r.StatusMessage)
    + ',"Events.Timestamp":[' + r.EventsTimestamp.join(',') + ']'
    + ',"Events.Name":' + stringsJson(r.EventsName)
    + ',"Events.Attributes":' + events
    + ',"Links.TraceId":' + stringsJson(r.LinksTraceId)
    + ',"Links.SpanId":' + stringsJson(r.LinksSpanId)
    + ',"Links.TraceState":' + stringsJson(r.LinksTraceState)
    + ',"Links.Attributes":' + links
    + '}';
}
