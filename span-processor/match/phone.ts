// Phone-like text → the forms a registry indexes (E.164, digits with country code, national digits,
// raw input). Most forms are plain digit rewrites; libphonenumber-js is only consulted when a
// national trunk prefix or an international dialling prefix has to be stripped, because parsing
// every digit run (timestamps, ids) costs more than all other matching together.
import { Metadata, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export interface PhoneRegion {
  code: CountryCode;
  /** National prefix that differs from the calling code (`0` in DE, `8` in RU; none in NANP). */
  trunk: string;
}

const regions = new Map<string, PhoneRegion | undefined>();

export function phoneRegion(region: string | undefined): PhoneRegion | undefined {
  if (typeof region !== 'string') return undefined;
  if (regions.has(region)) return regions.get(region);
  let out: PhoneRegion | undefined;
  if (isSupportedCountry(region)) {
    let trunk = '';
    try {
      const m = new Metadata();
      m.selectNumberingPlan(region);
      // typed as a flag in the .d.ts, but a method returning the prefix at runtime
      const plan = m.numberingPlan as unknown as { nationalPrefix?: () => string | undefined } | undefined;
      trunk = plan?.nationalPrefix?.() ?? '';
      if (trunk === getCountryCallingCode(region)) trunk = '';
    } catch {
      trunk = '0';
    }
    out = { code: region, trunk };
  }
  if (regions.size < 300) regions.set(region, out);
  return out;
}

/** Distinct lookup strings for one phone-like candidate (raw text first). */
export function phoneForms(candidate: string, region: PhoneRegion | undefined): string[] {
  const out: string[] = [candidate];
  const add = (s: string | undefined): void => {
    if (s !== undefined && s.length > 0 && !out.includes(s)) out.push(s);
  };
  let digits = '';
  for (let i = 0; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += candidate[i];
  }
  add(digits);
  if (candidate.charCodeAt(0) === 43) {
    // `+CC…`: E.164 and digits-with-country-code are rewrites; the registry indexes both
    add(`+${digits}`);
    return out;
  }
  const needsParse = digits.charCodeAt(0) === 48 || (region !== undefined && region.trunk !== '' && digits.startsWith(region.trunk));
  if (!needsParse) return out;
  try {
    const parsed = parsePhoneNumberFromString(candidate, region === undefined ? undefined : { defaultCountry: region.code });
    if (parsed !== undefined) {
      add(parsed.number);
      add(parsed.number.slice(1));
      add(parsed.nationalNumber);
    }
  } catch {
    // unparseable: the raw and digit forms above are still looked up
  }
  return out;
}
