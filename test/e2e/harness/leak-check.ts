// Searches exported and spooled text for a person's values in every form a careless exporter
// could leak them: as typed, normalized, hashed without a key (sha256/md5/sha1 hex, base64 of
// sha256) and url-encoded. Hits name the value's label and form, never the value itself.
import { createHash } from 'node:crypto';

export interface Person {
  email?: string;
  /** Phone as the user typed it. */
  phone?: string;
  /** The same phone in E.164 (`+14155550148`). */
  phoneE164?: string;
  firstName?: string;
  lastName?: string;
  /** ISO `YYYY-MM-DD`. */
  birthdate?: string;
  /** Other values by label: city, zip, click ids, income... */
  other?: Record<string, string>;
}

/** How a needle is matched: `number` and `word` need a boundary on both sides. */
type MatchMode = 'exact' | 'ci' | 'word' | 'number';

export interface Needle {
  label: string;
  form: string;
  text: string;
  mode: MatchMode;
}

export interface LeakSource {
  name: string;
  text: string;
}

export interface LeakHit {
  label: string;
  form: string;
  source: string;
  offset: number;
}

const MIN_PLAIN_LENGTH = 4;
const MAX_HITS_PER_NEEDLE_AND_SOURCE = 3;

const digest = (alg: 'sha256' | 'md5' | 'sha1', s: string, enc: 'hex' | 'base64' | 'base64url' = 'hex'): string =>
  createHash(alg).update(s, 'utf8').digest(enc);

interface BaseForm {
  label: string;
  form: string;
  value: string;
  mode: MatchMode;
}

function emailBases(email: string): BaseForm[] {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const out: BaseForm[] = [
    { label: 'email', form: 'as typed', value: email, mode: 'ci' },
    { label: 'email', form: 'trim+lower', value: lower, mode: 'ci' },
  ];
  if (at > 0) {
    const local = lower.slice(0, at);
    const domain = lower.slice(at + 1);
    out.push({ label: 'email', form: 'dots+tag removed', value: `${local.split('+')[0]!.replace(/\./g, '')}@${domain}`, mode: 'ci' });
    out.push({ label: 'email', form: 'local part', value: local, mode: 'ci' });
  }
  return out;
}

function phoneBases(typed: string | undefined, e164: string | undefined): BaseForm[] {
  const out: BaseForm[] = [];
  if (typed) {
    out.push({ label: 'phone', form: 'as typed', value: typed, mode: 'exact' });
    out.push({ label: 'phone', form: 'typed digits', value: typed.replace(/\D/g, ''), mode: 'number' });
  }
  if (e164) {
    out.push({ label: 'phone', form: 'E.164', value: e164, mode: 'exact' });
    out.push({ label: 'phone', form: 'digits with country code', value: e164.replace(/\D/g, ''), mode: 'number' });
  }
  return out;
}

function nameBases(first: string | undefined, last: string | undefined): BaseForm[] {
  const out: BaseForm[] = [];
  const parts = [first, last, first && last ? `${first} ${last}` : undefined].filter((p): p is string => !!p);
  for (const p of parts) {
    out.push({ label: 'name', form: 'as typed', value: p, mode: 'word' });
    out.push({ label: 'name', form: 'lowercase', value: p.trim().toLowerCase(), mode: 'word' });
    const squashed = p.trim().toLowerCase().replace(/\s+/g, '');
    if (squashed !== p.trim().toLowerCase()) out.push({ label: 'name', form: 'lowercase, no spaces', value: squashed, mode: 'word' });
  }
  return out;
}

function birthdateBases(iso: string): BaseForm[] {
  return [
    { label: 'birthdate', form: 'YYYY-MM-DD', value: iso, mode: 'number' },
    { label: 'birthdate', form: 'YYYYMMDD', value: iso.replace(/-/g, ''), mode: 'number' },
  ];
}

function otherBases(label: string, value: string): BaseForm[] {
  const mode: MatchMode = /^\d+$/.test(value) ? 'number' : /^[\p{L}\s'-]+$/u.test(value) ? 'word' : 'ci';
  const out: BaseForm[] = [{ label, form: 'as typed', value, mode }];
  const lower = value.trim().toLowerCase();
  if (lower !== value) out.push({ label, form: 'lowercase', value: lower, mode });
  const squashed = lower.replace(/\s+/g, '');
  if (squashed !== lower) out.push({ label, form: 'lowercase, no spaces', value: squashed, mode });
  return out;
}

function formsOf(base: BaseForm): Needle[] {
  const { label, form, value } = base;
  const out: Needle[] = [];
  if (value.length >= MIN_PLAIN_LENGTH) out.push({ label, form, text: value, mode: base.mode });
  out.push({ label, form: `sha256(${form})`, text: digest('sha256', value), mode: 'ci' });
  out.push({ label, form: `md5(${form})`, text: digest('md5', value), mode: 'ci' });
  out.push({ label, form: `sha1(${form})`, text: digest('sha1', value), mode: 'ci' });
  out.push({ label, form: `base64(sha256(${form}))`, text: digest('sha256', value, 'base64').replace(/=+$/, ''), mode: 'exact' });
  out.push({ label, form: `base64url(sha256(${form}))`, text: digest('sha256', value, 'base64url'), mode: 'exact' });
  if (value.length >= MIN_PLAIN_LENGTH) {
    const uri = encodeURIComponent(value);
    if (uri !== value) out.push({ label, form: `urlencoded(${form})`, text: uri, mode: 'ci' });
    const formEncoded = new URLSearchParams({ v: value }).toString().slice(2);
    if (formEncoded !== value && formEncoded !== uri) out.push({ label, form: `form-encoded(${form})`, text: formEncoded, mode: 'ci' });
    if (value.length >= 6) out.push({ label, form: `base64(${form})`, text: Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, ''), mode: 'exact' });
  }
  return out;
}

/** Every needle for these people, deduplicated by text. */
export function leakNeedles(people: readonly Person[]): Needle[] {
  const bases: BaseForm[] = [];
  for (const p of people) {
    if (p.email) bases.push(...emailBases(p.email));
    bases.push(...phoneBases(p.phone, p.phoneE164));
    bases.push(...nameBases(p.firstName, p.lastName));
    if (p.birthdate) bases.push(...birthdateBases(p.birthdate));
    for (const [label, value] of Object.entries(p.other ?? {})) bases.push(...otherBases(label, value));
  }
  const seen = new Set<string>();
  const out: Needle[] = [];
  for (const b of bases) {
    for (const n of formsOf(b)) {
      const key = n.mode === 'exact' ? n.text : n.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(n);
    }
  }
  return out;
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
const isAlnum = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9]/.test(ch);

function bounded(hay: string, at: number, len: number, mode: MatchMode): boolean {
  if (mode === 'word') return !isWordChar(hay[at - 1]) && !isWordChar(hay[at + len]);
  if (mode === 'number') return !isAlnum(hay[at - 1]) && !isAlnum(hay[at + len]);
  return true;
}

export function findLeaks(needles: readonly Needle[], sources: readonly LeakSource[]): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const src of sources) {
    const lower = src.text.toLowerCase();
    for (const n of needles) {
      const hay = n.mode === 'exact' ? src.text : lower;
      const needle = n.mode === 'exact' ? n.text : n.text.toLowerCase();
      let found = 0;
      let from = 0;
      while (found < MAX_HITS_PER_NEEDLE_AND_SOURCE) {
        const at = hay.indexOf(needle, from);
        if (at < 0) break;
        from = at + 1;
        if (!bounded(hay, at, needle.length, n.mode)) continue;
        hits.push({ label: n.label, form: n.form, source: src.name, offset: at });
        found++;
      }
    }
  }
  return hits;
}

/** A one-line-per-hit summary safe for assertion messages (labels, forms and places only). */
export function describeLeaks(hits: readonly LeakHit[]): string {
  return hits.map((h) => `${h.label} as ${h.form} in ${h.source} at ${h.offset}`).join('\n');
}
