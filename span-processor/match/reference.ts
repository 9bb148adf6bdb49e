// Reference matcher, used only by tests (scan-equivalence.test.ts): the straightforward
// string-based tokenizer the fast scanner in scan.ts replaced (issue 8). Every token is sliced,
// lowercased and looked up with registry.lookupPlain / lookupDigest, one pass per token shape.
// scan.ts must report exactly the hits this reports, in the same order and with the same budget.
// Do not optimize this file: its value is that it is obviously right.
import { hash } from 'node:crypto';
import type { RegistryHit } from '../types';
import type { HitSink, ScanEnv, TokenEncoding, TokenKind } from './scan';
import { ADDRESS_LETTER_CLASS, isNonAsciiAddressChar } from '../detect/email';
import { findDates } from './dates';
import { normalizeNumber, readNumber } from './numbers';
import { phoneForms } from './phone';

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
const DIGEST_HEX = new Set([32, 40, 64]);
const DIGEST_B64 = new Set([22, 27, 43]);
const DIGEST_BYTES = new Set([16, 20, 32]);

// Sticky, started at the beginning of the local part found by walking back from each '@', so the
// regex never scans prose. Labels are split on '.', which no label class contains: linear.
// Letters beyond ASCII too (maría.garcía@example.com), except scripts written without spaces.
const EMAIL_RE = new RegExp(String.raw`[${ADDRESS_LETTER_CLASS}._%+\-]{1,64}@[${ADDRESS_LETTER_CLASS}\-]{1,63}(?:\.[${ADDRESS_LETTER_CLASS}\-]{1,63}){1,8}`, 'vy');
// Letters with digits too, so alphanumeric postcodes pair up (`SW1A 1AA`, `M1 1AE`).
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;
const ALL_DIGITS = /^\p{N}+$/u;
const WHITESPACE_RUN = /\s+/g;
const NON_ALNUM_RE = /[^\p{L}\p{M}\p{N}]+/gu;

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
  if (!DIGEST_BYTES.has(bytes.length) || !spend(env)) return;
  const hits = env.registry.lookupDigest(bytes);
  if (hits !== undefined && hits.length > 0) sink(start, end, hits, encoding, 'digest', false);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isB64(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 45 || c === 95;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Letters or digits, counting any non-ASCII char as a letter (boundary checks only). */
function isWordChar(c: number): boolean {
  return isAsciiAlnum(c) || c > 127;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 12 || c === 11;
}

/** Hex runs of exactly 32/40/64 chars bounded by non-hex (`<sha256>.<appendix>` works). */
function scanHex(env: ScanEnv, text: string, sink: HitSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isHex(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isHex(text.charCodeAt(i))) i++;
    if (DIGEST_HEX.has(i - start)) lookupDigest(env, Buffer.from(text.slice(start, i), 'hex'), start, i, '', sink);
    if (env.truncated) return;
  }
}

/** Base64 / base64url runs whose unpadded length is a digest's (22 md5, 27 sha1, 43 sha256). */
function scanBase64(env: ScanEnv, text: string, sink: HitSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isB64(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let url = false;
    let std = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (!isB64(c)) break;
      if (c === 45 || c === 95) url = true;
      else if (c === 43 || c === 47) std = true;
      i++;
    }
    const bodyEnd = i;
    while (i < n && i - bodyEnd < 2 && text.charCodeAt(i) === 61) i++;
    const padded = i > bodyEnd;
    if (DIGEST_B64.has(bodyEnd - start) && !(url && std)) {
      const enc: TokenEncoding = url || (!std && !padded) ? 'base64url' : 'base64';
      lookupDigest(env, Buffer.from(text.slice(start, bodyEnd), 'base64'), start, i, enc, sink);
      if (env.truncated) return;
    }
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
      if (!(whole && start === 0 && end === text.length)) lookupBoth(env, token, start, end, 'email', false, sink);
      if (env.truncated) break;
    }
    at = text.indexOf('@', Math.max(at + 1, lastEnd));
  }
  return spans;
}

function insideSpans(spans: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < spans.length; k += 2) if (start >= spans[k] && end <= spans[k + 1]) return true;
  return false;
}

function isPhoneChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 32 || c === 40 || c === 41 || c === 43 || c === 45 || c === 46 || c === 0xa0;
}

/** Runs of digits with `+ ( ) - .` and single spaces, 7–20 digits, bounded by non-alphanumerics. */
function scanPhones(env: ScanEnv, text: string, sink: HitSink): void {
  const n = text.length;
  let found = 0;
  let i = 0;
  while (i < n && found < MAX_PHONES) {
    const c = text.charCodeAt(i);
    const startsRun = (c >= 48 && c <= 57) || c === 43 || c === 40;
    if (!startsRun || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
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
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57 || (i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
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
 */
function scanWords(env: ScanEnv, text: string, emailSpans: readonly number[], sink: HitSink): void {
  const n = text.length;
  let wordCount = 0;
  for (let i = 0; i < n;) {
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

  const spans: number[] = [];
  for (let i = 0; i < n && !env.truncated;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    let start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    let end = i;
    while (start < end && !isWordChar(text.charCodeAt(start))) start++;
    while (end > start && !isWordChar(text.charCodeAt(end - 1))) end--;
    if (end > start && spans.length < MAX_PHRASE_TOKENS * 2) spans.push(start, end);
    if (end - start < 2 || insideSpans(emailSpans, start, end)) continue;
    const token = text.slice(start, end);
    lookupBoth(env, token, start, end, 'word', weak, sink);
    NON_ALNUM_RE.lastIndex = 0;
    if (NON_ALNUM_RE.test(token)) {
      lookupPlain(env, token.replace(NON_ALNUM_RE, '').toLowerCase(), start, end, 'word', weak, sink);
    }
  }

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
  scanPhrases(env, text, spans, emailSpans, sink);
}

/** Starts like a street number or a proper noun: a digit or an uppercase letter. */
function startsPhrase(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c > 127 && String.fromCharCode(c) !== String.fromCharCode(c).toLowerCase());
}

/**
 * Runs of 3..MAX_PHRASE_WORDS whitespace tokens (street addresses, multi-word cities and
 * surnames), looked up trimmed, whitespace-collapsed and lowercased. Only runs that start like a
 * number or a proper noun are tried, which keeps ordinary prose cheap.
 */
function scanPhrases(env: ScanEnv, text: string, spans: readonly number[], emailSpans: readonly number[], sink: HitSink): void {
  const count = spans.length / 2;
  for (let t = 0; t + 2 < count && !env.truncated; t++) {
    const start = spans[t * 2];
    if (!startsPhrase(text.charCodeAt(start)) || insideSpans(emailSpans, start, spans[t * 2 + 1])) continue;
    for (let k = t + 2; k < count && k - t < MAX_PHRASE_WORDS && !env.truncated; k++) {
      const end = spans[k * 2 + 1];
      if (end - start > MAX_PHRASE_CHARS) break;
      lookupPlain(env, text.slice(start, end).replace(WHITESPACE_RUN, ' ').toLowerCase(), start, end, 'phrase', false, sink);
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

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
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
  lookupBoth(env, text.slice(0, lastDot), 0, lastDot, 'segment', false, sink);
  let start = 0;
  for (let k = 0; k < MAX_SEGMENTS && start < text.length && !env.truncated; k++) {
    let end = text.indexOf('.', start);
    if (end < 0) end = text.length;
    if (end - start >= 8 && end - start < text.length) lookupPlain(env, text.slice(start, end), start, end, 'segment', false, sink);
    start = end + 1;
  }
}

function hasSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return true;
  return false;
}

/**
 * Reports every registry hit found in `text`. With `whole`, the full value (as written and
 * trimmed+lowercased) is looked up first.
 */
export function referenceScanText(env: ScanEnv, text: string, whole: boolean, sink: HitSink): void {
  if (text.length === 0 || env.truncated) return;
  if (whole) referenceScanWhole(env, text, sink);
  if (text.length >= 22) {
    scanHex(env, text, sink);
    scanBase64(env, text, sink);
  }
  const emailSpans = scanEmails(env, text, whole, sink);
  scanPhones(env, text, sink);
  scanNumbers(env, text, whole, sink);
  // Dates are written with spaces or separators between digits; ids and digests are skipped.
  if (text.length >= 8 && env.registry.mayHaveDates?.() !== false && (hasSpace(text) || DATE_SEPARATOR.test(text)) && hasDigit(text)) scanDates(env, text, sink);
  if (hasSpace(text)) scanWords(env, text, emailSpans, sink);
  else if (text.length <= MAX_WHOLE && text.indexOf('.') > 0) scanDotSegments(env, text, sink);
}

/** Only the full value, as written and trimmed+lowercased. */
export function referenceScanWhole(env: ScanEnv, text: string, sink: HitSink): void {
  if (text.length === 0 || text.length > MAX_WHOLE) return;
  const norm = text.trim().toLowerCase();
  if (norm.length > 0 && norm.length <= SHORT_WHOLE) {
    lookupShort(env, text.trim(), text.length, sink);
    if (norm !== text.trim()) lookupShort(env, norm, text.length, sink);
    return;
  }
  lookupPlain(env, text, 0, text.length, 'whole', false, sink);
  if (norm !== text) lookupPlain(env, norm, 0, text.length, 'whole', false, sink);
}

/**
 * A whole value of one or two characters (`US`, `F`, `CA`): the registry keeps such variants only
 * as digests, so the value is hashed and looked up that way. The hit is still a plain share.
 */
function lookupShort(env: ScanEnv, token: string, end: number, sink: HitSink): void {
  if (!spend(env)) return;
  const hits = env.registry.lookupDigest(hash('sha256', token, 'buffer'));
  if (hits === undefined || hits.length === 0) return;
  const plain: RegistryHit[] = [];
  for (const h of hits) if (h.digest === 'sha256') plain.push({ ...h, digest: undefined });
  if (plain.length > 0) sink(0, end, plain, '', 'whole', false);
}
