// Vendor normalizations and digests (vendors.md "Normalization matrix"), written from the vendors'
// documentation so the corpus hashes what each vendor's integration would hash.
import { createHash } from 'node:crypto';
import { asciiFold, emailNorm, type Person } from './people';

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
export const sha1 = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');
export const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
export const sha256b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');
export const sha256b64url = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64url');
export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const GMAIL = /@(gmail|googlemail)\.com$/;

/** Meta / TikTok / Snap / Pinterest: trimmed, lowercased. */
export function email(p: Person): string {
  return emailNorm(p);
}

/** Google Ads enhanced conversions: Gmail dots removed, `+tag` kept. */
export function emailGoogle(p: Person): string {
  const e = emailNorm(p);
  if (!GMAIL.test(e)) return e;
  const at = e.indexOf('@');
  return e.slice(0, at).replace(/\./g, '') + e.slice(at);
}

/** Google Data Manager: Gmail dots and `+tag` removed. */
export function emailDataManager(p: Person): string {
  const e = emailNorm(p);
  if (!GMAIL.test(e)) return e;
  const at = e.indexOf('@');
  return e.slice(0, at).split('+')[0].replace(/\./g, '') + e.slice(at);
}

/** Segment → Reddit: dots and `+tag` removed for every domain. */
export function emailReddit(p: Person): string {
  const e = emailNorm(p);
  const at = e.indexOf('@');
  return e.slice(0, at).split('+')[0].replace(/\./g, '') + e.slice(at);
}

/** Meta, Snap, Pinterest, Bing: digits with country code, no `+`. */
export function phoneDigits(p: Person): string {
  return p.phoneE164.slice(1);
}

export function phoneE164(p: Person): string {
  return p.phoneE164;
}

/** Meta SDK: trimmed, lowercased (accents and punctuation kept). */
export function nameLower(n: string): string {
  return n.trim().toLowerCase();
}

/** Meta param-builder: lowercased, whitespace and punctuation removed. */
export function nameParamBuilder(n: string): string {
  return n.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Google legacy: `[a-z]` only, accents folded. */
export function nameAsciiOnly(n: string): string {
  return asciiFold(n).toLowerCase().replace(/[^a-z]/g, '');
}

/** Meta `db`: YYYYMMDD. */
export function dobCompact(p: Person): string {
  return p.dobIso.replace(/-/g, '');
}

export function genderLetter(p: Person): string {
  return p.gender === 'female' ? 'f' : 'm';
}

/** Meta `ct`: lowercase, no spaces or punctuation (accents kept). */
export function cityMeta(p: Person): string {
  return p.place.city.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Zip as Meta/Snap send it: lowercase, no spaces, US part before the dash. */
export function zipMeta(p: Person): string {
  const z = p.place.postal.toLowerCase();
  return (p.locale === 'US' ? z.split('-')[0] : z).replace(/\s+/g, '');
}

export function countryLower(p: Person): string {
  return p.locale.toLowerCase();
}
