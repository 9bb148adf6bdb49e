// Value checks for a field whose name points to a category: the name says what it should be,
// the value must be plausibly that (a `phone` field holding "n/a" is not a phone number).
import { isEmail } from './email';
import type { PhoneValidator } from './phone';
import { parseBirthdate } from './birthdate';
import { isCardNumber, isIban } from './financial';
import { isIndianPan, looksLikeGovId } from './gov-id';
import { isTaggableIp } from './ip';
import { normalizeFieldName } from './field-names';

/** `fieldName` is the raw name of the field the value sits in. */
export type CategoryCheck = (value: string, fieldName: string) => boolean;

export interface CheckDeps {
  phone: PhoneValidator;
  genderValues: ReadonlySet<string>;
  regionStopwords: ReadonlySet<string>;
}

const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\d/;
/** Place names: letters, marks, spaces and the punctuation of names like "Saint-Denis", "St. John's". */
const PLACE = /^[\p{L}\p{M}][\p{L}\p{M} .'’()-]{0,99}$/u;
/** Optional sign and currency (symbol or ISO code) around digits with grouping and decimals. */
const AMOUNT = /^[+-]?(?:\p{Sc}|[A-Za-z]{3})?\s?\d(?:[\d.,' \u00a0\u202f]{0,24}\d)?\s?(?:\p{Sc}|[A-Za-z]{3}|[kKmM])?$/u;
const POSTAL = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,8}[A-Za-z0-9])?$/;
const UUID = /^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$/;
const ZERO_UUID = /^[0-]+$/;
const TOKEN = /^[\x21-\x7e]+$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Values that fill id fields without identifying anyone. */
const PLACEHOLDER_IDS: ReadonlySet<string> = new Set([
  '0', '-1', 'null', 'undefined', 'none', 'nil', 'anonymous', 'anon', 'guest', 'unknown', 'n/a', 'na', '-',
]);

function notBlank(v: string): boolean {
  return v.trim().length > 0;
}

/** A person's name (first, last or full): letters, not an email, not a number, ≤ 100 chars. */
export function isPersonName(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || v.length > 100 || !HAS_LETTER.test(v)) return false;
  if (v.includes('@') || URL_LIKE.test(v)) return false;
  return !PLACEHOLDER_IDS.has(v.toLowerCase());
}

/** A number or numeric string, possibly with currency and grouping: `120000`, `$120,000.00`, `85.000 €`. */
export function isAmount(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && v.length <= 40 && AMOUNT.test(v);
}

/** 1–10 characters of letters, digits, spaces or dashes, with a digit (UK, CA, NL codes have one too). */
export function isPostalCode(value: string): boolean {
  const v = value.trim();
  return v.length <= 10 && POSTAL.test(v) && HAS_DIGIT.test(v);
}

export function isStreetAddress(value: string): boolean {
  const v = value.trim();
  if (v.length < 3 || v.length > 200 || !HAS_LETTER.test(v)) return false;
  return !v.includes('@') && !URL_LIKE.test(v);
}

export function isPlaceName(value: string, max: number): boolean {
  const v = value.trim();
  return v.length > 0 && v.length <= max && PLACE.test(v);
}

/** Advertising / device ids: a UUID (not the all-zero "limit ad tracking" id) or an 8+ char token. */
export function isDeviceId(value: string): boolean {
  const v = value.trim();
  if (UUID.test(v)) return !ZERO_UUID.test(v);
  return v.length >= 8 && v.length <= 256 && TOKEN.test(v);
}

/** Click ids and browser-id cookies are opaque tokens without whitespace. */
export function isClickId(value: string): boolean {
  const v = value.trim();
  return v.length >= 6 && v.length <= 1024 && TOKEN.test(v);
}

export function isUserId(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && v.length <= 256 && !PLACEHOLDER_IDS.has(v.toLowerCase());
}

export function createCategoryChecks(deps: CheckDeps): (category: string, value: string, fieldName: string) => boolean {
  const checks = new Map<string, CategoryCheck>(Object.entries({
    email: (v) => isEmail(v),
    phone: (v) => deps.phone.isValid(v),
    name: (v) => isPersonName(v),
    birthdate: (v) => parseBirthdate(v) !== null,
    gender: (v) => v.length <= 40 && deps.genderValues.has(normalizeFieldName(v)),
    income: (v) => isAmount(v),
    address: (v) => isStreetAddress(v),
    city: (v) => isPlaceName(v, 100),
    region: (v) => isPlaceName(v, 60) && !deps.regionStopwords.has(normalizeFieldName(v)),
    country: (v) => isPlaceName(v, 60),
    postal_code: (v) => isPostalCode(v),
    ip: (v) => isTaggableIp(v),
    device_id: (v) => isDeviceId(v),
    ad_click_id: (v) => isClickId(v),
    user_id: (v) => isUserId(v),
    password: (v) => notBlank(v) && v.length <= 1024,
    health: (v) => notBlank(v) && (HAS_LETTER.test(v) || HAS_DIGIT.test(v)),
    card: (v) => isCardNumber(v),
    iban: (v) => isIban(v),
    // `pan` is also a card's primary account number: as an id it must have the Indian PAN shape.
    gov_id: (v, field) => (normalizeFieldName(field) === 'pan' ? isIndianPan(v) : looksLikeGovId(v)),
    user_agent: (v) => notBlank(v),
  } satisfies Record<string, CategoryCheck>));
  return (category, value, fieldName) => {
    const check = checks.get(category);
    // Custom categories from config: the field name is the whole evidence.
    return check ? check(value, fieldName) : notBlank(value);
  };
}
