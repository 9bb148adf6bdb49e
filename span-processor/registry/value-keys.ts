// The lookup keys of one spelling of a value, in the order the registry indexes them: for every
// vendor variant its plain string (and its lowercase), then its sha256 / sha1 / md5. The registry
// stores only hashes of these keys, so it re-derives them here to verify a candidate and to find a
// value's entries when it is evicted; one function keeps all three in step.
import * as crypto from 'node:crypto';
import type { Category, DigestForm, VariantTransform } from '../types';
import { variants } from '../fingerprint/variants';

export const FORM_PLAIN = 0;
/** The plain key lowercased (indexed only when it differs). */
export const FORM_LOWER = 1;
export const FORM_SHA256 = 2;
export const FORM_SHA1 = 3;
export const FORM_MD5 = 4;
export type KeyForm = 0 | 1 | 2 | 3 | 4;

export const ALL_FORMS = 0b11111;
export const PLAIN_FORMS = (1 << FORM_PLAIN) | (1 << FORM_LOWER);

/** Short plain tokens (`m`, `01`) and fragments would match everywhere: only their digests count. */
export const MIN_PLAIN_CHARS = 3;

export const FORM_DIGEST: readonly (DigestForm | undefined)[] = [undefined, undefined, 'sha256', 'sha1', 'md5'];
const DIGEST_FORMS: readonly KeyForm[] = [FORM_SHA256, FORM_SHA1, FORM_MD5];

/** The digest form of a digest of `n` bytes; -1 for other lengths. */
export function formOfDigestLength(n: number): number {
  return n === 32 ? FORM_SHA256 : n === 20 ? FORM_SHA1 : n === 16 ? FORM_MD5 : -1;
}

type Hasher = (alg: DigestForm, text: string) => string;
// One-shot crypto.hash (Node ≥ 20.12) skips the Hash object; the package still runs on 20.6.
// 'binary' is Node's name for latin1.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: string, enc: 'binary') => string }).hash;
/** Digest as a latin1 string, one char per byte. */
export const digestLatin1: Hasher = typeof oneShot === 'function'
  ? (alg, text) => oneShot(alg, text, 'binary')
  : (alg, text) => crypto.createHash(alg).update(text, 'utf8').digest('binary');

/** Called once per key; returning true stops the walk. Digest keys are latin1 strings. */
export type KeyVisitor = (form: KeyForm, key: string, variant: VariantTransform) => boolean | void;

/** Walks the keys of one spelling restricted to the forms in the `forms` bit set; true if stopped. */
export function visitKeys(
  category: Category, raw: string, canonical: string, region: string, forms: number, visit: KeyVisitor,
): boolean {
  for (const v of variants(category, raw, canonical, region)) {
    if ((forms & PLAIN_FORMS) !== 0 && v.variant !== 'substring' && v.value.length >= MIN_PLAIN_CHARS) {
      if ((forms & (1 << FORM_PLAIN)) !== 0 && visit(FORM_PLAIN, v.value, v.variant) === true) return true;
      if ((forms & (1 << FORM_LOWER)) !== 0) {
        const lower = v.value.toLowerCase();
        if (lower !== v.value && visit(FORM_LOWER, lower, v.variant === 'plain' ? 'lowercase' : v.variant) === true) return true;
      }
    }
    for (const form of DIGEST_FORMS) {
      if ((forms & (1 << form)) === 0) continue;
      if (visit(form, digestLatin1(FORM_DIGEST[form]!, v.value), v.variant) === true) return true;
    }
  }
  return false;
}
