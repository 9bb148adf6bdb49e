// Vendor normalization variants (semconv §5, vendors.md "Normalization matrix"): the strings a vendor
// SDK or integration would hash or send for one collected value. Each is indexed under the value's
// fingerprint id, so a share is recognized whichever normalization the sender applied.
import type { Category, VariantTransform } from '../types';
import { parseDate, pad2 } from './dates';
import { digitsOnly, parsePhone } from './phone';
import { collapse } from './canonical';
import { countryCode, usCaRegionCode } from './places';

export interface Variant {
  value: string;
  variant: VariantTransform;
}

/** Name parts beyond this are ignored (a pasted paragraph in a name field is not a name). */
const MAX_NAME_WORDS = 6;
const MAX_NAME_PARTS = 4;

const WHITESPACE = /\s+/g;
const WHITESPACE_SPLIT = /\s+/;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const NOT_A_TO_Z = /[^a-z]+/g;
const ACCENTS = /[\u0300-\u036f]/g;
const HYPHEN_SPLIT = /[-‐‑–]+/;
const GMAIL = /^(?:gmail|googlemail)\.com$/;
const DOT = /\./g;
const ZIP_US = /^(\d{5})(?:[\s-]?\d{4})?$/;
const LEADING_ZEROS = /^0+/;

/** Collects variants in order, keeping the first transform name for a repeated string. */
class VariantList {
  readonly out: Variant[] = [];
  private readonly seen = new Set<string>();
  add(value: string, variant: VariantTransform): void {
    if (value.length === 0 || this.seen.has(value)) return;
    this.seen.add(value);
    this.out.push({ value, variant });
  }
}

function emailVariants(list: VariantList, raw: string, canonical: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical, 'lowercase');
  list.add(raw.replace(WHITESPACE, '').toLowerCase(), 'normalized');
  const at = canonical.lastIndexOf('@');
  if (at <= 0) return;
  const local = canonical.slice(0, at);
  const domain = canonical.slice(at);
  const plus = local.indexOf('+');
  const untagged = plus >= 0 ? local.slice(0, plus) : local;
  if (GMAIL.test(domain.slice(1))) {
    // Google Ads / Enhanced Conversions: all dots removed, `+tag` kept.
    list.add(local.replace(DOT, '') + domain, 'normalized');
    // Google Data Manager: dots and `+tag` removed.
    list.add(untagged.replace(DOT, '') + domain, 'normalized');
    // Segment's Gmail normalizer removed only the first dot.
    list.add(local.replace('.', '') + domain, 'normalized');
  }
  // Segment → Reddit: dots and `+tag` removed for every domain; and `+tag` alone, a common cleanup.
  list.add(untagged.replace(DOT, '') + domain, 'normalized');
  list.add(untagged + domain, 'normalized');
}

function phoneVariants(list: VariantList, raw: string, canonical: string, region: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical, 'normalized');
  const withCountry = canonical.slice(1);
  list.add(withCountry, 'normalized');
  const parsed = parsePhone(canonical, region);
  if (parsed) {
    list.add(parsed.nationalNumber, 'normalized');
    // National dialling form with its trunk prefix, e.g. DE `015772345678`.
    list.add(digitsOnly(parsed.formatNational()), 'normalized');
  }
  const typedDigits = digitsOnly(raw);
  list.add(typedDigits, 'normalized');
  // Meta param-builder strips leading zeros, so `0049…` typed becomes `49…`.
  list.add(typedDigits.replace(LEADING_ZEROS, ''), 'normalized');
}

/** Variants of one name or one word of it. `typed` keeps the user's case. */
function nameWordVariants(list: VariantList, typed: string, lower: string, typedVariant: VariantTransform): void {
  list.add(typed, typedVariant);
  list.add(lower, 'lowercase');
  list.add(lower.replace(WHITESPACE, ''), 'normalized');
  const alnum = lower.replace(NOT_LETTER_OR_DIGIT, '');
  list.add(alnum, 'normalized');
  const ascii = lower.normalize('NFD').replace(ACCENTS, '').replace(NOT_A_TO_Z, '');
  list.add(ascii, 'normalized');
  // Meta f5first / f5last and fi: computed on the normalized name.
  const cut = Array.from(alnum);
  list.add(cut.slice(0, 5).join(''), 'substring');
  list.add(Array.from(lower).slice(0, 5).join(''), 'substring');
  if (cut.length > 0) list.add(cut[0], 'substring');
}

function nameVariants(list: VariantList, raw: string, canonical: string): void {
  nameWordVariants(list, raw.trim(), canonical, 'lowercase');
  // Forms and vendors split a full name into first and last name and hash each alone.
  const typedWords = raw.trim().split(WHITESPACE_SPLIT).slice(0, MAX_NAME_WORDS);
  if (typedWords.length > 1) {
    for (const w of typedWords) nameWordVariants(list, w, w.toLowerCase(), 'plain');
  }
  // Hyphenated parts (`Mary` of `Mary-Jane`) are weaker: kept as substrings, so only their digests
  // are indexed and a bare plain `mary` elsewhere is not taken for this person.
  for (const w of typedWords) {
    const parts = w.toLowerCase().split(HYPHEN_SPLIT).slice(0, MAX_NAME_PARTS);
    if (parts.length < 2) continue;
    for (const p of parts) {
      list.add(p, 'substring');
      list.add(p.replace(NOT_LETTER_OR_DIGIT, ''), 'substring');
    }
  }
}

function dateVariants(list: VariantList, raw: string, region: string): void {
  list.add(raw.trim(), 'lowercase');
  const d = parseDate(raw, region.toUpperCase());
  if (!d) return;
  const y = String(d.y);
  const m = pad2(d.m);
  const day = pad2(d.d);
  list.add(y + m + day, 'normalized');
  list.add(`${y}-${m}-${day}`, 'normalized');
  list.add(`${day}/${m}/${y}`, 'normalized');
  list.add(`${m}/${day}/${y}`, 'normalized');
  // Meta doby / dobm / dobd.
  list.add(y, 'substring');
  list.add(m, 'substring');
  list.add(day, 'substring');
}

function cityVariants(list: VariantList, raw: string, canonical: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical, 'lowercase');
  list.add(canonical.replace(WHITESPACE, ''), 'normalized');
  list.add(canonical.replace(NOT_LETTER_OR_DIGIT, ''), 'normalized');
  list.add(canonical.normalize('NFD').replace(ACCENTS, '').replace(NOT_A_TO_Z, ''), 'normalized');
}

function postalVariants(list: VariantList, raw: string, canonical: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical, 'lowercase');
  const beforeDash = canonical.split('-')[0].replace(WHITESPACE, '');
  list.add(beforeDash, 'normalized');
  list.add(canonical.replace(WHITESPACE, ''), 'normalized');
  const us = ZIP_US.exec(canonical);
  if (us) list.add(us[1], 'normalized');
  list.add(digitsOnly(canonical), 'normalized');
}

/** `120000` → `120,000` (digits only; the sign stays in front). */
function groupThousands(int: string): string {
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    out = digits.slice(start, end) + (out ? ',' + out : '');
  }
  return sign + out;
}

function amountVariants(list: VariantList, raw: string, canonical: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical, 'normalized');
  const dot = canonical.indexOf('.');
  const int = dot >= 0 ? canonical.slice(0, dot) : canonical;
  const frac = dot >= 0 ? canonical.slice(dot + 1) : '';
  if (frac === '') list.add(int + '.0', 'normalized');
  if (frac.length <= 2) list.add(`${int}.${frac.padEnd(2, '0')}`, 'normalized');
  const grouped = groupThousands(int);
  if (grouped !== int) {
    list.add(frac ? `${grouped}.${frac}` : grouped, 'normalized');
    if (frac.length <= 2) list.add(`${grouped}.${frac.padEnd(2, '0')}`, 'normalized');
  }
}

function idVariants(list: VariantList, raw: string, canonical: string): void {
  list.add(raw.trim(), 'lowercase');
  list.add(canonical.toLowerCase(), 'lowercase');
  list.add(canonical.toUpperCase(), 'lowercase');
  // Meta param-builder external_id: lowercase with all whitespace removed.
  list.add(canonical.toLowerCase().replace(WHITESPACE, ''), 'normalized');
}

export function variants(category: Category, raw: string, canonical: string, defaultRegion: string): Variant[] {
  const list = new VariantList();
  list.add(raw, 'plain');
  switch (category) {
    case 'email':
      emailVariants(list, raw, canonical);
      break;
    case 'phone':
      phoneVariants(list, raw, canonical, defaultRegion);
      break;
    case 'name':
      nameVariants(list, raw, canonical);
      break;
    case 'birthdate':
      dateVariants(list, raw, defaultRegion);
      break;
    case 'gender':
      list.add(raw.trim(), 'lowercase');
      list.add(collapse(raw), 'lowercase');
      list.add(canonical, 'normalized');
      break;
    case 'country': {
      list.add(raw.trim(), 'lowercase');
      list.add(collapse(raw), 'lowercase');
      const code = countryCode(raw);
      if (code) {
        list.add(code, 'normalized');
        list.add(code.toUpperCase(), 'normalized');
      }
      break;
    }
    case 'region': {
      list.add(raw.trim(), 'lowercase');
      list.add(collapse(raw), 'lowercase');
      const code = usCaRegionCode(raw);
      if (code) list.add(code, 'normalized');
      break;
    }
    case 'city':
      cityVariants(list, raw, canonical);
      break;
    case 'postal_code':
      postalVariants(list, raw, canonical);
      break;
    case 'income':
      amountVariants(list, raw, canonical);
      break;
    case 'address':
    case 'ip':
      list.add(raw.trim(), 'lowercase');
      list.add(canonical, 'lowercase');
      list.add(canonical.toLowerCase(), 'lowercase');
      break;
    case 'card':
      list.add(canonical, 'normalized');
      break;
    case 'iban':
      list.add(canonical, 'normalized');
      list.add(canonical.toLowerCase(), 'normalized');
      break;
    case 'gov_id':
      idVariants(list, raw, canonical);
      list.add(digitsOnly(canonical), 'normalized');
      break;
    case 'password':
    case 'user_agent':
      break;
    default:
      // user_id, device_id, ad_click_id, custom: raw, trimmed, case forms, external_id form.
      idVariants(list, raw, canonical);
      break;
  }
  return list.out;
}
