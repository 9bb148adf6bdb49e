// Reading the contract (semconv §1, §2, §6) off flattened spans.
import { createHmac } from 'node:crypto';
import { FINGERPRINT_KEY } from './hosts';
import { SPAN_KIND, type AttrValue, type FlatSpan } from './otlp-receiver';

export function strings(v: AttrValue | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** The host a CLIENT span called: sst.destination.host, else server.address, else the URL's host. */
export function hostOf(span: FlatSpan): string | undefined {
  const a = span.attributes;
  for (const k of ['sst.destination.host', 'server.address', 'net.peer.name']) {
    if (typeof a[k] === 'string' && a[k]) return (a[k] as string).toLowerCase();
  }
  for (const k of ['url.full', 'http.url']) {
    if (typeof a[k] === 'string') {
      try {
        return new URL(a[k] as string).hostname.toLowerCase();
      } catch {
        // not a URL
      }
    }
  }
  return undefined;
}

export const isCollect = (s: FlatSpan): boolean => s.kind === SPAN_KIND.SERVER && s.attributes['sst.flow'] === 'collect';
export const isShare = (s: FlatSpan): boolean => s.kind === SPAN_KIND.CLIENT && s.attributes['sst.flow'] === 'share';

export function serverSpansFor(spans: readonly FlatSpan[], path: string): FlatSpan[] {
  return spans.filter((s) => {
    if (s.kind !== SPAN_KIND.SERVER) return false;
    const a = s.attributes;
    const target = [a['url.path'], a['http.target'], a['http.route']].find((v) => typeof v === 'string') as string | undefined;
    return target !== undefined && target.split('?')[0] === path;
  });
}

export function shareSpansTo(spans: readonly FlatSpan[], host: string): FlatSpan[] {
  return spans.filter((s) => isShare(s) && hostOf(s) === host);
}

export function sstKeys(span: FlatSpan): string[] {
  return Object.keys(span.attributes).filter((k) => k.startsWith('sst.'));
}

/** Union of a string-array attribute over spans. */
export function union(spans: readonly FlatSpan[], key: string): Set<string> {
  const out = new Set<string>();
  for (const s of spans) for (const v of strings(s.attributes[key])) out.add(v);
  return out;
}

/** (fingerprint, category) pairs from sst.tag / sst.match events. */
export function eventPairs(spans: readonly FlatSpan[], eventName: 'sst.tag' | 'sst.match'): Set<string> {
  const out = new Set<string>();
  for (const s of spans) {
    for (const e of s.events) {
      if (e.name !== eventName) continue;
      const fp = e.attributes['sst.fingerprint'];
      const cat = e.attributes['sst.category'];
      if (typeof fp === 'string' && typeof cat === 'string') out.add(`${cat}:${fp}`);
    }
  }
  return out;
}

/** The contract fingerprint id: base64url(HMAC-SHA256(key, canonical))[:22] (semconv §3). */
export function fingerprintId(canonical: string, key: string = FINGERPRINT_KEY): string {
  return createHmac('sha256', key).update(canonical, 'utf8').digest('base64url').slice(0, 22);
}

export function describeSpans(spans: readonly FlatSpan[]): string {
  return spans
    .map((s) => `${s.kind === SPAN_KIND.SERVER ? 'SERVER' : s.kind === SPAN_KIND.CLIENT ? 'CLIENT' : `kind${s.kind}`} ${s.name} host=${hostOf(s) ?? '-'} flow=${String(s.attributes['sst.flow'] ?? '-')} cats=${strings(s.attributes['sst.categories']).join(',')}`)
    .join('\n');
}
