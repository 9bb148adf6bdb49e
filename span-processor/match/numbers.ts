// Money-like numbers in free text (`$120,000.00`, `120 000`, `120.000,00`) → plain decimal strings
// (`120000`), the canonical form an income-like value is indexed under.

/** Strip a fraction of zeros; `frac` is digits only. */
function decimal(intDigits: string, frac: string): string {
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  let start = 0;
  while (start < intDigits.length - 1 && intDigits.charCodeAt(start) === 48) start++;
  const i = intDigits.slice(start);
  return end === 0 ? i : `${i}.${frac.slice(0, end)}`;
}

/**
 * Candidate decimal strings for a number token made of digit groups and the separators between
 * them. Ambiguous tokens (`120.000`) yield both readings; lookups of the wrong one just miss.
 */
export function normalizeNumber(groups: readonly string[], seps: readonly string[]): string[] {
  const all = groups.join('');
  const out: string[] = [decimal(all, '')];
  const n = groups.length;
  if (n >= 2) {
    const last = seps[n - 2];
    const lastLen = groups[n - 1].length;
    if ((last === '.' || last === ',') && (lastLen !== 3 || !seps.slice(0, n - 2).includes(last))) {
      const d = decimal(groups.slice(0, n - 1).join(''), groups[n - 1]);
      if (!out.includes(d)) out.push(d);
    }
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSep(c: number): boolean {
  return c === 44 || c === 46 || c === 32 || c === 39 || c === 0xa0 || c === 0x202f || c === 0x2009;
}

export interface NumberToken {
  start: number;
  end: number;
  groups: string[];
  seps: string[];
}

/**
 * Reads a number token at `i` (a digit). A separator continues the token only when followed by a
 * digit group, and a space only before a group of exactly three digits (`120 000`).
 */
export function readNumber(text: string, i: number): NumberToken {
  const groups: string[] = [];
  const seps: string[] = [];
  let pos = i;
  const n = text.length;
  for (;;) {
    const gStart = pos;
    while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
    groups.push(text.slice(gStart, pos));
    if (pos + 1 >= n || groups.length >= 8) break;
    const s = text.charCodeAt(pos);
    if (!isSep(s) || !isDigit(text.charCodeAt(pos + 1))) break;
    if (s !== 44 && s !== 46) {
      let k = pos + 1;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      if (k - pos - 1 !== 3) break;
    }
    seps.push(text[pos]);
    pos++;
  }
  return { start: i, end: pos, groups, seps };
}
