// `a=b&c=d` strings: query strings, urlencoded bodies, urlencoded strings nested in other leaves.
import { pushLeaf, type DecodeContext } from './options';
import { RepeatCounter, paramKey } from './paths';
import { percentDecode } from './percent';

/**
 * Adds one leaf per non-empty parameter value under `prefix` (`query`, `form`, `query.data>form`).
 * A value whose percent-decoding changed it carries the `urlencoded` layer.
 */
export function decodeParams(ctx: DecodeContext, text: string, prefix: string, layers: string[], depth: number): void {
  const counter = new RepeatCounter();
  const encLayers = ['urlencoded', ...layers];
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasEq = eq >= 0 && eq < end;
      const rawName = text.slice(start, hasEq ? eq : end);
      const rawValue = hasEq ? text.slice(eq + 1, end) : '';
      const name = percentDecode(rawName, true);
      const value = percentDecode(rawValue, true);
      const path = counter.path(prefix, name);
      if (value.length > 0) {
        const key = paramKey(name);
        const leafLayers = value === rawValue ? layers : encLayers;
        if (!pushLeaf(ctx, path, key, value, leafLayers)) return;
        if (ctx.expand !== null) ctx.expand(ctx, value, path, key, leafLayers, depth);
      }
    }
    start = end + 1;
  }
}

const PARAM_NAME_RE = /^[A-Za-z0-9_.\-[\]%$]{1,128}$/;

/**
 * Heuristic for nested strings: `k=v` pairs joined by `&`, no whitespace, every name made of
 * parameter-name characters. Rejects base64 padding (`…==`) because a name is required before `=`.
 */
export function looksUrlencoded(text: string): boolean {
  if (text.length < 3 || text.length > 1 << 20) return false;
  const firstEq = text.indexOf('=');
  if (firstEq <= 0) return false;
  let start = 0;
  let pairs = 0;
  while (start < text.length && pairs < 1000) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    const eq = text.indexOf('=', start);
    if (eq < 0 || eq >= end || eq === start) return false;
    if (!PARAM_NAME_RE.test(text.slice(start, eq))) return false;
    pairs++;
    start = end + 1;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) return false;
  }
  return pairs > 0;
}
