// The corpus line format (test/corpus/cases.jsonl, one JSON object per line) and its reader.
// Bodies are base64 so gzip and multipart bytes survive JSON unchanged.
import { readFileSync } from 'node:fs';

export interface CorpusIngress {
  method: string;
  /** Path and query as received. */
  target: string;
  headers: Record<string, string>;
  /** base64 of the body bytes ('' for none). */
  body: string;
  contentType?: string;
  /** Client address the server saw (the capture's `clientIp`). */
  clientIp?: string;
}

export interface CorpusEgress {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ExpectedShare {
  category: string;
  /** Where in the outgoing request the value travels (informational; scoring is per category). */
  fieldHint?: string;
  /** How it was disguised, in the corpus' own vocabulary (see TRANSFORM_LABELS). */
  transform: string;
}

export interface ExpectedNonShare {
  category: string;
  why: string;
}

export interface CorpusCase {
  id: string;
  /** Finer catalog kind of the destination (`ads_capi`, `cdp`, `llm`, …). */
  vendorKind: string;
  vendor: string;
  /** `sdk:<package>` when the egress bytes were recorded from a vendor SDK, else `hand`. */
  source: string;
  locale: string;
  /** `positive` has at least one expected share; `negative` none (near misses and clean calls). */
  label: 'positive' | 'negative';
  note?: string;
  ingress: CorpusIngress;
  egress: CorpusEgress;
  expectedShares: ExpectedShare[];
  expectedNonShares: ExpectedNonShare[];
}

/** Label vocabulary for `ExpectedShare.transform` (per-transform figures group by it). */
export const TRANSFORM_LABELS: readonly string[] = [
  'plain', // as collected (or only re-cased / trimmed)
  'normalized', // vendor normalization in clear: E.164, digits, Gmail dots, ISO codes, YYYYMMDD
  'sha256', // hex digest of the (normalized) value
  'sha256.appendix', // Meta param-builder `<sha256>.<appendix>`
  'sha256+base64', 'sha256+base64url', 'sha1', 'md5',
  'base64', // the plain value inside a base64 blob (Mixpanel / Klaviyo `data=`)
  'urlencoded', // inside a query string or form body, percent-encoded
  'url-path', // inside the URL path
  'gzip', // inside a gzip-compressed body
  'multipart', // inside a multipart/form-data part
  'nested-json', // inside a JSON document carried in a string
  'in-text', // inside free text (LLM prompt, email or SMS body)
  'reformatted', // inside free text, written differently (amount grouping, date order, phone format)
];

export function readCorpus(path: string): CorpusCase[] {
  const out: CorpusCase[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    out.push(JSON.parse(line) as CorpusCase);
  }
  return out;
}
