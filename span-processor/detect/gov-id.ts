// Government ids. Only the US SSN has a shape distinctive enough to tag by value (and only when
// hyphenated); every other id needs a field name, and then just has to look like an id.

const SSN_HYPHENATED = /^(\d{3})-(\d{2})-(\d{4})$/;
const SSN_ANY = /^(\d{3})[- .]?(\d{2})[- .]?(\d{4})$/;
/** Numbers published as examples (the Woolworth wallet card, advertising samples). */
const SSN_SAMPLES: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789', '457555462']);

/** Indian PAN: five letters, four digits, one letter. */
const INDIAN_PAN = /^[A-Za-z]{5}\d{4}[A-Za-z]$/;
/** Ids are letters and digits, sometimes grouped with spaces, dots, dashes or slashes. */
const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9 ./-]{2,38}[A-Za-z0-9]$/;
const HAS_DIGIT = /\d/;

function ssnParts(m: RegExpExecArray | null): boolean {
  if (!m) return false;
  const area = m[1]!;
  const group = m[2]!;
  const serial = m[3]!;
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  const digits = area + group + serial;
  if (SSN_SAMPLES.has(digits)) return false;
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return true;
  return false;
}

/** `AAA-GG-SSSS` with a possible area, group and serial: recognisable without a field name. */
export function isHyphenatedSsn(value: string): boolean {
  return ssnParts(SSN_HYPHENATED.exec(value.trim()));
}

/** An SSN in any common writing (under an SSN field name). */
export function isSsn(value: string): boolean {
  const v = value.trim();
  if (v.length > 11) return false;
  return ssnParts(SSN_ANY.exec(v));
}

export function isIndianPan(value: string): boolean {
  return INDIAN_PAN.test(value.trim());
}

/** A value under a government-id field name: 4–40 id characters including a digit. */
export function looksLikeGovId(value: string): boolean {
  const v = value.trim();
  return ID_SHAPE.test(v) && HAS_DIGIT.test(v);
}
