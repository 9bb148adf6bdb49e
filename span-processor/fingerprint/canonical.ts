// Canonical form per category (semconv §3): the one string a fingerprint id is computed from, so the
// same person's value has the same id wherever it is seen. Returns null when the value is not valid
// for its category; never throws.
import { isIP } from 'node:net';
import type { Category } from '../types';
import { isoDate, parseDate } from './dates';
import { genderCode } from './gender';
import { parsePhone } from './phone';
import { countryCode, usCaRegionCode } from './places';

/** Longer values are not fingerprinted: they are free text, not identifiers, and would bloat the
 *  registry with one huge key per variant. */
export const MAX_VALUE_CHARS = 4096;

// One `@`, no whitespace, a dot in the domain. Detection validates more strictly (TLDs); this only
// refuses obvious non-emails so a tagged field with junk does not get an email fingerprint.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const WHITESPACE_RUN = /\s+/g;
const NON_DIGITS = /\D+/g;
const SPACES = /\s+/g;

// Currency before or after: ISO codes, symbols, and dollar prefixes such as `R$`, `US$`, `C$`.
const MONEY = /^[-+]?(?:[A-Za-z]{1,3}\$|[A-Za-z]{3}|[$€£¥₹])?\s*[-+]?\d[\d.,'’\s]*(?:[A-Za-z]{3}|[$€£¥₹])?$/;
const MONEY_NOISE = /[^\d.,-]+/g;
const GROUPED_THOUSANDS = /^\d{1,3}(?:[.,]\d{3})+$/;
/** Indian grouping: lakh and crore (`1,34,000`, `12,34,56,789`). */
const INDIAN_GROUPED = /^\d{1,2}(?:,\d{2})+,\d{3}$/;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const TRAILING_ZEROS = /\.?0+$/;
const MINUS = /-/g;
const MAX_MONEY_CHARS = 64;

export function collapse(text: string): string {
  return text.trim().toLowerCase().replace(WHITESPACE_RUN, ' ');
}

/** `120000`, `87500.5`: the decimal string without grouping, currency or trailing zeros. */
export function canonicalAmount(raw: string): string | null {
  const s = raw.trim();
  if (s.length === 0 || s.length > MAX_MONEY_CHARS || !MONEY.test(s)) return null;
  let t = s.replace(MONEY_NOISE, '');
  const negative = t.startsWith('-');
  t = t.replace(MINUS, '');
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal mark (`1,234.50` or `1.234,50`).
    const dec = lastDot > lastComma ? '.' : ',';
    const group = dec === '.' ? ',' : '.';
    t = t.split(group).join('');
    if (dec === ',') t = t.replace(',', '.');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    // One kind of mark: groups of three after it are thousands (`120,000`, `1.500.000`), else decimal.
    if (GROUPED_THOUSANDS.test(t) || (mark === ',' && INDIAN_GROUPED.test(t))) {
      t = t.split(mark).join('');
    } else if (mark === ',') {
      t = t.replace(',', '.');
    }
  }
  if (!PLAIN_NUMBER.test(t)) return null;
  t = t.replace(LEADING_ZEROS, '');
  if (t.includes('.')) t = t.replace(TRAILING_ZEROS, '');
  if (t === '') t = '0';
  return negative && t !== '0' ? '-' + t : t;
}

function nonEmpty(text: string): string | null {
  return text.length > 0 ? text : null;
}

export function canonicalize(category: Category, raw: string, defaultRegion: string): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_VALUE_CHARS) return null;
  switch (category) {
    case 'email': {
      const e = raw.trim().toLowerCase();
      return EMAIL.test(e) ? e : null;
    }
    case 'phone':
      return parsePhone(raw, defaultRegion)?.number ?? null;
    case 'name':
    case 'address':
    case 'city':
      return nonEmpty(collapse(raw));
    case 'birthdate': {
      const d = parseDate(raw, defaultRegion.toUpperCase());
      return d ? isoDate(d) : null;
    }
    case 'gender':
      return nonEmpty(genderCode(raw) ?? collapse(raw));
    case 'country':
      return nonEmpty(countryCode(raw) ?? collapse(raw));
    case 'region':
      return nonEmpty(usCaRegionCode(raw) ?? collapse(raw));
    case 'postal_code':
      return nonEmpty(raw.trim().toLowerCase());
    case 'income':
      return canonicalAmount(raw);
    case 'ip': {
      const ip = raw.trim();
      return isIP(ip) ? ip : null;
    }
    case 'card':
      return nonEmpty(raw.replace(NON_DIGITS, ''));
    case 'iban':
      return nonEmpty(raw.replace(SPACES, '').toUpperCase());
    case 'password':
    case 'user_agent':
      // As sent: a password or UA with a trailing space is a different value.
      return nonEmpty(raw);
    default:
      return nonEmpty(raw.trim());
  }
}
