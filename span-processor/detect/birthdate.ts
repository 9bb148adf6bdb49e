// Dates of birth: a calendar date in a common writing, with a year from 1900 to now.

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.+\-Z]{0,30})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
/** DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, DD-MM-YYYY. */
const YEAR_LAST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

const MIN_YEAR = 1900;

export interface DateParts { year: number; month: number; day: number }

function valid(year: number, month: number, day: number, now: Date): boolean {
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) return false;
  // Not in the future.
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  if (year !== y) return year < y;
  return month < m || (month === m && day <= now.getUTCDate());
}

/** Parses a plausible date of birth; day-first is preferred when both orders are valid. */
export function parseBirthdate(value: string, now: Date = new Date()): DateParts | null {
  const v = value.trim();
  if (v.length < 8 || v.length > 40) return null;
  let m = ISO.exec(v) ?? COMPACT.exec(v) ?? YEAR_FIRST.exec(v);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return valid(year, month, day, now) ? { year, month, day } : null;
  }
  m = YEAR_LAST.exec(v);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const year = Number(m[4]);
  if (valid(year, b, a, now)) return { year, month: b, day: a };
  if (valid(year, a, b, now)) return { year, month: a, day: b };
  return null;
}
