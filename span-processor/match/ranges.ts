// Ranges of an attribute value (url.full, db.statement, an exception message) that hold a registered
// value, so the exporter can replace them with `[sst:<category>:<fp>]`. Two passes: the raw text
// (free text, digests, emails, phones), then each URL-delimited segment percent-decoded with an
// offset map back onto the raw text (`jane%40x.com`, `Jane+Doe`).
import type { Registry, RegistryHit } from '../types';
import { paramKey } from '../decode/paths';
import { percentDecode } from '../decode/percent';
import { keepMask, type Candidate } from './policy';
import { newScanEnv } from './leaves';
import type { MatchOptions } from './options';
import { scanText, scanWhole, type HitSink, type ScanEnv } from './scan';

export interface ValueRange {
  start: number;
  end: number;
  hit: RegistryHit;
}

interface RangeCandidate extends Candidate {
  start: number;
  end: number;
}

const MAX_CANDIDATES = 2000;
const MAX_TEXT = 1 << 20;

function isDelimiter(c: number): boolean {
  // / ? & = # ; , whitespace " ' < > ( ) [ ] { } |
  return c === 47 || c === 63 || c === 38 || c === 61 || c === 35 || c === 59 || c === 44 || c <= 32
    || c === 34 || c === 39 || c === 60 || c === 62 || c === 40 || c === 41 || c === 91 || c === 93
    || c === 123 || c === 125 || c === 124;
}

/** Parameter name when the segment at `s` is the value of `name=`; '' otherwise. */
function paramKeyBefore(text: string, s: number): string {
  if (s === 0 || text.charCodeAt(s - 1) !== 61) return '';
  let ns = s - 1;
  while (ns > 0 && ns > s - 130) {
    const c = text.charCodeAt(ns - 1);
    if (c === 63 || c === 38 || c === 59 || c <= 32) break;
    ns--;
  }
  return paramKey(percentDecode(text.slice(ns, s - 1), true));
}

export function findValueRanges(text: string, registry: Registry, opts: MatchOptions): ValueRange[] {
  if (typeof text !== 'string' || text.length === 0 || registry.isEmpty?.() === true) return [];
  const env = newScanEnv(registry, opts);
  const cands: RangeCandidate[] = [];
  const collect = (base: number, key: string, map: number[] | null, source: string): HitSink =>
    (start, end, hits, _enc, kind, weakWord) => {
      const rs = base + (map === null ? start : map[start]);
      const re = base + (map === null ? end : map[end]);
      const token = source.slice(start, end).toLowerCase();
      for (const hit of hits) {
        if (cands.length < MAX_CANDIDATES) cands.push({ hit, field: '', key, token, kind, weakWord, start: rs, end: re });
      }
    };
  try {
    const scanned = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
    scanText(env, scanned, true, collect(0, '', null, scanned));
    scanSegments(env, scanned, collect);
  } catch {
    // a failing lookup must not break export: whatever was found so far is still scrubbed
  }
  return pickRanges(cands, keepMask(cands, { shareUserAgent: opts.shareUserAgent === true, scrub: true }));
}

function scanSegments(env: ScanEnv, text: string, collect: (base: number, key: string, map: number[] | null, source: string) => HitSink): void {
  const n = text.length;
  let i = 0;
  while (i < n && !env.truncated) {
    while (i < n && isDelimiter(text.charCodeAt(i))) i++;
    const s = i;
    let encoded = false;
    while (i < n && !isDelimiter(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      if (c === 37 || c === 43) encoded = true;
      i++;
    }
    if (i === s || (s === 0 && i === n)) continue;
    const raw = text.slice(s, i);
    const key = paramKeyBefore(text, s);
    if (encoded) {
      const map: number[] = [];
      const decoded = percentDecode(raw, true, map);
      scanText(env, decoded, true, collect(s, key, map, decoded));
    } else {
      scanWhole(env, raw, collect(s, key, null, raw));
    }
  }
}

/** Kept candidates → non-overlapping ranges, longer ranges first, then sorted by start. */
function pickRanges(cands: readonly RangeCandidate[], keep: readonly boolean[]): ValueRange[] {
  const kept: RangeCandidate[] = [];
  for (let i = 0; i < cands.length; i++) if (keep[i] && cands[i].end > cands[i].start) kept.push(cands[i]);
  kept.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const out: ValueRange[] = [];
  for (const c of kept) {
    let overlaps = false;
    for (const r of out) {
      if (c.start < r.end && r.start < c.end) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) out.push({ start: c.start, end: c.end, hit: c.hit });
  }
  return out.sort((a, b) => a.start - b.start);
}
