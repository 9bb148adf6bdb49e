// Phone numbers through libphonenumber-js with full metadata (`isValid()` checks number ranges,
// not only lengths). Without a phone field name a number must also be *written* like a phone
// (leading `+` or separators), because bare digit runs are mostly order numbers and ids.
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { parseNumber } from '../fingerprint/phone';

const MAX_PHONE_CHARS = 40;
const MAX_TEXT_CHARS = 16 * 1024;
const MAX_FOUND = 16;
/** A written phone number is a run of phone characters; longer runs are tables of numbers. */
const MAX_RUN_CHARS = 64;
/** libphonenumber's matcher costs ~30 µs per character of digit-dense text: only candidate runs go
 *  to it, at most this many characters of them per text (a 16 KB run of "1 1 1 …" took 0.5 s). */
const MAX_RUN_CHARS_PER_TEXT = 2048;
/** Candidate runs: an optional `+` or `(`, then digits and phone separators, ending in a digit. */
const PHONE_RUN = /[+(]?\d[\d\s().\/-]*\d/g;

/** Only phone characters: digits, `+`, spaces, `-`, `.`, `/`, parentheses; an optional extension. */
const PHONE_SHAPE = /^\+?[\d\s().\/-]{6,30}(?:\s?(?:ext\.?|x|#)\s?\d{1,6})?$/i;
const HAS_SEPARATOR = /\d[\s().\/-]+\d|^\s*\(/;
/** Dates and version-like dotted numbers are written with separators too. */
const DATE_LIKE = /^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\s*$/;

export interface PhoneValidator {
  /** A valid number in the default region, or in `region` when given (or international with `+`/`00`). */
  isValid(value: string, region?: string): boolean;
  /** Valid and written like a phone number (for values without a phone field name). */
  isWrittenLikePhone(value: string): boolean;
  /** Phone numbers written like phone numbers inside free text, as written, capped. */
  findInText(text: string): string[];
}

export function createPhoneValidator(defaultRegion: string): PhoneValidator {
  const region = defaultRegion as CountryCode;

  function isValid(value: string, hint?: string): boolean {
    const v = value.trim();
    if (v.length < 5 || v.length > MAX_PHONE_CHARS) return false;
    if (countDigits(v) < 6) return false;
    try {
      // `00` is the international prefix in most of the world (`0049 151 …`), but not in the
      // default region's metadata when that is NANP (011); the registry reads it as `+` too.
      const text = v.startsWith('00') ? `+${v.slice(2)}` : v;
      return parseNumber(text, (hint ?? region) as CountryCode).valid;
    } catch {
      return false;
    }
  }

  function looksWritten(v: string): boolean {
    if (!PHONE_SHAPE.test(v) || DATE_LIKE.test(v)) return false;
    const digits = countDigits(v);
    if (digits < 7 || digits > 15) return false;
    return v.trimStart().startsWith('+') || HAS_SEPARATOR.test(v);
  }

  return {
    isValid,
    isWrittenLikePhone(value: string): boolean {
      const v = value.trim();
      if (v.length > MAX_PHONE_CHARS) return false;
      return looksWritten(v) && isValid(v);
    },
    findInText(text: string): string[] {
      const t = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
      if (countDigits(t, 7) < 7) return [];
      const out: string[] = [];
      let budget = MAX_RUN_CHARS_PER_TEXT;
      PHONE_RUN.lastIndex = 0;
      for (let m = PHONE_RUN.exec(t); m !== null && out.length < MAX_FOUND; m = PHONE_RUN.exec(t)) {
        const run = m[0];
        if (run.length > MAX_RUN_CHARS || countDigits(run, 7) < 7) continue;
        budget -= run.length;
        if (budget < 0) break;
        // One character of context either side: the matcher rejects numbers glued to letters.
        const window = t.slice(Math.max(0, m.index - 1), m.index + run.length + 1);
        let found;
        try {
          found = findPhoneNumbersInText(window, { defaultCountry: region });
        } catch {
          continue;
        }
        for (const f of found) {
          if (out.length >= MAX_FOUND) break;
          const raw = window.slice(f.startsAt, f.endsAt);
          if (looksWritten(raw) && f.number.isValid()) out.push(raw);
        }
      }
      return out;
    },
  };
}

/** Digits in `s`, counting stops at `stopAt`. */
function countDigits(s: string, stopAt = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length && n < stopAt; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
