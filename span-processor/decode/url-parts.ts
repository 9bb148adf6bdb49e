// URL → leaves without `new URL` (works on request targets like `/signup?x=1` and never throws).
import { pushLeaf, type DecodeContext } from './options';
import { decodeParams } from './params';
import { percentDecode } from './percent';

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//;
const MAX_SEGMENTS = 64;

/**
 * Adds `<prefix>url.userinfo`, `<prefix>url.path[i]` (non-empty segments, decoded),
 * `<prefix>query.<name>` and `<prefix>url.fragment` leaves.
 */
export function decodeUrlInto(ctx: DecodeContext, url: string, prefix: string, layers: string[], depth: number): void {
  let rest = url;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const scheme = SCHEME_RE.exec(rest);
  if (scheme !== null) {
    const authStart = scheme[0].length;
    let slash = rest.indexOf('/', authStart);
    if (slash < 0) slash = rest.length;
    const at = rest.lastIndexOf('@', slash);
    if (at >= authStart) addDecoded(ctx, `${prefix}url.userinfo`, 'userinfo', rest.slice(authStart, at), layers, depth, false);
    rest = rest.slice(slash);
  }
  let seg = 0;
  let start = 0;
  while (start < rest.length && seg < MAX_SEGMENTS) {
    let end = rest.indexOf('/', start);
    if (end < 0) end = rest.length;
    if (end > start) {
      if (!addDecoded(ctx, `${prefix}url.path[${seg}]`, 'path', rest.slice(start, end), layers, depth, false)) return;
      seg++;
    }
    start = end + 1;
  }
  if (start < rest.length) ctx.truncated = true;
  if (query.length > 0) decodeParams(ctx, query, `${prefix}query`, layers, depth);
  if (fragment.length > 0) addDecoded(ctx, `${prefix}url.fragment`, 'fragment', fragment, layers, depth, false);
}

function addDecoded(ctx: DecodeContext, path: string, key: string, raw: string, layers: string[], depth: number, plus: boolean): boolean {
  const value = percentDecode(raw, plus);
  const leafLayers = value === raw ? layers : ['urlencoded', ...layers];
  if (!pushLeaf(ctx, path, key, value, leafLayers)) return false;
  if (ctx.expand !== null) ctx.expand(ctx, value, path, key, leafLayers, depth);
  return true;
}
