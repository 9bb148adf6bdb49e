// Date parsing for birthdates: the handful of shapes forms and vendors use, nothing locale-magic.

export interface YMD { y: number; m: number; d: number }

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_FIRST_OR_MONTH_FIRST = /^(\d{1,2})([./-])(\d{1,2})[./-](\d{4})$/;
const MAX_DATE_CHARS = 40;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function valid(y: number, m: number, d: number): YMD | undefined {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DAYS[m - 1]) return undefined;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return undefined;
  return { y, m, d };
}

/** ISO (`1990-01-15`, with optional time), `19900115`, `15.01.1990`, `15/01/1990`, `01/15/1990`.
 *  An ambiguous `a/b/yyyy` (both ≤ 12) is month-first in the US and day-first elsewhere. */
export function parseDate(raw: string, region: string): YMD | undefined {
  const s = raw.trim();
  if (s.length > MAX_DATE_CHARS) return undefined;
  let m = ISO.exec(s) ?? COMPACT.exec(s);
  if (m) return valid(+m[1], +m[2], +m[3]);
  m = DAY_FIRST_OR_MONTH_FIRST.exec(s);
  if (!m) return undefined;
  const a = +m[1];
  const b = +m[3];
  const y = +m[4];
  if (m[2] === '.') return valid(y, b, a);
  if (a > 12) return valid(y, b, a);
  if (b > 12) return valid(y, a, b);
  return region === 'US' ? valid(y, a, b) : valid(y, b, a);
}

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function isoDate(p: YMD): string {
  return `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
}
