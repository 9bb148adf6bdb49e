// OTLP AnyValue (OTLP-JSON form) → the text the clickhouseexporter stores in its attribute maps.
// The exporter calls pdata `Value.AsString()`: strings as is, bools `true`/`false`, ints in decimal,
// doubles in the ES6 number format, bytes as standard base64, and arrays / kvlists as Go
// `encoding/json` text of the raw value (map keys sorted, `<`,`>`,`&`,U+2028/9 escaped, NaN and
// ±Inf unrepresentable). Matching those rules byte for byte is what makes rows from `sst ingest`
// indistinguishable from rows the collector writes.

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}

/** Nested arrays/kvlists deeper than this are not expanded (untrusted input). */
const MAX_DEPTH = 32;
/** Elements read from one array or kvlist. */
const MAX_ITEMS = 100_000;

const HAS_GO_JSON_EXTRA = /[<>&\u2028\u2029]/;
const GO_JSON_EXTRA = /[<>&\u2028\u2029]/g;
const GO_JSON_EXTRA_ESC: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};
const INT_TEXT = /^[-+]?\d+$/;

class Unencodable extends Error {}

/** Lone surrogates cannot be UTF-8; Go's decoder turned them into U+FFFD before the exporter saw them. */
export function wellFormed(s: string): string {
  // ES2024 methods (Node 20 has them; the ES2022 lib typings do not).
  const w = s as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  return w.isWellFormed() ? s : w.toWellFormed();
}

/** A string as Go's encoding/json writes it (HTML-safe escaping). */
export function goJsonString(s: string): string {
  const j = JSON.stringify(wellFormed(s));
  return HAS_GO_JSON_EXTRA.test(j) ? j.replace(GO_JSON_EXTRA, (c) => GO_JSON_EXTRA_ESC[c]) : j;
}

/** ES6 number-to-string, which Go's encoder and pdata both follow; -0 keeps its sign in Go. */
function floatText(f: number): string {
  return Object.is(f, -0) ? '-0' : String(f);
}

function toDouble(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    // protojson spells the non-finite values as strings.
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return Number(v);
  }
  return 0;
}

/** int64 in decimal without going through a float for large values. */
export function intText(v: string | number | undefined): string {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : BigInt(Math.trunc(v)).toString();
  if (typeof v === 'string') {
    if (v.length <= 15 && INT_TEXT.test(v)) return String(Number(v));
    if (INT_TEXT.test(v)) return BigInt(v).toString();
    return v;
  }
  return '0';
}

function bytesText(b64: string): string {
  return Buffer.from(b64, 'base64').toString('base64');
}

/** Go `json.Marshal` of pdata `AsRaw()` for one value. */
function goJsonRaw(v: OtlpAnyValue | undefined, depth: number): string {
  if (!v || typeof v !== 'object') return 'null';
  if (v.stringValue !== undefined) return goJsonString(String(v.stringValue));
  if (v.boolValue !== undefined) return v.boolValue ? 'true' : 'false';
  if (v.intValue !== undefined) return intText(v.intValue);
  if (v.doubleValue !== undefined) {
    const f = toDouble(v.doubleValue);
    if (!Number.isFinite(f)) throw new Unencodable();
    return floatText(f);
  }
  if (v.bytesValue !== undefined) return '"' + bytesText(String(v.bytesValue)) + '"';
  if (depth >= MAX_DEPTH) return 'null';
  if (v.arrayValue !== undefined) return goJsonArray(v.arrayValue?.values, depth + 1);
  if (v.kvlistValue !== undefined) return goJsonMap(v.kvlistValue?.values, depth + 1);
  return 'null';
}

function goJsonArray(values: OtlpAnyValue[] | undefined, depth: number): string {
  if (!Array.isArray(values) || values.length === 0) return '[]';
  const n = Math.min(values.length, MAX_ITEMS);
  let out = '[';
  for (let i = 0; i < n; i++) out += (i ? ',' : '') + goJsonRaw(values[i], depth);
  return out + ']';
}

/** Go sorts map keys by their UTF-8 bytes, which is code point order (not UTF-16 unit order). */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function goJsonMap(kvs: OtlpKeyValue[] | undefined, depth: number): string {
  if (!Array.isArray(kvs) || kvs.length === 0) return '{}';
  // AsRaw builds a Go map: a repeated key keeps its last value.
  const byKey = new Map<string, OtlpAnyValue | undefined>();
  const n = Math.min(kvs.length, MAX_ITEMS);
  for (let i = 0; i < n; i++) {
    const kv = kvs[i];
    if (!kv || typeof kv !== 'object') continue;
    byKey.set(wellFormed(String(kv.key ?? '')), kv.value);
  }
  const keys = [...byKey.keys()].sort(byCodePoint);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    out += (i ? ',' : '') + goJsonString(keys[i]) + ':' + goJsonRaw(byKey.get(keys[i]), depth);
  }
  return out + '}';
}

/** pdata `Value.AsString()` of an OTLP-JSON AnyValue. */
export function anyValueText(v: OtlpAnyValue | undefined): string {
  if (!v || typeof v !== 'object') return '';
  if (v.stringValue !== undefined) return wellFormed(String(v.stringValue));
  if (v.boolValue !== undefined) return v.boolValue ? 'true' : 'false';
  if (v.intValue !== undefined) return intText(v.intValue);
  if (v.doubleValue !== undefined) {
    const f = toDouble(v.doubleValue);
    if (Number.isNaN(f)) return 'json: unsupported value: NaN';
    if (!Number.isFinite(f)) return `json: unsupported value: ${f > 0 ? '+Inf' : '-Inf'}`;
    return floatText(f);
  }
  if (v.bytesValue !== undefined) return bytesText(String(v.bytesValue));
  try {
    if (v.arrayValue !== undefined) return goJsonArray(v.arrayValue?.values, 1);
    if (v.kvlistValue !== undefined) return goJsonMap(v.kvlistValue?.values, 1);
  } catch (e) {
    // json.Marshal failed (a NaN inside); AsString ignores the error and returns the empty result.
    if (e instanceof Unencodable) return '';
    throw e;
  }
  return '';
}

/** Attribute list → ordered (key, text) pairs, duplicates kept, as the exporter's ordered map. */
export function attributePairs(attrs: OtlpKeyValue[] | undefined, max: number = MAX_ITEMS): Array<[string, string]> {
  if (!Array.isArray(attrs) || attrs.length === 0) return [];
  const n = Math.min(attrs.length, max);
  const out: Array<[string, string]> = new Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const kv = attrs[i];
    if (!kv || typeof kv !== 'object') continue;
    out[j++] = [wellFormed(String(kv.key ?? '')), anyValueText(kv.value)];
  }
  out.length = j;
  return out;
}
