// Results → the sst.* attributes and events of semconv §2 and §6. Pure functions of plain data.
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { CollectResult, ShareResult, Tag } from './engine';
import type { ShareMatch } from './types';

export interface SpanEventOut {
  name: string;
  attributes: Attributes;
  time: HrTime;
  droppedAttributesCount: number;
}

export interface SstAnnotations {
  attributes: Attributes;
  events: SpanEventOut[];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const SMALL_SORT = 32;
function insertionSort(xs: string[]): void {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) { xs[j + 1] = xs[j]!; j--; }
    xs[j + 1] = x;
  }
}

/** The distinct non-empty `get(item)`, sorted (one array, no Set: it runs four times per span). */
function sortedDistinct<T>(items: readonly T[], get: (item: T) => string | undefined): string[] {
  const out: string[] = [];
  for (const it of items) {
    const v = get(it);
    if (v) out.push(v);
  }
  // Code-unit order, as the default sort gives. Insertion sort in place for the few values a span
  // has: Array.prototype.sort copies into a scratch array on every call (8 KB per request here).
  if (out.length <= SMALL_SORT) insertionSort(out);
  else out.sort(byCodeUnits);
  let w = 0;
  for (let i = 0; i < out.length; i++) if (w === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  out.length = w;
  return out;
}

/** One event per distinct (fingerprint, field), capped; the cap sets sst.truncated. */
function eventsFor<T extends { fp: string; field: string }>(
  items: readonly T[], name: string, time: HrTime, max: number, attrs: (t: T) => Attributes,
): { events: SpanEventOut[]; capped: boolean } {
  const seen = new Set<string>();
  const events: SpanEventOut[] = [];
  let capped = false;
  for (const it of items) {
    const k = it.fp + '\u0000' + it.field;
    if (seen.has(k)) continue;
    seen.add(k);
    if (events.length >= max) { capped = true; break; }
    events.push({ name, attributes: attrs(it), time, droppedAttributesCount: 0 });
  }
  return { events, capped };
}

/** When the events were capped, the category of every fingerprint (aligned with the sorted
 *  `sst.fingerprints`), so a batch of 500 contacts still says which ids are emails and which are
 *  phones without 2,000 events. Absent when every fingerprint has its event. */
function fingerprintCategories(items: ReadonlyArray<{ fp: string; category: string }>, fps: readonly string[]): string[] {
  const byFp = new Map<string, string>();
  for (const it of items) if (!byFp.has(it.fp)) byFp.set(it.fp, it.category);
  return fps.map((fp) => byFp.get(fp) ?? '');
}

export function collectAnnotations(
  res: CollectResult, flow: 'collect' | 'load', time: HrTime, maxEvents: number,
): SstAnnotations | null {
  if (res.tags.length === 0) {
    if (res.errors.length === 0) return null;
    return { attributes: { 'sst.error': res.errors.join('; ').slice(0, 500) }, events: [] };
  }
  const { events, capped } = eventsFor<Tag>(res.tags, 'sst.tag', time, maxEvents, (t) => ({
    'sst.fingerprint': t.fp, 'sst.category': t.category, 'sst.field': t.field,
    ...(t.subject ? { 'sst.subject': t.subject } : {}),
  }));
  const attributes: Attributes = {
    'sst.flow': flow,
    'sst.categories': sortedDistinct(res.tags, (t) => t.category),
    'sst.fingerprints': sortedDistinct(res.tags, (t) => t.fp),
    'sst.subjects': sortedDistinct(res.tags, (t) => t.subject),
    'sst.fields': sortedDistinct(res.tags, (t) => t.field),
  };
  if (capped) attributes['sst.fingerprint_categories'] = fingerprintCategories(res.tags, attributes['sst.fingerprints'] as string[]);
  if (res.truncated || capped) attributes['sst.truncated'] = true;
  if (res.errors.length) attributes['sst.error'] = res.errors.join('; ').slice(0, 500);
  return { attributes, events };
}

export function matchAnnotations(
  matches: readonly ShareMatch[], flow: 'share' | 'store', time: HrTime, maxEvents: number,
  truncated: boolean, errors: readonly string[],
): SstAnnotations | null {
  if (matches.length === 0) {
    if (errors.length === 0) return null;
    return { attributes: { 'sst.error': errors.join('; ').slice(0, 500) }, events: [] };
  }
  const { events, capped } = eventsFor<ShareMatch>(matches, 'sst.match', time, maxEvents, (m) => ({
    'sst.fingerprint': m.fp, 'sst.category': m.category, 'sst.field': m.field, 'sst.transform': m.transform,
    ...(m.subject ? { 'sst.subject': m.subject } : {}),
  }));
  const pairs = new Set(matches.map((m) => m.fp + '\u0000' + m.field));
  const attributes: Attributes = {
    'sst.flow': flow,
    'sst.categories': sortedDistinct(matches, (m) => m.category),
    'sst.fingerprints': sortedDistinct(matches, (m) => m.fp),
    'sst.subjects': sortedDistinct(matches, (m) => m.subject),
    'sst.fields': sortedDistinct(matches, (m) => m.field),
    'sst.transforms': sortedDistinct(matches, (m) => m.transform),
    'sst.match.count': pairs.size,
  };
  if (capped) attributes['sst.fingerprint_categories'] = fingerprintCategories(matches, attributes['sst.fingerprints'] as string[]);
  if (truncated || capped) attributes['sst.truncated'] = true;
  if (errors.length) attributes['sst.error'] = errors.join('; ').slice(0, 500);
  return { attributes, events };
}

export function shareAnnotations(res: ShareResult, time: HrTime, maxEvents: number): SstAnnotations | null {
  const base = matchAnnotations(res.matches, 'share', time, maxEvents, res.truncated, res.errors);
  if (!base || res.matches.length === 0) return base;
  const d = res.destination;
  base.attributes['sst.destination.host'] = d.host;
  base.attributes['sst.destination.vendor'] = d.vendor;
  base.attributes['sst.destination.kind'] = d.kind;
  base.attributes['sst.destination.third_party'] = d.thirdParty;
  return base;
}
