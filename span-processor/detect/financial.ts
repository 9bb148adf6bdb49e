// Payment cards (Luhn) and IBANs (ISO 13616 mod-97 with the per-country length).

/** Digits with optional single spaces or dashes between them, 13–19 digits. */
const CARD_LOOSE = /^\d(?:[ -]?\d){12,18}$/;
/** Written in 4-digit groups with one consistent separator: `4111 1111 1111 1111`, `4111-1111-…`. */
const CARD_GROUPED = /^\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?$/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function digitsOnly(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) out += v[i];
  }
  return out;
}

/** A card number under a card field name: 13–19 Luhn-valid digits, spaces or dashes allowed. */
export function isCardNumber(value: string): boolean {
  const v = value.trim();
  if (v.length > 40 || !CARD_LOOSE.test(v)) return false;
  const digits = digitsOnly(v);
  return !allSameDigit(digits) && luhnValid(digits);
}

/** A card number recognisable without a field name: 4-digit groups with separators, Luhn-valid. */
export function isGroupedCardNumber(value: string): boolean {
  const v = value.trim();
  if (v.length > 40 || !CARD_GROUPED.test(v)) return false;
  const digits = digitsOnly(v);
  return digits.length >= 13 && digits.length <= 19 && !allSameDigit(digits) && luhnValid(digits);
}

function allSameDigit(digits: string): boolean {
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return false;
  return true;
}

// IBAN lengths from the SWIFT IBAN registry.
const IBAN_LENGTH: ReadonlyMap<string, number> = new Map(Object.entries({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
}));

/** Country, check digits, then alphanumerics, optionally in space-separated groups. */
const IBAN_SHAPE = /^[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}$/;

/** A valid IBAN: known country, that country's length, mod-97 = 1. */
export function isIban(value: string): boolean {
  const v = value.trim();
  if (v.length > 42 || !IBAN_SHAPE.test(v)) return false;
  let compact = '';
  for (let i = 0; i < v.length; i++) if (v[i] !== ' ') compact += v[i];
  compact = compact.toUpperCase();
  if (IBAN_LENGTH.get(compact.slice(0, 2)) !== compact.length) return false;
  // Move the first four characters to the end, letters → 10..35, and reduce mod 97 as we go.
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
}
