// Email addresses: syntax plus a real top-level domain (IANA list from the `tlds` package).
// Extraction from text anchors on each `@` and scans outwards with bounded loops, so a long run of
// address characters without an `@` costs linear time (a global regex would retry at every offset).
import tldList from 'tlds';

const TLDS: ReadonlySet<string> = new Set(tldList.map((t) => t.toLowerCase()));

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_FOUND = 32;

// Local part: dot-atoms without leading/trailing/double dots. Domain: labels of ≤ 63 chars that
// neither start nor end with a hyphen. Each class excludes the separator that follows it, so the
// match is unambiguous and linear. Letters beyond ASCII are allowed in both (RFC 6531 addresses
// such as maría.garcía@example.com, and IDN domains): with ASCII classes the detector kept only
// `a.garcía`'s ASCII tail and fingerprinted an address nobody has.
const EMAIL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(\p{L}[\p{L}\p{M}\p{N}-]{0,62})$/u;
const LETTER = /[\p{L}\p{M}\p{N}]/u;
/** Scripts from here on (CJK, kana, hangul…) are written without spaces: a letter of theirs
 *  before an address in prose is the sentence, not the address (`連絡先jane@x.com`). */
const SPACELESS_SCRIPTS = 0x2e80;

/** A letter or digit beyond ASCII that can be part of an address found in text. */
export function isNonAsciiAddressChar(c: number): boolean {
  return c >= 0x80 && c < SPACELESS_SCRIPTS && LETTER.test(String.fromCharCode(c));
}

/** The same letters as a `v`-mode regex class, for the matcher's sticky address regex. */
export const ADDRESS_LETTER_CLASS = String.raw`[[\p{L}\p{M}\p{N}]--[\u2E80-\u{10FFFF}]]`;

/** The whole string (trimmed) is one email address with a known TLD. */
export function isEmail(value: string): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > MAX_LOCAL + 1 + MAX_DOMAIN) return false;
  const at = v.indexOf('@');
  if (at < 1 || at > MAX_LOCAL || at !== v.lastIndexOf('@')) return false;
  const m = EMAIL.exec(v);
  return m !== null && TLDS.has(m[1]!.toLowerCase());
}

function isLocalChar(c: number): boolean {
  // A-Z a-z 0-9 . _ % + -  (the characters seen in real addresses; quotes and the rarer atext
  // characters would swallow punctuation around addresses in prose)
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
    || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || isNonAsciiAddressChar(c);
}

function isDomainChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45
    || isNonAsciiAddressChar(c);
}

/** Every email address inside a text, as written, at most `max`. */
export function findEmails(text: string, max = MAX_FOUND): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < max) {
    const at = text.indexOf('@', from);
    if (at < 0) break;
    from = at + 1;
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) end++;
    // Sentence punctuation after an address: "mail jane@x.com."
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    if (start === at || end === at + 1) continue;
    const candidate = text.slice(start, end);
    if (isEmail(candidate)) {
      out.push(candidate);
      from = end;
    }
  }
  return out;
}
