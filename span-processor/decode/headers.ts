// Header and cookie leaves. No nesting here (callers that want it expand the leaves themselves).
import { parse as parseCookie } from 'cookie';
import type { HeaderMap, Leaf } from '../types';
import { percentDecode } from './percent';

const MAX_HEADERS = 256;
const MAX_COOKIES = 256;
const identity = (s: string): string => s;

/** `header.<lowercase name>` per value; `names` is a lowercase allow-list (all headers when undefined). */
export function decodeHeaders(headers: HeaderMap, names?: readonly string[]): Leaf[] {
  const out: Leaf[] = [];
  if (headers === null || typeof headers !== 'object') return out;
  let seen = 0;
  for (const name in headers) {
    if (++seen > MAX_HEADERS) break;
    const lname = name.toLowerCase();
    if (names !== undefined && !names.includes(lname)) continue;
    const v = headers[name];
    if (typeof v === 'string') {
      if (v.length > 0) out.push({ path: `header.${lname}`, key: lname, value: v, layers: [] });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && i < MAX_HEADERS; i++) {
        const item = v[i];
        if (typeof item === 'string' && item.length > 0) out.push({ path: `header.${lname}`, key: lname, value: item, layers: [] });
      }
    }
  }
  return out;
}

/** `cookie.<name>` per cookie; a value that was percent-encoded carries the `urlencoded` layer. */
export function decodeCookies(cookieHeader: string): Leaf[] {
  const out: Leaf[] = [];
  if (typeof cookieHeader !== 'string' || cookieHeader.length === 0) return out;
  let jar: Record<string, string | undefined>;
  try {
    jar = parseCookie(cookieHeader, { decode: identity });
  } catch {
    return out;
  }
  let seen = 0;
  for (const name in jar) {
    if (++seen > MAX_COOKIES) break;
    const raw = jar[name];
    if (raw === undefined || raw.length === 0) continue;
    const value = percentDecode(raw, false);
    out.push({ path: `cookie.${name}`, key: name.toLowerCase(), value, layers: value === raw ? [] : ['urlencoded'] });
  }
  return out;
}
