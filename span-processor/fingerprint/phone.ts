// Phone parsing with libphonenumber-js (max metadata, for real validity checks). Shared by the
// canonical form and the variants so both agree on what a number is.
import { parsePhoneNumberFromString, type PhoneNumber, type CountryCode } from 'libphonenumber-js/max';

const MAX_PHONE_CHARS = 64;
const NON_DIGITS = /\D+/g;
/** Digits and the punctuation people type in numbers; only such input is retried as `+<digits>`. */
const PHONE_CHARS = /^[\d\s()+\-./]+$/;
const REGION = /^[A-Z]{2}$/;

function tryParse(text: string, region: CountryCode | undefined): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, region);
  } catch {
    return undefined;
  }
}

export interface ParsedNumber {
  phone: PhoneNumber | undefined;
  /** libphonenumber's isValid() (number ranges of the region's metadata). */
  valid: boolean;
}

/** One parse per number and region however many steps ask: the detector validates a number, the
 *  canonical form parses it, the variants parse its E.164 form, a DB row brings it back a moment
 *  later; each parse + isValid() costs 10-20 µs (libphonenumber matches the region's patterns). */
export function parseNumber(text: string, region: CountryCode | undefined): ParsedNumber {
  const key = (region ?? '') + '\u0000' + text;
  let p = parsed.get(key);
  if (p !== undefined) return p;
  const phone = tryParse(text, region);
  p = { phone, valid: phone?.isValid() ?? false };
  remember(key, p);
  // Its E.164 form, read with the same region, is the same number.
  if (phone !== undefined && phone.number !== text) remember((region ?? '') + '\u0000' + phone.number, p);
  return p;
}

const PARSED_MAX = 256;
const parsed = new Map<string, ParsedNumber>();
function remember(key: string, p: ParsedNumber): void {
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, p);
}

/** Parse a number typed nationally (`0151 …` with region DE), internationally (`+49 …`, `0049 …`),
 *  or as bare digits that only make sense with a country code (`448444124653`, as vendors send it).
 *  Undefined when no reading gives a possible number. */
export function parsePhone(raw: string, defaultRegion: string): PhoneNumber | undefined {
  // The canonical form and the variants parse the same number right after each other: remember
  // the last few results (libphonenumber parsing is the costliest step of registering a phone).
  const key = defaultRegion + '\u0000' + raw;
  const hit = recent.get(key);
  if (hit !== undefined || recent.has(key)) return hit;
  const parsed = parseUncached(raw, defaultRegion);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, parsed);
  return parsed;
}

const RECENT_MAX = 64;
const recent = new Map<string, PhoneNumber | undefined>();

function parseUncached(raw: string, defaultRegion: string): PhoneNumber | undefined {
  let s = raw.trim();
  if (s.length === 0 || s.length > MAX_PHONE_CHARS) return undefined;
  if (s.startsWith('00')) s = '+' + s.slice(2);
  const upper = defaultRegion.toUpperCase();
  const region = REGION.test(upper) ? (upper as CountryCode) : undefined;
  const nat = parseNumber(s, region);
  const national = nat.phone;
  if (nat.valid) return national;
  let withPlus: PhoneNumber | undefined;
  if (!s.startsWith('+') && PHONE_CHARS.test(s)) {
    const plus = parseNumber('+' + s.replace(NON_DIGITS, ''), undefined);
    withPlus = plus.phone;
    if (plus.valid) return withPlus;
  }
  if (national?.isPossible()) return national;
  if (withPlus?.isPossible()) return withPlus;
  return undefined;
}

export function digitsOnly(text: string): string {
  return text.replace(NON_DIGITS, '');
}
