// Which registry hits count as a share (semconv §4): low-entropy values, incomes, single first names
// in prose and substring variants are only evidence next to a strong identifier of the same
// subject, or under a field name that expects them (hashed, for the low-entropy categories).
import { LOW_ENTROPY, type RegistryHit } from '../types';
import type { TokenKind } from './scan';

export const STRONG: ReadonlySet<string> = new Set([
  'email', 'phone', 'name', 'user_id', 'ad_click_id', 'device_id', 'ip', 'card', 'iban', 'gov_id',
]);

/** Normalized vendor field names (lowercase, alphanumerics only, hash prefixes/suffixes removed). */
const EXPECTED_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  city: new Set(['ct', 'city', 'town']),
  region: new Set(['st', 'state', 'region', 'province']),
  postal_code: new Set(['zp', 'zip', 'zipcode', 'postal', 'postalcode', 'postcode']),
  country: new Set(['country', 'countrycode']),
  gender: new Set(['ge', 'gender', 'sex']),
  birthdate: new Set(['db', 'dob', 'doby', 'dobm', 'dobd', 'birthday', 'dateofbirth', 'birthdate', 'birthyear', 'birthmonth']),
  income: new Set(['income', 'salary', 'annualincome', 'revenue', 'householdincome', 'wage', 'wages']),
};
/** So few values that a match alone cannot say whose it is. */
const VERY_LOW_ENTROPY: ReadonlySet<string> = new Set(['gender', 'country', 'region']);
const SUBSTRING_KEYS: ReadonlySet<string> = new Set(['fn', 'ln', 'f5first', 'f5last', 'fi']);
const KEY_AFFIXES = ['sha256', 'hashed', 'hash'] as const;
const NON_ALNUM = /[^a-z0-9]+/g;

export function normalizeKey(key: string): string {
  let k = key.toLowerCase().replace(NON_ALNUM, '');
  for (const a of KEY_AFFIXES) {
    if (k.length > a.length && k.startsWith(a)) k = k.slice(a.length);
    if (k.length > a.length && k.endsWith(a)) k = k.slice(0, -a.length);
  }
  return k;
}

function keyExpects(category: string, normKey: string): boolean {
  const keys = EXPECTED_KEYS[category];
  if (keys === undefined) return false;
  if (keys.has(normKey)) return true;
  return category === 'income' && (normKey.includes('income') || normKey.includes('salary'));
}

/** The field name says it holds some other category than `category`. */
function expectsOther(category: string, normKey: string): boolean {
  for (const c in EXPECTED_KEYS) if (c !== category && EXPECTED_KEYS[c].has(normKey)) return true;
  return false;
}

export interface Candidate {
  hit: RegistryHit;
  field: string;
  key: string;
  /** The matched text, lowercased (two different name parts in prose make each other credible). */
  token: string;
  kind: TokenKind;
  weakWord: boolean;
  /** The words before it in free text name the category ("my income is", "I'm"): see anchors.ts. */
  anchored?: boolean;
}

export interface PolicyOptions {
  shareUserAgent: boolean;
  /** Scrubbing attributes, not reporting shares: a plain low-entropy value under a field that names
   *  it (`?ct=paris`) is removed even though sending it alone would not count as a share. */
  scrub?: boolean;
}

function subjectOf(hit: RegistryHit): string {
  return hit.subject ?? hit.fp;
}

/** Keep-mask over `cands` (same order). Evaluated over one capture so subjects link across fields. */
export function keepMask(cands: readonly Candidate[], opts: PolicyOptions): boolean[] {
  const keep = new Array<boolean>(cands.length).fill(true);
  const normKeys = cands.map((c) => normalizeKey(c.key));
  const weakName = (c: Candidate): boolean => c.weakWord && c.hit.category === 'name' && c.anchored !== true;

  for (let i = 0; i < cands.length; i++) {
    const { hit } = cands[i];
    if (hit.category === 'user_agent' && !opts.shareUserAgent) keep[i] = false;
    else if (hit.variant === 'substring' && hit.digest === undefined && !SUBSTRING_KEYS.has(normKeys[i])) keep[i] = false;
  }

  const strongSubjects = new Set<string>();
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i];
    // A part of a value (an initial, the first five letters, a birth year) is never someone's
    // identifier: `sha256("f")` is the initial of every Fiona and Frank, and also a gender.
    if (keep[i] && STRONG.has(c.hit.category) && c.hit.variant !== 'substring' && !weakName(c)) strongSubjects.add(subjectOf(c.hit));
  }

  // distinct name tokens per subject: `Jane … Doe` is a person, a lone `Jane` in prose is not
  const nameTokens = new Map<string, Set<string>>();
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i];
    if (!keep[i] || c.hit.category !== 'name') continue;
    const s = subjectOf(c.hit);
    let set = nameTokens.get(s);
    if (set === undefined) nameTokens.set(s, (set = new Set()));
    if (set.size < 4) set.add(c.token);
  }

  for (let i = 0; i < cands.length; i++) {
    if (!keep[i]) continue;
    const c = cands[i];
    const cat = c.hit.category;
    const linked = strongSubjects.has(subjectOf(c.hit));
    if (c.hit.variant === 'substring') {
      // Only the person's own identifier in the same payload says whose part it is, and a field
      // that names another category (`ge`, `ct`) holds that category, not a piece of a name.
      keep[i] = linked && !expectsOther(cat, normKeys[i]);
    } else if (cat === 'income') {
      keep[i] = linked || keyExpects(cat, normKeys[i]) || cands[i].anchored === true;
    } else if (VERY_LOW_ENTROPY.has(cat) && opts.scrub !== true) {
      // `ge=sha256("f")` matches every woman in the registry: only the subject's own identifier in
      // the same payload says whose gender (or country, or state) it is (semconv §4).
      keep[i] = linked;
    } else if (LOW_ENTROPY.has(cat)) {
      // A plain `city` sent to a weather API is not a share; the same city hashed under `ct` is an
      // identity-matching field (Meta, Snap, Pinterest, TikTok hash them to match people).
      keep[i] = linked || ((opts.scrub === true || c.hit.digest !== undefined) && keyExpects(cat, normKeys[i]));
    } else if (weakName(c)) {
      keep[i] = linked || (nameTokens.get(subjectOf(c.hit))?.size ?? 0) >= 2;
    }
  }
  return keep;
}
