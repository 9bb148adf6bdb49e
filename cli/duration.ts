// `--since 1h`, `--since 90m`, `--since 1d12h`, or an ISO date/time: the instant to start from.
import { UsageError } from './errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d{1,9}(?:ms|s|m|h|d|w))+$/;
const PART = /(\d{1,9})(ms|s|m|h|d|w)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of a duration like `1h30m`; throws UsageError on anything else. */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  if (s.length > 64 || !DURATION.test(s)) throw new UsageError(`invalid duration "${text.slice(0, 40)}" (use e.g. 30s, 15m, 1h, 7d, 1h30m)`);
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** `--since`: a duration back from `now`, or an absolute ISO date/time (UTC unless it says). */
export function parseSince(text: string, now: number = Date.now()): number {
  const s = text.trim();
  if (ISO_DATE.test(s)) {
    const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : s + 'Z';
    const t = Date.parse(withZone.replace(' ', 'T'));
    if (Number.isFinite(t)) return t;
  }
  return now - parseDuration(s);
}
