// One incoming request → tagged values: query, cookies, selected headers, body and client address.
import type { DetectResult, HeaderMap, IngressCapture, Leaf } from '../types';
import type { FieldMatcher } from './field-names';
import type { LeafDetector } from './detect-leaves';
import { isTaggableIp } from './ip';
import { TagCollector } from './tag-collector';

export interface DecodeOutput {
  leaves: Leaf[];
  truncated: boolean;
  errors: string[];
}

/** The decode functions (span-processor/decode), injected so this module is testable alone. */
export interface IngressDecoders {
  decodeBody(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined): DecodeOutput;
  decodeQuery(search: string): DecodeOutput;
  decodeHeaders(headers: HeaderMap, names?: readonly string[]): Leaf[];
  decodeCookies(cookieHeader: string): Leaf[];
}

export interface IngressDeps {
  decoders: IngressDecoders;
  detectLeaves: LeafDetector;
  matcher: FieldMatcher;
  /** Extra header names to inspect (config `captureHeaders`). */
  captureHeaders: readonly string[];
  captureLimit: number;
  maxValues?: number;
}

export const CLIENT_ADDRESS_FIELD = 'client.address';
const MAX_HEADER_NAMES = 256;

/** Headers that carry the client address: it is tagged once, from `capture.clientIp`. */
const ADDRESS_HEADERS: ReadonlySet<string> = new Set([
  'x-forwarded-for', 'forwarded', 'x-real-ip', 'x-client-ip', 'cf-connecting-ip', 'true-client-ip',
  'fastly-client-ip', 'x-cluster-client-ip',
]);
/** Handled on their own (cookies) or never personal by name. */
const SKIPPED_HEADERS: ReadonlySet<string> = new Set(['cookie', 'content-type', 'content-length', 'content-encoding', 'host']);

export function createIngressDetector(deps: IngressDeps): (capture: IngressCapture) => DetectResult {
  const { decoders, detectLeaves, matcher } = deps;
  const extraHeaders = new Set(deps.captureHeaders.map((h) => h.toLowerCase()));

  function selectHeaders(headers: HeaderMap): string[] {
    const names: string[] = ['user-agent'];
    let seen = 0;
    for (const raw in headers) {
      if (++seen > MAX_HEADER_NAMES) break;
      const name = raw.toLowerCase();
      if (name === 'user-agent' || SKIPPED_HEADERS.has(name) || ADDRESS_HEADERS.has(name)) continue;
      if (extraHeaders.has(name) || matcher.match(name).some((c) => c !== 'ip')) names.push(name);
    }
    return names;
  }

  return (capture) => {
    const out = new TagCollector(deps.maxValues);
    const errors: string[] = [];
    let truncated = capture.body?.truncated === true;
    const leaves: Leaf[] = [];

    function run(source: string, fn: () => void): void {
      try {
        fn();
      } catch (e) {
        // Only the error's class: messages of parse errors can quote the payload.
        errors.push(`${source}: decode failed (${(e as Error)?.name ?? 'error'})`);
      }
    }
    function take(source: string, r: DecodeOutput): void {
      for (const l of r.leaves) leaves.push(l);
      for (const e of r.errors) errors.push(`${source}: ${e}`);
      if (r.truncated) truncated = true;
    }

    const ip = capture.clientIp;
    if (typeof ip === 'string' && isTaggableIp(ip)) out.add('ip', CLIENT_ADDRESS_FIELD, ip);

    const headers: HeaderMap = capture.headers ?? {};
    run('header', () => {
      for (const l of decoders.decodeHeaders(headers, selectHeaders(headers))) leaves.push(l);
    });
    const cookie = headerText(headers, 'cookie', '; ');
    if (cookie) run('cookie', () => {
      for (const l of decoders.decodeCookies(cookie)) leaves.push(l);
    });
    const target = typeof capture.target === 'string' ? capture.target : '';
    const q = target.indexOf('?');
    if (q >= 0 && q < target.length - 1) run('query', () => take('query', decoders.decodeQuery(target.slice(q))));

    const body = capture.body;
    if (body && body.bytes > 0 && Array.isArray(body.chunks) && body.chunks.length > 0) {
      run('body', () => {
        let copied = 0;
        for (const c of body.chunks) copied += c.length;
        // concat pads with zeros past the real length, so never ask for more than was copied.
        const buf = Buffer.concat(body.chunks, Math.min(copied, body.bytes, deps.captureLimit));
        const r = decoders.decodeBody(buf, headerText(headers, 'content-type', ', '), headerText(headers, 'content-encoding', ', '));
        take('body', r);
      });
    }

    run('detect', () => {
      if (!detectLeaves(leaves, out)) truncated = true;
    });
    if (out.capped) truncated = true;
    return { values: out.values, truncated, errors };
  };
}

/** A header's value by lowercase name; repeated headers joined with `sep`. */
function headerText(headers: HeaderMap, name: string, sep: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    let seen = 0;
    for (const k in headers) {
      if (++seen > MAX_HEADER_NAMES) break;
      if (k.toLowerCase() === name) { v = headers[k]; break; }
    }
  }
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').slice(0, 64).join(sep);
  return undefined;
}
