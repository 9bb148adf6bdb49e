// Calendar dates written in free text (`16.10.1976`, `23 January 1991`, `September 14, 1989`) →
// ISO `YYYY-MM-DD`, the form a birthdate is indexed under. Prose rewrites a typed date more often
// than it copies it; an ambiguous `03/04/1990` yields both readings (the wrong one just misses).

const MAX_DATES = 16;
// Sticky-free global regexes over the whole text; no nested quantifiers, bounded repeats.
const NUMERIC = /(?<![\d.\/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d])/g;
const DAY_MONTH_YEAR = /(?<![\p{L}\d])(\d{1,2})(?:st|nd|rd|th)?\.?\s{1,3}(?:of\s{1,3})?(\p{L}{3,9})\.?,?\s{1,3}(\d{4})(?!\d)/gu;
const MONTH_DAY_YEAR = /(?<![\p{L}\d])(\p{L}{3,9})\.?\s{1,3}(\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(\d{4})(?!\d)/gu;

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['january', 1], ['jan', 1], ['february', 2], ['feb', 2], ['march', 3], ['mar', 3], ['april', 4], ['apr', 4],
  ['may', 5], ['june', 6], ['jun', 6], ['july', 7], ['jul', 7], ['august', 8], ['aug', 8], ['september', 9],
  ['sep', 9], ['sept', 9], ['october', 10], ['oct', 10], ['november', 11], ['nov', 11], ['december', 12], ['dec', 12],
]);

export interface DateToken {
  start: number;
  end: number;
  /** ISO forms to look up (one, or two for an ambiguous numeric date). */
  iso: string[];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return undefined;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Dates in `text` with their ISO readings. Cheap precheck: callers only pass text with digits. */
export function findDates(text: string): DateToken[] {
  const out: DateToken[] = [];
  const push = (start: number, end: number, forms: Array<string | undefined>): void => {
    const list = [...new Set(forms.filter((f): f is string => f !== undefined))];
    if (list.length > 0 && out.length < MAX_DATES) out.push({ start, end, iso: list });
  };
  let m: RegExpExecArray | null;
  NUMERIC.lastIndex = 0;
  while (out.length < MAX_DATES && (m = NUMERIC.exec(text)) !== null) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = Number(m[4]);
    push(m.index, m.index + m[0].length, [iso(y, b, a), iso(y, a, b)]);
  }
  DAY_MONTH_YEAR.lastIndex = 0;
  while (out.length < MAX_DATES && (m = DAY_MONTH_YEAR.exec(text)) !== null) {
    const month = MONTHS.get(m[2].toLowerCase());
    if (month !== undefined) push(m.index, m.index + m[0].length, [iso(Number(m[3]), month, Number(m[1]))]);
  }
  MONTH_DAY_YEAR.lastIndex = 0;
  while (out.length < MAX_DATES && (m = MONTH_DAY_YEAR.exec(text)) !== null) {
    const month = MONTHS.get(m[1].toLowerCase());
    if (month !== undefined) push(m.index, m.index + m[0].length, [iso(Number(m[3]), month, Number(m[2]))]);
  }
  return out;
}
