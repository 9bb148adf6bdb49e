// Tokenizes one string into lookup keys and reports registry hits with their position. No vendor
// knowledge: hex / base64 digest runs, emails, phone-like runs, words, numbers and dot segments are
// generic shapes (semconv §5). Every loop is bounded by the shared token budget.
//
// Fast path (issue 8): when the registry offers `lookupHashed`, tokens are not sliced, lowercased
// or decoded into new strings: their key hash (registry/key-hash.ts) is computed over the range of
// the text in place — lowercased, punctuation dropped or whitespace collapsed on the fly — and
// digest runs give their first eight bytes straight from the hex / base64 characters. A string is
// only built for a token that hit. In free text, chars above 127 are lowercased and classified
// through per-code-unit tables (char-class.ts `unicodeTables`); a token or word with a char whose
// lowercase is not one code unit in every context (`İ`, `Σ`, chars outside the BMP) takes the
// string path, as do emails, segments and whole values beyond ASCII. reference.ts is the plain
// string implementation this must equal (scan-equivalence.test.ts: same hits, same order, same
// budget).
import { hash } from 'node:crypto';
import type { RegistryHit, Registry } from '../types';
import type { HashPair } from '../registry/hash-index';
import { SEED_A, SEED_B, finishHash } from '../registry/key-hash';
import { MIN_PLAIN_CHARS } from '../registry/value-keys';
import { ADDRESS_LETTER_CLASS, isNonAsciiAddressChar } from '../detect/email';
import { findDates } from './dates';
import { normalizeNumber, readNumber } from './numbers';
import { phoneForms, type PhoneRegion } from './phone';
import { ASCII_FACTS, CHAR_CLASS, Char, Fact, Uni, unicodeTables, type UnicodeTables } from './char-class';

/** The tables as module bindings: one load per char, not a property load of the import. */
const CLASS = CHAR_CLASS;
const FACTS = ASCII_FACTS;

export type TokenKind = 'whole' | 'digest' | 'email' | 'phone' | 'word' | 'pair' | 'phrase' | 'date' | 'number' | 'segment';
export type TokenEncoding = '' | 'base64' | 'base64url';

/** One token that hit the registry. `weakWord`: a single word inside free text of ≥ 4 words. */
export type HitSink = (start: number, end: number, hits: readonly RegistryHit[], encoding: TokenEncoding, kind: TokenKind, weakWord: boolean) => void;

export interface ScanEnv {
  registry: Registry;
  region: PhoneRegion | undefined;
  /** Lookups left for the whole capture; the scan stops (truncated) at 0. */
  tokensLeft: number;
  truncated: boolean;
}

const MAX_WHOLE = 512;
const MAX_EMAILS = 64;
const MAX_PHONES = 32;
const MAX_SEGMENTS = 16;
const FREE_TEXT_WORDS = 4;
/** Phrases of 3..MAX_PHRASE_WORDS tokens are looked up (street addresses, `Rio de Janeiro`). */
const MAX_PHRASE_WORDS = 6;
const MAX_PHRASE_CHARS = 100;
/** Token spans kept per text for phrase lookups. */
const MAX_PHRASE_TOKENS = 2048;
/** The registry indexes values shorter than this only as digests (`US`, `f`). */
const SHORT_WHOLE = 2;
const DATE_SEPARATOR = /\d[./-]\d/;
// Digest lengths as plain comparisons: checked once per letter run of every text.
const isDigestHexLength = (n: number): boolean => n === 64 || n === 32 || n === 40;
const isDigestB64Length = (n: number): boolean => n === 43 || n === 22 || n === 27;
const isDigestByteLength = (n: number): boolean => n === 32 || n === 16 || n === 20;

// Sticky, started at the beginning of the local part found by walking back from each '@', so the
// regex never scans prose. Labels are split on '.', which no label class contains: linear.
// Letters beyond ASCII too (maría.garcía@example.com), except scripts written without spaces.
const EMAIL_RE = new RegExp(String.raw`[${ADDRESS_LETTER_CLASS}._%+\-]{1,64}@[${ADDRESS_LETTER_CLASS}\-]{1,63}(?:\.[${ADDRESS_LETTER_CLASS}\-]{1,63}){1,8}`, 'vy');
// Letters with digits too, so alphanumeric postcodes pair up (`SW1A 1AA`, `M1 1AE`).
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/uy;
const ALL_DIGITS = /^\p{N}+$/u;
const WHITESPACE_RUN = /\s+/g;
const NON_ALNUM_RE = /[^\p{L}\p{M}\p{N}]+/gu;
/** Chars that can start a phone run, and digits: searched for by the regex engine, which skips
 *  prose faster than a loop over each char. */
const PHONE_START = /[0-9+(]/g;
const DIGIT = /[0-9]/g;

function spend(env: ScanEnv): boolean {
  if (env.tokensLeft <= 0) {
    env.truncated = true;
    return false;
  }
  env.tokensLeft--;
  return true;
}

function lookupPlain(env: ScanEnv, token: string, start: number, end: number, kind: TokenKind, weak: boolean, sink: HitSink): void {
  if (token.length === 0 || !spend(env)) return;
  const hits = env.registry.lookupPlain(token);
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, '', kind, weak);
}

/** As written and lowercased (the registry is case-sensitive; callers pass both). */
function lookupBoth(env: ScanEnv, token: string, start: number, end: number, kind: TokenKind, weak: boolean, sink: HitSink): void {
  lookupPlain(env, token, start, end, kind, weak, sink);
  const lower = token.toLowerCase();
  if (lower !== token) lookupPlain(env, lower, start, end, kind, weak, sink);
}

function lookupDigest(env: ScanEnv, bytes: Buffer, start: number, end: number, encoding: TokenEncoding, sink: HitSink): void {
  if (!isDigestByteLength(bytes.length) || !spend(env)) return;
  const hits = env.registry.lookupDigest(bytes);
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, encoding, 'digest', false);
}

const H: HashPair = { h1: 0, h2: 0 };

function report(hits: readonly RegistryHit[] | undefined, start: number, end: number, kind: TokenKind, weak: boolean, sink: HitSink): void {
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, '', kind, weak);
}

/** The plain key hashed into H (len code units). */
function hashedLookup(env: ScanEnv, len: number): readonly RegistryHit[] | undefined {
  return len < MIN_PLAIN_CHARS ? undefined : env.registry.lookupHashed!(H.h1, H.h2, 0);
}

/** `text[start, end)` as written (lookupPlain of the slice). */
function lookupRange(env: ScanEnv, text: string, start: number, end: number, kind: TokenKind, weak: boolean, sink: HitSink): void {
  const len = end - start;
  if (len <= 0) return;
  if (env.registry.lookupHashed === undefined) {
    lookupPlain(env, text.slice(start, end), start, end, kind, weak, sink);
    return;
  }
  if (!spend(env)) return;
  let a = SEED_A;
  let b = SEED_B;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finishHash(a, b, len, H);
  report(hashedLookup(env, len), start, end, kind, weak, sink);
}

/** As written, then lowercased when that differs (lookupBoth of the slice), in one walk. */
function lookupBothRange(env: ScanEnv, text: string, start: number, end: number, kind: TokenKind, weak: boolean, sink: HitSink): void {
  const len = end - start;
  if (len <= 0) return;
  if (env.registry.lookupHashed === undefined) {
    lookupBoth(env, text.slice(start, end), start, end, kind, weak, sink);
    return;
  }
  let a = SEED_A;
  let b = SEED_B;
  let la = SEED_A;
  let lb = SEED_B;
  let upper = false;
  let wide = false;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
    if (c >= 65 && c <= 90) {
      upper = true;
      c += 32;
    } else if (c > 127) {
      wide = true;
    }
    la = Math.imul(la ^ c, 0x01000193);
    lb = Math.imul(lb ^ c, 0x5bd1e995);
    lb ^= lb >>> 15;
  }
  if (!spend(env)) return;
  finishHash(a, b, len, H);
  report(hashedLookup(env, len), start, end, kind, weak, sink);
  if (wide) {
    const token = text.slice(start, end);
    const lower = token.toLowerCase();
    if (lower !== token) lookupPlain(env, lower, start, end, kind, weak, sink);
    return;
  }
  if (!upper || !spend(env)) return;
  finishHash(la, lb, len, H);
  report(hashedLookup(env, len), start, end, kind, weak, sink);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return c === 43 || c === 45 ? 62 : 63;
}

/** A hex digest run: its first eight bytes are the key hash, no Buffer needed. */
function lookupHexRange(env: ScanEnv, text: string, start: number, end: number, sink: HitSink): void {
  if (env.registry.lookupHashed === undefined) {
    lookupDigest(env, Buffer.from(text.slice(start, end), 'hex'), start, end, '', sink);
    return;
  }
  const bytes = (end - start) >> 1;
  if (!isDigestByteLength(bytes) || !spend(env)) return;
  let h1 = 0;
  let h2 = 0;
  for (let k = 0; k < 4; k++) {
    h1 |= ((hexValue(text.charCodeAt(start + 2 * k)) << 4) | hexValue(text.charCodeAt(start + 2 * k + 1))) << (8 * k);
    h2 |= ((hexValue(text.charCodeAt(start + 8 + 2 * k)) << 4) | hexValue(text.charCodeAt(start + 9 + 2 * k))) << (8 * k);
  }
  const hits = env.registry.lookupHashed(h1 >>> 0, h2 >>> 0, bytes);
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, '', 'digest', false);
}

/** A base64 / base64url digest run (body in [start, bodyEnd)): first eight bytes from 11 chars. */
function lookupB64Range(env: ScanEnv, text: string, start: number, bodyEnd: number, end: number, enc: TokenEncoding, sink: HitSink): void {
  if (env.registry.lookupHashed === undefined) {
    lookupDigest(env, Buffer.from(text.slice(start, bodyEnd), 'base64'), start, end, enc, sink);
    return;
  }
  const chars = bodyEnd - start;
  const bytes = (chars * 6) >> 3;
  if (!isDigestByteLength(bytes) || !spend(env)) return;
  let h1 = 0;
  let h2 = 0;
  let acc = 0;
  let bits = 0;
  let k = 0;
  for (let i = start; k < 8; i++) {
    acc = ((acc << 6) | b64Value(text.charCodeAt(i))) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (acc >>> bits) & 0xff;
      if (k < 4) h1 |= byte << (8 * k);
      else h2 |= byte << (8 * (k - 4));
      k++;
    }
  }
  const hits = env.registry.lookupHashed(h1 >>> 0, h2 >>> 0, bytes);
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, enc, 'digest', false);
}

function isHex(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.HEX) !== 0;
}

function isB64(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.B64) !== 0;
}

function isAsciiAlnum(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.ALNUM) !== 0;
}

/** Letters or digits, counting any non-ASCII char as a letter (boundary checks only). */
function isWordChar(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.WORD) !== 0;
}

function isSpace(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.SPACE) !== 0;
}

/** Base64 runs (maximal runs of base64 / base64url chars) at least this long are kept for the
 *  digest lookups: the shortest digest written in base64 has 22 chars, in hex 32. */
const MIN_DIGEST_RUN = 22;

/**
 * Digest runs, in one walk over the text: every maximal base64 run of ≥ 22 chars is noted (start,
 * body end, end with `=` padding). Hex chars are base64 chars, so a maximal hex run lies inside one
 * of them, and one long enough for a digest (32+) only inside a noted run: prose, whose words are
 * short runs, is walked once instead of once per encoding. The lookups keep the order of two
 * separate scans (every hex run, then every base64 run), which the budget and reference.ts rely on.
 */
function scanDigests(env: ScanEnv, text: string, sink: HitSink): void {
  const n = text.length;
  const runs: number[] = [];
  let i = 0;
  while (i < n) {
    if (!isB64(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isB64(text.charCodeAt(i))) i++;
    const bodyEnd = i;
    while (i < n && i - bodyEnd < 2 && text.charCodeAt(i) === 61) i++;
    if (bodyEnd - start >= MIN_DIGEST_RUN) runs.push(start, bodyEnd, i);
  }
  const count = runs.length;
  // Hex runs of exactly 32/40/64 chars bounded by non-hex (`<sha256>.<appendix>` works).
  for (let r = 0; r < count; r += 3) {
    const end = runs[r + 1];
    if (end - runs[r] < 32) continue;
    let j = runs[r];
    while (j < end) {
      if (!isHex(text.charCodeAt(j))) {
        j++;
        continue;
      }
      const start = j;
      while (j < end && isHex(text.charCodeAt(j))) j++;
      if (isDigestHexLength(j - start)) lookupHexRange(env, text, start, j, sink);
      if (env.truncated) return;
    }
  }
  // Base64 / base64url runs whose unpadded length is a digest's (22 md5, 27 sha1, 43 sha256).
  for (let r = 0; r < count; r += 3) {
    const start = runs[r];
    const bodyEnd = runs[r + 1];
    if (!isDigestB64Length(bodyEnd - start)) continue;
    let url = false;
    let std = false;
    for (let j = start; j < bodyEnd; j++) {
      const c = text.charCodeAt(j);
      if (c === 45 || c === 95) url = true;
      else if (c === 43 || c === 47) std = true;
    }
    if (url && std) continue;
    const end = runs[r + 2];
    const enc: TokenEncoding = url || (!std && end === bodyEnd) ? 'base64url' : 'base64';
    lookupB64Range(env, text, start, bodyEnd, end, enc, sink);
    if (env.truncated) return;
  }
}

function isLocalChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || isNonAsciiAddressChar(c);
}

/** Emails inside text; returns their spans so words inside them are not looked up as names. */
function scanEmails(env: ScanEnv, text: string, whole: boolean, sink: HitSink): number[] {
  const spans: number[] = [];
  let at = text.indexOf('@');
  let lastEnd = 0;
  for (let k = 0; at > 0 && k < MAX_EMAILS * 4 && spans.length < MAX_EMAILS * 2; k++) {
    let start = at;
    while (start > lastEnd && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
    EMAIL_RE.lastIndex = start;
    const m = start < at ? EMAIL_RE.exec(text) : null;
    if (m !== null) {
      let token = m[0];
      while (token.endsWith('-')) token = token.slice(0, -1);
      const end = start + token.length;
      spans.push(start, end);
      lastEnd = end;
      if (!(whole && start === 0 && end === text.length)) lookupBothRange(env, text, start, end, 'email', false, sink);
      if (env.truncated) break;
    }
    at = text.indexOf('@', Math.max(at + 1, lastEnd));
  }
  return spans;
}

/**
 * Whether [start, end) lies inside one of the email spans. They are sorted and disjoint (emails are
 * found left to right, each after the last), so only the last span starting at or before `start`
 * can hold a non-empty range: a binary search instead of a walk per word of a long prompt.
 */
function insideSpans(spans: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid * 2] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && end <= spans[lo * 2 - 1];
}

function isPhoneChar(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.PHONE) !== 0;
}

/** Runs of digits with `+ ( ) - .` and single spaces, 7–20 digits, bounded by non-alphanumerics. */
function scanPhones(env: ScanEnv, text: string, sink: HitSink): void {
  const n = text.length;
  let found = 0;
  let i = 0;
  while (i < n && found < MAX_PHONES) {
    // the next char that can start a run, found by the regex engine (prose has few)
    PHONE_START.lastIndex = i;
    if (!PHONE_START.test(text)) break;
    i = PHONE_START.lastIndex - 1;
    if (i > 0 && isWordChar(text.charCodeAt(i - 1))) {
      i++;
      continue;
    }
    let j = i;
    let digits = 0;
    let lastDigit = -1;
    let prevSpace = false;
    while (j < n && digits <= 20) {
      const d = text.charCodeAt(j);
      if (!isPhoneChar(d)) break;
      if (d === 32 || d === 0xa0) {
        if (prevSpace) break;
        prevSpace = true;
      } else {
        prevSpace = false;
      }
      if (d >= 48 && d <= 57) {
        digits++;
        lastDigit = j;
      } else if (d === 43 && j > i) {
        break;
      }
      j++;
    }
    const end = lastDigit + 1;
    const bounded = end >= n || !isWordChar(text.charCodeAt(end));
    if (lastDigit >= 0 && digits >= 7 && digits <= 20 && bounded) {
      found++;
      for (const form of phoneForms(text.slice(i, end), env.region)) {
        lookupPlain(env, form, i, end, 'phone', false, sink);
        if (env.truncated) return;
      }
    }
    i = Math.max(j, i + 1);
  }
}

/** Amounts and other numbers of ≥ 3 digits, normalized to plain decimals. */
function scanNumbers(env: ScanEnv, text: string, whole: boolean, sink: HitSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    DIGIT.lastIndex = i;
    if (!DIGIT.test(text)) break;
    i = DIGIT.lastIndex - 1;
    if (i > 0 && isWordChar(text.charCodeAt(i - 1))) {
      i++;
      continue;
    }
    const tok = readNumber(text, i);
    i = Math.max(tok.end, i + 1);
    if (tok.end < n && isWordChar(text.charCodeAt(tok.end))) continue;
    let digits = 0;
    for (const g of tok.groups) digits += g.length;
    if (digits < 3 || (whole && tok.start === 0 && tok.end === n && tok.groups.length === 1)) continue;
    for (const form of normalizeNumber(tok.groups, tok.seps)) {
      lookupPlain(env, form, tok.start, tok.end, 'number', false, sink);
      if (env.truncated) return;
    }
  }
}

/**
 * Free text: whitespace-separated tokens (edge punctuation trimmed; also without inner punctuation,
 * `O'Neil` → `oneil`), single words split on non-letters, and adjacent word pairs (`jane doe`).
 * On the fast path ASCII tokens and words are hashed in place, token by token and word by word.
 */
function scanWords(env: ScanEnv, text: string, emailSpans: readonly number[], wide: boolean, sink: HitSink): void {
  const n = text.length;
  let wordCount = 0;
  // only whether there are FREE_TEXT_WORDS matters
  for (let i = 0; i < n && wordCount < FREE_TEXT_WORDS;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    let hasLetter = false;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) hasLetter = true;
      i++;
    }
    if (hasLetter) wordCount++;
  }
  const weak = wordCount >= FREE_TEXT_WORDS;
  const fast = env.registry.lookupHashed !== undefined;

  const spans: number[] = [];
  if (fast) {
    fastTokens(env, text, emailSpans, weak, spans, sink);
    fastWordRuns(env, text, emailSpans, weak, wide, sink);
  } else {
    for (let i = 0; i < n && !env.truncated;) {
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      let start = i;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      let end = i;
      while (start < end && !isWordChar(text.charCodeAt(start))) start++;
      while (end > start && !isWordChar(text.charCodeAt(end - 1))) end--;
      if (end > start && spans.length < MAX_PHRASE_TOKENS * 2) spans.push(start, end);
      if (end - start < 2 || insideSpans(emailSpans, start, end)) continue;
      lookupTokenString(env, text.slice(start, end), start, end, weak, sink);
    }
    wordRuns(env, text, emailSpans, weak, sink);
  }
  scanPhrases(env, text, spans, emailSpans, wide, sink);
}

/** One whitespace token on the string path: as written, lowercased, and without inner punctuation. */
function lookupTokenString(env: ScanEnv, token: string, start: number, end: number, weak: boolean, sink: HitSink): void {
  lookupBoth(env, token, start, end, 'word', weak, sink);
  NON_ALNUM_RE.lastIndex = 0;
  if (NON_ALNUM_RE.test(token)) {
    lookupPlain(env, token.replace(NON_ALNUM_RE, '').toLowerCase(), start, end, 'word', weak, sink);
  }
}

/**
 * The whitespace token pass of the fast path in one walk per token: its bounds, edge punctuation
 * trimmed, and its as-written key hashed as it is walked (the lanes are kept at its last letter or
 * digit, so trailing punctuation falls away). Email spans are passed with a cursor: tokens come in
 * order. A token with a char above 127 takes the string path (such a char is never trimmed).
 */
function fastTokens(env: ScanEnv, text: string, emailSpans: readonly number[], weak: boolean, spans: number[], sink: HitSink): void {
  const n = text.length;
  const emailEnd = emailSpans.length;
  let e = 0;
  let i = 0;
  while (i < n && !env.truncated) {
    while (i < n && (CLASS[text.charCodeAt(i)] & Char.SPACE) !== 0) i++;
    let start = -1;
    let end = -1;
    let a = SEED_A;
    let b = SEED_B;
    // lanes and facts as of the last letter or digit: the trimmed token's
    let endA = 0;
    let endB = 0;
    let upper = false;
    let punct = false;
    let endUpper = false;
    let endPunct = false;
    let wide = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const cls = CLASS[c];
      if ((cls & Char.SPACE) !== 0) break;
      if ((cls & Char.WORD) !== 0) {
        if (start < 0) start = i;
        if (c > 127) wide = true;
        else if (c >= 65 && c <= 90) upper = true;
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
        end = i + 1;
        endA = a;
        endB = b;
        endUpper = upper;
        endPunct = punct;
      } else if (start >= 0) {
        punct = true;
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
    }
    if (start < 0) continue;
    if (spans.length < MAX_PHRASE_TOKENS * 2) spans.push(start, end);
    if (end - start < 2) continue;
    while (e < emailEnd && emailSpans[e] <= start) e += 2;
    if (e > 0 && end <= emailSpans[e - 1]) continue;
    if (!wide) lookupTokenKeys(env, text, start, end, endA, endB, endUpper, endPunct, weak, sink);
    else if (!wideTokenKeys(env, text, start, end, endA, endB, weak, sink)) lookupTokenString(env, text.slice(start, end), start, end, weak, sink);
  }
}

/**
 * A whitespace token with chars above 127, its as-written lanes walked: the keys of
 * lookupTokenString (as written, lowercased when that differs, without non-word chars lowercased)
 * hashed in place with the Unicode tables. False, having looked nothing up, when a char has no
 * one-unit lowercase (`İ`, `Σ`, outside the BMP): the caller takes the string path.
 */
function wideTokenKeys(env: ScanEnv, text: string, start: number, end: number, a: number, b: number, weak: boolean, sink: HitSink): boolean {
  const { lower, props } = unicodeTables();
  let la = SEED_A;
  let lb = SEED_B;
  let sa = SEED_A;
  let sb = SEED_B;
  let slen = 0;
  let changed = false;
  let stripped = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const l = lower[c];
    if (l === 0) return false;
    if (l !== c) changed = true;
    la = Math.imul(la ^ l, 0x01000193);
    lb = Math.imul(lb ^ l, 0x5bd1e995);
    lb ^= lb >>> 15;
    if ((props[c] & Uni.WORD) !== 0) {
      sa = Math.imul(sa ^ l, 0x01000193);
      sb = Math.imul(sb ^ l, 0x5bd1e995);
      sb ^= sb >>> 15;
      slen++;
    } else {
      stripped = true;
    }
  }
  const len = end - start;
  if (spend(env)) {
    finishHash(a, b, len, H);
    report(hashedLookup(env, len), start, end, 'word', weak, sink);
  }
  if (changed && spend(env)) {
    finishHash(la, lb, len, H);
    report(hashedLookup(env, len), start, end, 'word', weak, sink);
  }
  if (stripped && slen > 0 && spend(env)) {
    finishHash(sa, sb, slen, H);
    report(hashedLookup(env, slen), start, end, 'word', weak, sink);
  }
  return true;
}

/**
 * One ASCII whitespace token, its as-written lanes already walked (`a`, `b`): looked up as written,
 * lowercased (when it has an uppercase letter), and without inner punctuation lowercased
 * (`O'Neil` → `oneil`, when it has any), in that order. Prose tokens are mostly lowercase words,
 * which need no second walk.
 */
function lookupTokenKeys(env: ScanEnv, text: string, start: number, end: number, a: number, b: number, upper: boolean, stripped: boolean, weak: boolean, sink: HitSink): void {
  const len = end - start;
  if (spend(env)) {
    finishHash(a, b, len, H);
    report(hashedLookup(env, len), start, end, 'word', weak, sink);
    if (upper && spend(env)) {
      a = SEED_A;
      b = SEED_B;
      for (let i = start; i < end; i++) {
        let c = text.charCodeAt(i);
        if (c >= 65 && c <= 90) c += 32;
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
      finishHash(a, b, len, H);
      report(hashedLookup(env, len), start, end, 'word', weak, sink);
    }
  }
  // all alphanumeric: nothing was dropped (no lookup, no budget spent)
  if (!stripped) return;
  a = SEED_A;
  b = SEED_B;
  let slen = 0;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (isAsciiAlnum(c)) {
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
      slen++;
    }
  }
  // nothing left: no lookup either
  if (slen === 0 || !spend(env)) return;
  finishHash(a, b, slen, H);
  report(hashedLookup(env, slen), start, end, 'word', weak, sink);
}

/** Words split on non-letters (`WORD_RE`), lowercased, and adjacent pairs; the string path. */
function wordRuns(env: ScanEnv, text: string, emailSpans: readonly number[], weak: boolean, sink: HitSink): void {
  const n = text.length;
  WORD_RE.lastIndex = 0;
  let prevWord = '';
  let prevStart = -1;
  let prevEnd = -1;
  let m: RegExpExecArray | null;
  while (!env.truncated && (m = WORD_RE.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    if (insideSpans(emailSpans, start, end)) {
      prevEnd = -1;
      continue;
    }
    const word = m[0].toLowerCase();
    // the whitespace token pass already looked up words that are a whole token; digit runs are
    // the number scan's
    const wholeToken = (start === 0 || isSpace(text.charCodeAt(start - 1))) && (end === n || isSpace(text.charCodeAt(end)));
    if (word.length >= 2 && !wholeToken && !ALL_DIGITS.test(word)) lookupPlain(env, word, start, end, 'word', weak, sink);
    if (prevEnd >= 0 && isOnlySpace(text, prevEnd, start)) {
      lookupPlain(env, `${prevWord} ${word}`, prevStart, end, 'pair', false, sink);
    }
    prevWord = word;
    prevStart = start;
    prevEnd = end;
  }
}

/**
 * Code units of the `WORD_RE` char at `i` (a letter, mark or digit code point), 0 if none, for a
 * char `c` above 127: BMP chars by the table, surrogates (a pair is one code point) by `WORD_CHAR`.
 */
function wideWordCharAt(text: string, i: number, c: number, tables: UnicodeTables): number {
  if (c < 0xd800 || c > 0xdfff) return (tables.props[c] & Uni.WORD) !== 0 ? 1 : 0;
  WORD_CHAR.lastIndex = i;
  return WORD_CHAR.test(text) ? WORD_CHAR.lastIndex - i : 0;
}

/**
 * wordRuns walked by hand: the same maximal runs as `WORD_RE`, hashed in place and lowercased on the
 * fly (chars above 127 through the Unicode tables); a word with a char that has no one-unit
 * lowercase (`İ`, `Σ`, outside the BMP) is sliced and lowercased like the string path.
 */
function fastWordRuns(env: ScanEnv, text: string, emailSpans: readonly number[], weak: boolean, wide: boolean, sink: HitSink): void {
  const n = text.length;
  const tables = wide ? unicodeTables() : undefined;
  let prevStart = -1;
  let prevEnd = -1;
  let prevSimple = true;
  // Hash lanes of the previous word (lowercased, not finished): its pair with the next word
  // continues them, so each char is walked once for its word and its pair.
  let prevA = SEED_A;
  let prevB = SEED_B;
  const emailEnd = emailSpans.length;
  let e = 0;
  let i = 0;
  while (!env.truncated) {
    // the next word char: ASCII ones by the table, others as WORD_RE sees them (code points)
    let w = 0;
    let c = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < 128) {
        if ((CLASS[c] & Char.ALNUM) !== 0) {
          w = 1;
          break;
        }
      } else if ((w = wideWordCharAt(text, i, c, tables!)) !== 0) {
        break;
      }
    }
    if (w === 0) break;
    const start = i;
    let digitsOnly = true;
    /** every char has a one-unit lowercase: hashed in place */
    let simple = true;
    let a = SEED_A;
    let b = SEED_B;
    let pa = Math.imul(prevA ^ 32, 0x01000193);
    let pb = Math.imul(prevB ^ 32, 0x5bd1e995);
    pb ^= pb >>> 15;
    for (;;) {
      if (c > 127) {
        const l = tables!.lower[c];
        if (l === 0) simple = false;
        else {
          if ((tables!.props[c] & Uni.NUM) === 0) digitsOnly = false;
          c = l;
        }
      } else {
        if (c > 57) digitsOnly = false;
        if (c >= 65 && c <= 90) c += 32;
      }
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
      pa = Math.imul(pa ^ c, 0x01000193);
      pb = Math.imul(pb ^ c, 0x5bd1e995);
      pb ^= pb >>> 15;
      i += w;
      if (i >= n) break;
      c = text.charCodeAt(i);
      if (c < 128) {
        if ((CLASS[c] & Char.ALNUM) === 0) break;
        w = 1;
      } else if ((w = wideWordCharAt(text, i, c, tables!)) === 0) {
        break;
      }
    }
    const end = i;
    // insideSpans with a cursor: runs come in order
    while (e < emailEnd && emailSpans[e] <= start) e += 2;
    if (e > 0 && end <= emailSpans[e - 1]) {
      prevEnd = -1;
      continue;
    }
    const len = end - start;
    const wholeToken = (start === 0 || isSpace(text.charCodeAt(start - 1))) && (end === n || isSpace(text.charCodeAt(end)));
    if (simple) {
      if (len >= 2 && !wholeToken && !digitsOnly && spend(env)) {
        finishHash(a, b, len, H);
        report(hashedLookup(env, len), start, end, 'word', weak, sink);
      }
    } else {
      const word = text.slice(start, end).toLowerCase();
      if (word.length >= 2 && !wholeToken && !ALL_DIGITS.test(word)) lookupPlain(env, word, start, end, 'word', weak, sink);
    }
    if (prevEnd >= 0 && isOnlySpace(text, prevEnd, start)) {
      if (simple && prevSimple) {
        if (spend(env)) {
          const plen = prevEnd - prevStart + 1 + len;
          finishHash(pa, pb, plen, H);
          report(hashedLookup(env, plen), prevStart, end, 'pair', false, sink);
        }
      } else {
        lookupPlain(env, `${text.slice(prevStart, prevEnd).toLowerCase()} ${text.slice(start, end).toLowerCase()}`, prevStart, end, 'pair', false, sink);
      }
    }
    prevStart = start;
    prevEnd = end;
    prevSimple = simple;
    prevA = a;
    prevB = b;
  }
}

/** Starts like a street number or a proper noun: a digit or an uppercase letter. */
function startsPhrase(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c > 127 && String.fromCharCode(c) !== String.fromCharCode(c).toLowerCase());
}

/** JS `\s` restricted to ASCII. */
function isAsciiWhitespace(c: number): boolean {
  return (CLASS[c & 0xffff] & Char.ASCII_WS) !== 0;
}

/**
 * Runs of 3..MAX_PHRASE_WORDS whitespace tokens (street addresses, multi-word cities and
 * surnames), looked up trimmed, whitespace-collapsed and lowercased. Only runs that start like a
 * number or a proper noun are tried, which keeps ordinary prose cheap. On the fast path the phrases
 * from one start share one hash walk: each longer phrase continues the shorter one's lanes.
 */
function scanPhrases(env: ScanEnv, text: string, spans: readonly number[], emailSpans: readonly number[], wideText: boolean, sink: HitSink): void {
  const count = spans.length / 2;
  const fast = env.registry.lookupHashed !== undefined;
  const tables = fast && wideText ? unicodeTables() : undefined;
  for (let t = 0; t + 2 < count && !env.truncated; t++) {
    const start = spans[t * 2];
    if (!startsPhrase(text.charCodeAt(start)) || insideSpans(emailSpans, start, spans[t * 2 + 1])) continue;
    let a = SEED_A;
    let b = SEED_B;
    let len = 0;
    let pos = start;
    let inSpace = false;
    let wide = !fast;
    for (let k = t + 2; k < count && k - t < MAX_PHRASE_WORDS && !env.truncated; k++) {
      const end = spans[k * 2 + 1];
      if (end - start > MAX_PHRASE_CHARS) break;
      if (!wide) {
        for (; pos < end; pos++) {
          let c = text.charCodeAt(pos);
          let space: boolean;
          if (c > 127) {
            // `\s` and a one-unit lowercase from the tables; the string path for the rest
            const l = tables!.lower[c];
            if (l === 0) {
              wide = true;
              break;
            }
            space = (tables!.props[c] & Uni.SPACE) !== 0;
            if (!space) c = l;
          } else {
            space = isAsciiWhitespace(c);
          }
          if (space) {
            if (inSpace) continue;
            inSpace = true;
            c = 32;
          } else {
            inSpace = false;
            if (c >= 65 && c <= 90) c += 32;
          }
          a = Math.imul(a ^ c, 0x01000193);
          b = Math.imul(b ^ c, 0x5bd1e995);
          b ^= b >>> 15;
          len++;
        }
      }
      if (wide) {
        lookupPlain(env, text.slice(start, end).replace(WHITESPACE_RUN, ' ').toLowerCase(), start, end, 'phrase', false, sink);
        continue;
      }
      if (!spend(env)) break;
      finishHash(a, b, len, H);
      report(hashedLookup(env, len), start, end, 'phrase', false, sink);
    }
  }
}

/** Dates in other writings than typed, looked up as ISO. */
function scanDates(env: ScanEnv, text: string, sink: HitSink): void {
  for (const d of findDates(text)) {
    for (const form of d.iso) {
      lookupPlain(env, form, d.start, d.end, 'date', false, sink);
      if (env.truncated) return;
    }
  }
}

function isOnlySpace(text: string, a: number, b: number): boolean {
  if (b - a < 1 || b - a > 3) return false;
  for (let k = a; k < b; k++) if (!isSpace(text.charCodeAt(k))) return false;
  return true;
}

/** `fb.1.<ts>.<click id>` segments of ≥ 8 chars, and the part before an appended `.<suffix>`. */
function scanDotSegments(env: ScanEnv, text: string, sink: HitSink): void {
  const lastDot = text.lastIndexOf('.');
  if (lastDot <= 0) return;
  lookupBothRange(env, text, 0, lastDot, 'segment', false, sink);
  let start = 0;
  for (let k = 0; k < MAX_SEGMENTS && start < text.length && !env.truncated; k++) {
    let end = text.indexOf('.', start);
    if (end < 0) end = text.length;
    if (end - start >= 8 && end - start < text.length) lookupRange(env, text, start, end, 'segment', false, sink);
    start = end + 1;
  }
}

/**
 * Reports every registry hit found in `text`. With `whole`, the full value (as written and
 * trimmed+lowercased) is looked up first.
 */
export function scanText(env: ScanEnv, text: string, whole: boolean, sink: HitSink): void {
  if (text.length === 0 || env.truncated) return;
  // One walk for the facts that decide which token shapes can occur at all.
  const n = text.length;
  const facts = textFacts(text);
  const space = (facts & Fact.SPACE) !== 0;
  const digit = (facts & Fact.DIGIT) !== 0;
  const letter = (facts & Fact.LETTER) !== 0;
  /** a char other than an ASCII letter or digit */
  const other = (facts & Fact.OTHER) !== 0;
  if (whole) scanWholeText(env, text, facts, sink);
  if ((facts & Fact.DIGEST_RUN) !== 0) scanDigests(env, text, sink);
  const emailSpans = scanEmails(env, text, whole, sink);
  // Phone and number runs must start and end at a non-alphanumeric boundary: in a text of letters
  // and digits only (a hex digest, an id) that is the whole text, so it must be all digits.
  if (digit && (other || !letter)) {
    scanPhones(env, text, sink);
    scanNumbers(env, text, whole, sink);
  }
  // Dates are written with spaces or separators between digits; ids and digests are skipped.
  // A registry without ISO-date keys cannot match a date in any writing.
  if (n >= 8 && digit && env.registry.mayHaveDates?.() !== false && (space || (other && DATE_SEPARATOR.test(text)))) scanDates(env, text, sink);
  if (space) scanWords(env, text, emailSpans, (facts & Fact.WIDE) !== 0, sink);
  else if (n <= MAX_WHOLE && text.indexOf('.') > 0) scanDotSegments(env, text, sink);
}

/** Only the full value, as written and trimmed+lowercased. */
export function scanWhole(env: ScanEnv, text: string, sink: HitSink): void {
  if (text.length === 0 || text.length > MAX_WHOLE) return;
  scanWholeText(env, text, textFacts(text), sink);
}

/**
 * The fact bits of a text (char-class.ts `Fact`) in one branch-free walk: the bits of every char
 * OR-ed, and DIGEST_RUN when a base64 run reaches a digest's length (prose, whose runs are words,
 * then skips the digest walk).
 */
function textFacts(text: string): number {
  const n = text.length;
  let facts = 0;
  let run = 0;
  let digestRun = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const f = c < 128 ? FACTS[c] : c === 0xa0 ? Fact.WIDE | Fact.OTHER | Fact.SPACE : Fact.WIDE | Fact.OTHER;
    facts |= f;
    run = (run + 1) & -((f >>> 5) & 1);
    digestRun |= (MIN_DIGEST_RUN - 1 - run) >>> 31;
  }
  return digestRun !== 0 ? facts | Fact.DIGEST_RUN : facts;
}

function scanWholeText(env: ScanEnv, text: string, facts: number, sink: HitSink): void {
  const n = text.length;
  if (n === 0 || n > MAX_WHOLE) return;
  if ((facts & Fact.WIDE) !== 0 || env.registry.lookupHashed === undefined) {
    scanWholeString(env, text, sink);
    return;
  }
  // trim() over ASCII: \t \n \v \f \r and space
  let a = 0;
  let b = n;
  while (a < b && isAsciiWhitespace(text.charCodeAt(a))) a++;
  while (b > a && isAsciiWhitespace(text.charCodeAt(b - 1))) b--;
  if (b - a > 0 && b - a <= SHORT_WHOLE) {
    scanWholeString(env, text, sink);
    return;
  }
  // an uppercase letter is never whitespace: it lies inside the trimmed range
  const upper = (facts & Fact.UPPER) !== 0;
  lookupRange(env, text, 0, n, 'whole', false, sink);
  if (a === 0 && b === n && !upper) return;
  // norm: trimmed and lowercased, reported over the whole value like the string path
  if (b - a === 0) return;
  if (!spend(env)) return;
  let ha = SEED_A;
  let hb = SEED_B;
  for (let i = a; i < b; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    ha = Math.imul(ha ^ c, 0x01000193);
    hb = Math.imul(hb ^ c, 0x5bd1e995);
    hb ^= hb >>> 15;
  }
  finishHash(ha, hb, b - a, H);
  report(hashedLookup(env, b - a), 0, n, 'whole', false, sink);
}

function scanWholeString(env: ScanEnv, text: string, sink: HitSink): void {
  const norm = text.trim().toLowerCase();
  if (norm.length > 0 && norm.length <= SHORT_WHOLE) {
    lookupShort(env, text.trim(), text.length, sink);
    if (norm !== text.trim()) lookupShort(env, norm, text.length, sink);
    return;
  }
  lookupPlain(env, text, 0, text.length, 'whole', false, sink);
  if (norm !== text) lookupPlain(env, norm, 0, text.length, 'whole', false, sink);
}

/** SHA-256 of short whole values: the same few (`1`, `US`, `m`, a URL's `v2`) come back in every
 *  payload, and a one-shot digest costs more than the rest of their lookup. */
const SHORT_DIGESTS = new Map<string, Buffer>();
const SHORT_DIGESTS_MAX = 1024;

function shortDigest(token: string): Buffer {
  let d = SHORT_DIGESTS.get(token);
  if (d === undefined) {
    if (SHORT_DIGESTS.size >= SHORT_DIGESTS_MAX) SHORT_DIGESTS.clear();
    d = hash('sha256', token, 'buffer');
    SHORT_DIGESTS.set(token, d);
  }
  return d;
}

/**
 * A whole value of one or two characters (`US`, `F`, `CA`): the registry keeps such variants only
 * as digests, so the value is hashed and looked up that way. The hit is still a plain share.
 */
function lookupShort(env: ScanEnv, token: string, end: number, sink: HitSink): void {
  if (!spend(env)) return;
  const hits = env.registry.lookupDigest(shortDigest(token));
  if (hits === undefined || hits.length === 0) return;
  const plain: RegistryHit[] = [];
  for (const h of hits) if (h.digest === 'sha256') plain.push({ ...h, digest: undefined });
  if (plain.length > 0) sink(0, end, plain, '', 'whole', false);
}
