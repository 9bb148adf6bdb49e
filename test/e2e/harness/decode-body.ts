// Turns a recorded request body into something a test can assert on: the decompressed text and,
// when the content type says so, the parsed JSON or url-encoded form.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export type DecodedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string | string[]> }
  | { kind: 'text'; value: string }
  | { kind: 'undecodable'; reason: string };

export interface BodyView {
  /** The body after content-encoding was undone (the raw bytes when it could not be). */
  bytes: Buffer;
  text: string;
  decoded: DecodedBody;
}

export function decompress(raw: Buffer, contentEncoding: string | undefined): Buffer {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (raw.length === 0 || enc === '' || enc === 'identity') return raw;
  if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw);
  if (enc === 'deflate') return inflateSync(raw);
  if (enc === 'br') return brotliDecompressSync(raw);
  throw new Error(`unsupported content-encoding ${enc}`);
}

export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function viewBody(raw: Buffer, headers: Record<string, string | string[] | undefined>): BodyView {
  let bytes = raw;
  try {
    bytes = decompress(raw, headerValue(headers['content-encoding']));
  } catch (e) {
    return { bytes: raw, text: '', decoded: { kind: 'undecodable', reason: (e as Error).message } };
  }
  const text = bytes.toString('utf8');
  if (bytes.length === 0) return { bytes, text, decoded: { kind: 'empty' } };
  const type = (headerValue(headers['content-type']) ?? '').toLowerCase();
  if (type.includes('json') || (type === '' && /^\s*[[{]/.test(text))) {
    try {
      return { bytes, text, decoded: { kind: 'json', value: JSON.parse(text) } };
    } catch {
      return { bytes, text, decoded: { kind: 'text', value: text } };
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return { bytes, text, decoded: { kind: 'form', value: parseForm(text) } };
  return { bytes, text, decoded: { kind: 'text', value: text } };
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
