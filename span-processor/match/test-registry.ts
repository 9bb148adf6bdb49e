// Test double for Registry: indexes exactly the strings it is given (plus their sha256/sha1/md5),
// so match tests do not depend on the real registry's normalizations.
import { createHash } from 'node:crypto';
import type { Category, DigestForm, Registry, RegistryHit, VariantTransform } from '../types';

const DIGESTS: readonly DigestForm[] = ['sha256', 'sha1', 'md5'];

export interface IndexEntry {
  category: Category;
  fp: string;
  subject?: string;
  variant?: VariantTransform;
  value: string;
  /** Also index sha256/sha1/md5 of the value (default true). */
  digests?: boolean;
}

export class TestRegistry implements Registry {
  private readonly plain = new Map<string, RegistryHit[]>();
  private readonly digest = new Map<string, RegistryHit[]>();

  index(category: Category, fp: string, subject: string | undefined, variant: VariantTransform, value: string, digests = true): this {
    return this.add({ category, fp, subject, variant, value, digests });
  }

  add(e: IndexEntry): this {
    const base: RegistryHit = { fp: e.fp, category: e.category, variant: e.variant ?? 'plain' };
    if (e.subject !== undefined) base.subject = e.subject;
    push(this.plain, e.value, base);
    if (e.digests !== false) {
      for (const d of DIGESTS) push(this.digest, createHash(d).update(e.value, 'utf8').digest('hex'), { ...base, digest: d });
    }
    return this;
  }

  register(): { fp: string; canonical: string } | null {
    return null;
  }

  fingerprint(): { fp: string; canonical: string } | null {
    return null;
  }

  lookupPlain(token: string): readonly RegistryHit[] | undefined {
    return this.plain.get(token);
  }

  lookupDigest(bytes: Uint8Array): readonly RegistryHit[] | undefined {
    return this.digest.get(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
  }

  stats(): { values: number; keys: number; bytes: number } {
    return { values: this.plain.size, keys: this.plain.size + this.digest.size, bytes: 0 };
  }

  clear(): void {
    this.plain.clear();
    this.digest.clear();
  }
}

function push(map: Map<string, RegistryHit[]>, key: string, hit: RegistryHit): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [hit]);
  else list.push(hit);
}
