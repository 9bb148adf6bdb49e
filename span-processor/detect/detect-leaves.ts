// Leaves → tagged personal values. Per leaf: the field name (last path segment) picks candidate
// categories and the value must pass that category's check; failing that, values that identify
// themselves (emails, grouped card numbers, IBANs, hyphenated SSNs, phone numbers written as such)
// are tagged wherever they are; free text is searched for emails and phone numbers inside it.
import type { Leaf } from '../types';
import type { FieldMatcher } from './field-names';
import { pathFields } from './field-names';
import type { PhoneValidator } from './phone';
import { findEmails, isEmail } from './email';
import { isGroupedCardNumber, isIban } from './financial';
import { isHyphenatedSsn } from './gov-id';
import type { TagCollector } from './tag-collector';
import { countryCode } from '../fingerprint/places';

/** Values longer than this are only searched as free text. */
export const MAX_VALUE_CHARS = 4096;
/** Free-text search looks at this much of a value. */
export const MAX_TEXT_CHARS = 64 * 1024;
/** Leaves inspected per call (decode caps them too; this guards direct callers). */
export const MAX_LEAVES = 20_000;

export interface LeafDetectorDeps {
  matcher: FieldMatcher;
  check(category: string, value: string, fieldName: string): boolean;
  phone: PhoneValidator;
  /** The configured phone region; a request's own country hint is used only when it differs. */
  defaultRegion?: string;
}

/** Returns false when the leaves were not all inspected (leaf cap). */
export type LeafDetector = (leaves: readonly Leaf[], out: TagCollector) => boolean;

const NEVER_TAGGED: ReadonlySet<string> = new Set(['true', 'false', 'null', 'undefined', 'True', 'False', 'TRUE', 'FALSE']);

export function createLeafDetector(deps: LeafDetectorDeps): LeafDetector {
  const { matcher, check, phone } = deps;

  /** The category of a value recognisable by its shape alone, if any. */
  function categoryByValue(v: string): string | undefined {
    const c0 = firstNonSpace(v);
    if (c0 === 0) return undefined;
    if (v.includes('@')) return isEmail(v) ? 'email' : undefined;
    const startsWithDigit = c0 >= 48 && c0 <= 57;
    if (startsWithDigit) {
      if (isGroupedCardNumber(v)) return 'card';
      if (isHyphenatedSsn(v)) return 'gov_id';
    } else if (isAsciiLetter(c0)) {
      return v.length >= 15 && isIban(v) ? 'iban' : undefined;
    }
    if ((startsWithDigit || c0 === 43 /* + */ || c0 === 40 /* ( */) && phone.isWrittenLikePhone(v)) return 'phone';
    return undefined;
  }

  function searchText(leaf: Leaf, out: TagCollector): void {
    const v = leaf.value;
    const text = v.length > MAX_TEXT_CHARS ? v.slice(0, MAX_TEXT_CHARS) : v;
    if (text.includes('@')) for (const e of findEmails(text)) out.add('email', leaf.path, e);
    if (hasWhitespace(text)) for (const p of phone.findInText(text)) out.add('phone', leaf.path, p);
  }

  /** A request that says which country the person is in (a `country` field) tells how to read a
   *  national phone number in it: "347 123 4567" next to `country: "IT"` is +39 347 123 4567. */
  function regionHint(leaves: readonly Leaf[], n: number): string | undefined {
    for (let i = 0; i < n; i++) {
      const leaf = leaves[i];
      if (!leaf || typeof leaf.value !== 'string' || leaf.value.length > 60) continue;
      const seg = pathFields(leaf.path);
      if (!matcher.match(seg.field ?? leaf.key, seg.parent).includes('country')) continue;
      const code = countryCode(leaf.value);
      if (code) return code.toUpperCase();
    }
    return undefined;
  }

  return (leaves, out) => {
    const n = Math.min(leaves.length, MAX_LEAVES);
    let hint: string | undefined | null = null; // null: not looked up yet (most requests have no phone)
    for (let i = 0; i < n && !out.full; i++) {
      const leaf = leaves[i];
      if (!leaf || typeof leaf.path !== 'string') continue;
      const v = leaf.value;
      if (typeof v !== 'string' || v.length === 0 || NEVER_TAGGED.has(v)) continue;
      if (v.length > MAX_VALUE_CHARS) {
        searchText(leaf, out);
        continue;
      }
      if (isUserAgentHeader(leaf)) {
        out.add('user_agent', leaf.path, v);
        continue;
      }
      const seg = pathFields(leaf.path);
      const field = seg.field ?? leaf.key;
      const categories = matcher.match(field, seg.parent);
      let tagged: string | undefined;
      for (let c = 0; c < categories.length; c++) {
        const category = categories[c]!;
        if (category === 'phone') {
          // The person's own country beats the service's default region.
          if (hint === null) hint = regionHint(leaves, n);
          if (hint && hint !== deps.defaultRegion && phone.isValid(v, hint)) {
            out.add('phone', leaf.path, v, hint);
            tagged = 'phone';
            break;
          }
        }
        if (check(category, v, field)) {
          out.add(category, leaf.path, v);
          tagged = category;
          break;
        }
      }
      if (tagged === undefined) {
        tagged = categoryByValue(v);
        if (tagged !== undefined) out.add(tagged, leaf.path, v);
      }
      if (tagged !== 'email' && tagged !== 'phone') searchText(leaf, out);
    }
    return leaves.length <= MAX_LEAVES;
  };
}

function isUserAgentHeader(leaf: Leaf): boolean {
  return leaf.path === 'header.user-agent';
}

function firstNonSpace(v: string): number {
  for (let i = 0; i < v.length && i < 64; i++) {
    const c = v.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return 0;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function hasWhitespace(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0) return true;
  }
  return false;
}
