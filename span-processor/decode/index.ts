// Payload bytes → string leaves with paths (semconv §2 `sst.fields`), shared by ingress detection
// and egress matching. Synchronous, never throws on bad input, bounded by DecodeOptions caps.
import type { HeaderMap, Leaf } from '../types';
import { newContext } from './nested';
import { toResult, type DecodeOptions, type DecodeResult } from './options';
import { decodeParams } from './params';
import { decodeUrlInto } from './url-parts';
import { decodeBody } from './body';
import { decodeCookies, decodeHeaders } from './headers';

export type { DecodeOptions, DecodeResult } from './options';
export { decodeBody, decodeCookies, decodeHeaders };

/** `query.<name>` leaves (repeated names: `query.name[1]`); accepts a leading `?`. */
export function decodeQuery(search: string, opts?: DecodeOptions): DecodeResult {
  const ctx = newContext(opts);
  if (typeof search !== 'string') return toResult(ctx, 'empty');
  const text = search.charCodeAt(0) === 63 ? search.slice(1) : search;
  if (text.length === 0) return toResult(ctx, 'empty');
  decodeParams(ctx, text, 'query', [], 0);
  return toResult(ctx, ctx.leaves.length > 0 ? 'form' : 'empty');
}

/** `url.path[i]` per non-empty decoded segment, query leaves, `url.fragment`, `url.userinfo`. */
export function decodeUrl(url: string, opts?: DecodeOptions): DecodeResult {
  const ctx = newContext(opts);
  if (typeof url !== 'string' || url.length === 0) return toResult(ctx, 'empty');
  decodeUrlInto(ctx, url, '', [], 0);
  return toResult(ctx, ctx.leaves.length > 0 ? 'text' : 'empty');
}

