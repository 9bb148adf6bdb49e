// Egress only: a string leaf may itself be an encoded document (Mixpanel `data=<base64 JSON>`, a JSON
// string inside JSON, a URL with a query, `a=b&c=d`, a JWT). Each expansion adds leaves under
// `<leaf path>>` + the inner decoder's own path spelling:
//   JSON-in-string / base64 JSON → `query.data>body.properties.email`
//   base64 text                  → `body.blob>body`
//   urlencoded string            → `body.payload>form.email`
//   URL with a query             → `body.page_url>query.email`, `body.page_url>url.path[1]`
import { looksLikeJson, tryParseJson, walkJson } from './json-walk';
import type { Leaf } from '../types';
import { createContext, pushLeaf, reserveBytes, toResult, type DecodeContext, type DecodeOptions, type DecodeResult } from './options';
import { decodeParams, looksUrlencoded } from './params';
import { decodeUrlInto } from './url-parts';
import { isUtf8 } from 'node:buffer';

const MIN_BASE64_LENGTH = 16;
/** Decoded text with more control characters than this share is binary, not an encoded string. */
const MAX_CONTROL_RATIO = 0.05;

/** A decode context whose parsers expand nested strings when `opts.nested` is set. */
export function newContext(opts: DecodeOptions | undefined): DecodeContext {
  const ctx = createContext(opts);
  if (ctx.nested) ctx.expand = expandString;
  return ctx;
}

/** Tries each nested form once; `depth` is the number of layers already undone above `value`. */
export function expandString(ctx: DecodeContext, value: string, path: string, key: string, layers: string[], depth: number): void {
  if (depth >= ctx.maxDepth || value.length < 3) return;
  if (looksLikeJson(value)) {
    const parsed = tryParseJson(value);
    if (parsed !== undefined && typeof parsed.value === 'object' && parsed.value !== null) {
      walkJson(ctx, parsed.value, `${path}>body`, key, ['json-string', ...layers], depth + 1);
      return;
    }
  }
  const auth = authToken(value);
  if (auth !== null) {
    expandString(ctx, auth, path, key, layers, depth);
    return;
  }
  if (startsWithHttp(value)) {
    decodeUrlInto(ctx, value, `${path}>`, layers, depth + 1);
    return;
  }
  const b64 = base64Kind(value);
  if (b64 !== null && expandBase64(ctx, value, b64, path, key, layers, depth)) return;
  if (isJwtShape(value) && expandJwt(ctx, value, path, key, layers, depth)) return;
  if (looksUrlencoded(value)) decodeParams(ctx, value, `${path}>form`, layers, depth + 1);
}

function expandBase64(ctx: DecodeContext, value: string, kind: 'base64' | 'base64url', path: string, key: string, layers: string[], depth: number): boolean {
  const text = decodePrintable(ctx, value);
  if (text === null) return false;
  const inner = [kind, ...layers];
  if (looksLikeJson(text)) {
    const parsed = tryParseJson(text);
    if (parsed !== undefined && typeof parsed.value === 'object' && parsed.value !== null) {
      walkJson(ctx, parsed.value, `${path}>body`, key, inner, depth + 1);
      return true;
    }
  }
  if (!pushLeaf(ctx, `${path}>body`, key, text, inner)) return true;
  expandString(ctx, text, `${path}>body`, key, inner, depth + 1);
  return true;
}

/** JWT: the middle segment is base64url JSON (claims often carry email / sub). */
function expandJwt(ctx: DecodeContext, value: string, path: string, key: string, layers: string[], depth: number): boolean {
  const a = value.indexOf('.');
  const b = value.indexOf('.', a + 1);
  const text = decodePrintable(ctx, value.slice(a + 1, b));
  if (text === null) return false;
  const parsed = tryParseJson(text);
  if (parsed === undefined || typeof parsed.value !== 'object' || parsed.value === null) return false;
  walkJson(ctx, parsed.value, `${path}>body`, key, ['base64url', ...layers], depth + 1);
  return true;
}

/** `Basic <base64>` / `Bearer <token>` (Authorization header values): the token part. */
function authToken(s: string): string | null {
  if (s.startsWith('Basic ') || s.startsWith('Bearer ')) {
    const t = s.slice(s.indexOf(' ') + 1).trim();
    return t.length > 0 && t.indexOf(' ') < 0 ? t : null;
  }
  return null;
}

function startsWithHttp(s: string): boolean {
  return (s.startsWith('https://') || s.startsWith('http://')) && s.length > 10;
}

/**
 * `base64` / `base64url` when the whole string is in one base64 alphabet (padding only at the end),
 * at least 16 chars, and not pure hex or pure digits, with or without dashes (digests, ids and
 * UUIDs, not blobs).
 */
export function base64Kind(s: string): 'base64' | 'base64url' | null {
  const n = s.length;
  if (n < MIN_BASE64_LENGTH) return null;
  let end = n;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */ && n - end < 2) end--;
  if (end % 4 === 1) return null;
  let std = false;
  let url = false;
  let nonHex = false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) continue;
    if (c === 45) { url = true; continue; }
    nonHex = true;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) continue;
    if (c === 43 || c === 47) std = true;
    else if (c === 95) url = true;
    else return null;
  }
  if (!nonHex || (std && url)) return null;
  // neither alphabet's special chars: unpadded lengths that are not a multiple of 4 are base64url
  return url || (!std && end === n && n % 4 !== 0) ? 'base64url' : 'base64';
}

/** Base64 → UTF-8 text when the bytes are valid, mostly printable UTF-8; null otherwise. */
function decodePrintable(ctx: DecodeContext, b64: string): string | null {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length < 4) return null;
  // Most candidates are words and ids that happen to use the alphabet: a native validity check
  // rejects them without the exception a fatal TextDecoder throws (≈ 10 µs each).
  if (!isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) control++;
  }
  if (control > text.length * MAX_CONTROL_RATIO) return null;
  if (!reserveBytes(ctx, bytes.length)) return null;
  return text;
}

const JWT_RE = /^eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

function isJwtShape(s: string): boolean {
  return s.length < 16384 && JWT_RE.test(s);
}

/** Leaves plus their nested expansions (for leaves produced elsewhere, e.g. headers and cookies). */
export function expandLeaves(leaves: readonly Leaf[], opts: DecodeOptions | undefined): DecodeResult {
  const ctx = newContext({ ...opts, nested: true });
  for (const leaf of leaves) {
    if (!pushLeaf(ctx, leaf.path, leaf.key, leaf.value, leaf.layers)) break;
    expandString(ctx, leaf.value, leaf.path, leaf.key, leaf.layers, leaf.layers.length);
  }
  return toResult(ctx, ctx.leaves.length > 0 ? 'text' : 'empty');
}
