// EgressCapture → leaves (URL, headers, cookies, body; nested layers expanded) → matches.
import { decodeBody, decodeCookies, decodeHeaders, decodeUrl } from '../decode';
import { expandLeaves } from '../decode/nested';
import type { EgressCapture, HeaderMap, Leaf, MatchResult, Registry } from '../types';
import { matchLeavesWith, newScanEnv } from './leaves';
import type { MatchOptions } from './options';

/** Transport and tracing headers that never carry a user's data (cookies and auth are scanned). */
const SKIPPED_HEADERS: ReadonlySet<string> = new Set([
  'content-length', 'content-type', 'content-encoding', 'host', 'connection', 'traceparent', 'tracestate', 'baggage',
  'transfer-encoding', 'keep-alive', 'te', 'expect',
]);

function headerValue(headers: HeaderMap, name: string): string | undefined {
  for (const k in headers) {
    if (k.toLowerCase() !== name) continue;
    const v = headers[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.join(name === 'cookie' ? '; ' : ', ');
  }
  return undefined;
}

function headerLeaves(headers: HeaderMap, shareUserAgent: boolean): Leaf[] {
  const names: string[] = [];
  let n = 0;
  for (const k in headers) {
    if (++n > 256) break;
    const l = k.toLowerCase();
    if (SKIPPED_HEADERS.has(l) || l.startsWith('accept') || l === 'cookie') continue;
    if (l === 'user-agent' && !shareUserAgent) continue;
    names.push(l);
  }
  const leaves = decodeHeaders(headers, names);
  const cookie = headerValue(headers, 'cookie');
  if (cookie !== undefined) leaves.push(...decodeCookies(cookie));
  return leaves;
}

function concatBody(chunks: readonly Buffer[], bytes: number): Buffer {
  if (chunks.length === 1) return chunks[0];
  return Buffer.concat(chunks as Buffer[], bytes > 0 ? bytes : undefined);
}

/** The leaves of an outgoing call (URL, headers, cookies, body; nested layers expanded). */
export function egressLeaves(capture: EgressCapture, opts: MatchOptions): { leaves: Leaf[]; truncated: boolean; errors: string[] } {
  const errors: string[] = [];
  let truncated = false;
  const leaves: Leaf[] = [];
  const decodeOpts = { ...opts.decode, nested: true };
  try {
    const headers: HeaderMap = capture.headers ?? {};
    if (typeof capture.url === 'string') {
      const url = decodeUrl(capture.url, decodeOpts);
      for (const l of url.leaves) leaves.push(l);
      truncated ||= url.truncated;
    }
    const hdr = expandLeaves(headerLeaves(headers, opts.shareUserAgent === true), decodeOpts);
    for (const l of hdr.leaves) leaves.push(l);
    truncated ||= hdr.truncated;
    const chunks = capture.body?.chunks;
    if (Array.isArray(chunks) && chunks.length > 0) {
      const body = decodeBody(concatBody(chunks, capture.body.bytes), headerValue(headers, 'content-type'), headerValue(headers, 'content-encoding'), decodeOpts);
      // a loop, not push(...spread): a 1 MB body has tens of thousands of leaves
      for (const l of body.leaves) leaves.push(l);
      truncated ||= body.truncated;
      for (const e of body.errors) if (!errors.includes(e)) errors.push(e);
    }
  } catch {
    errors.push('egress decoding failed');
  }
  return { leaves, truncated, errors };
}

export function matchEgress(capture: EgressCapture, registry: Registry, opts: MatchOptions): MatchResult {
  const captureTruncated = capture?.body?.truncated === true;
  // Nothing registered (a service that has not collected anything yet): nothing can match, so the
  // body is not even decoded.
  if (registry.isEmpty?.() === true) return { matches: [], truncated: captureTruncated, errors: [] };
  const decoded = egressLeaves(capture, opts);
  const res = matchLeavesWith(newScanEnv(registry, opts), decoded.leaves, opts);
  return { matches: res.matches, truncated: captureTruncated || decoded.truncated || res.truncated, errors: [...decoded.errors, ...res.errors] };
}
