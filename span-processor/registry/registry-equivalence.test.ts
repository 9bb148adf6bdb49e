// The compact registry (hashed keys in typed arrays, no key text kept) must answer exactly like a
// straightforward registry that keeps every key string in a Map: same hits, same order, same
// variant and digest names, for a few thousand random values of every kind and all their forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Category, DigestForm, RegistryHit, VariantTransform } from '../types';
import { canonicalize } from '../fingerprint/canonical';
import { fingerprintId } from '../fingerprint/fingerprint';
import { variants } from '../fingerprint/variants';
import { createRegistry, MAX_HITS_PER_KEY } from './registry';

const KEY = Buffer.from('equivalence-key-equivalence-key-0123');
const DIGESTS: readonly DigestForm[] = ['sha256', 'sha1', 'md5'];

interface RefValue { fp: string; category: Category; subject?: string; raws: string[] }
interface RefEntry { value: RefValue; variant: VariantTransform; digest?: DigestForm }

/** The reference: every key string in a Map, hits built from the value record at lookup. */
class ReferenceRegistry {
  private readonly values = new Map<string, RefValue>();
  private readonly plain = new Map<string, RefEntry[]>();
  private readonly digests = new Map<string, RefEntry[]>();

  register(category: Category, raw: string, subject?: string, region = 'US'): string | null {
    const canonical = canonicalize(category, raw, region);
    if (canonical === null) return null;
    const id = `${category}\u0000${canonical}`;
    let value = this.values.get(id);
    if (!value) {
      value = { fp: fingerprintId(KEY, canonical), category, subject, raws: [] };
      this.values.set(id, value);
    } else if (subject !== undefined) {
      value.subject = subject;
    }
    if (value.raws.includes(raw) || value.raws.length >= 4) return value.fp;
    value.raws.push(raw);
    for (const v of variants(category, raw, canonical, region)) {
      if (v.variant !== 'substring' && v.value.length >= 3) {
        this.add(this.plain, v.value, { value, variant: v.variant });
        const lower = v.value.toLowerCase();
        if (lower !== v.value) this.add(this.plain, lower, { value, variant: v.variant === 'plain' ? 'lowercase' : v.variant });
      }
      for (const d of DIGESTS) this.add(this.digests, createHash(d).update(v.value, 'utf8').digest('hex'), { value, variant: v.variant, digest: d });
    }
    return value.fp;
  }

  lookupPlain(token: string): RegistryHit[] | undefined {
    return hits(this.plain.get(token));
  }

  lookupDigest(bytes: Buffer): RegistryHit[] | undefined {
    return hits(this.digests.get(bytes.toString('hex')));
  }

  private add(map: Map<string, RefEntry[]>, key: string, entry: RefEntry): void {
    const list = map.get(key) ?? [];
    if (list.some((e) => e.value === entry.value)) return;
    if (list.length >= MAX_HITS_PER_KEY) list.shift();
    list.push(entry);
    map.set(key, list);
  }
}

function hits(entries: RefEntry[] | undefined): RegistryHit[] | undefined {
  if (!entries || entries.length === 0) return undefined;
  return entries.map((e) => {
    const h: RegistryHit = { fp: e.value.fp, category: e.value.category, variant: e.variant };
    if (e.value.subject !== undefined) h.subject = e.value.subject;
    if (e.digest) h.digest = e.digest;
    return h;
  });
}

/** Small deterministic PRNG, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    x = (x ^ (x >>> 12)) >>> 0;
    return x / 4294967296;
  };
}

function randomValues(count: number, rand: () => number): Array<{ category: Category; raw: string }> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const word = (min: number, max: number) => {
    const letters = 'abcdefghijklmnopqrstuvwxyzéüñ';
    let w = '';
    const n = min + Math.floor(rand() * (max - min + 1));
    for (let i = 0; i < n; i++) w += letters[Math.floor(rand() * (i === 0 ? 26 : letters.length))];
    return w;
  };
  const cap = (w: string) => (rand() < 0.5 ? w[0].toUpperCase() + w.slice(1) : w);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const space = () => (rand() < 0.1 ? ' ' : '');
  const makers: Array<() => { category: Category; raw: string }> = [
    () => ({ category: 'email', raw: `${space()}${cap(word(2, 8))}${rand() < 0.4 ? '.' + cap(word(2, 6)) : ''}${rand() < 0.2 ? '+' + word(2, 5) : ''}@${pick(['gmail.com', 'Example.com', 'mail.co.uk', 'googlemail.com'])}${space()}` }),
    () => ({ category: 'phone', raw: pick([`+1 (${pick(['415', '650', '212'])}) 555-${digits(4)}`, `${pick(['415', '650'])}-555-${digits(4)}`, `+49 1577 ${digits(7)}`, `+44 7700 900${digits(3)}`]) }),
    () => ({ category: 'name', raw: rand() < 0.3 ? `${cap(word(2, 7))}-${cap(word(2, 7))}` : rand() < 0.5 ? `${cap(word(2, 8))} ${cap(word(2, 9))}` : cap(word(1, 9)) }),
    () => ({ category: 'city', raw: rand() < 0.5 ? `${cap(word(3, 8))} ${cap(word(3, 8))}` : cap(word(3, 10)) }),
    () => ({ category: 'postal_code', raw: rand() < 0.5 ? `9${digits(4)}` : `9${digits(4)}-${digits(4)}` }),
    () => ({ category: 'gender', raw: pick(['Male', 'female', 'F', 'm', 'Weiblich', 'non-binary']) }),
    () => ({ category: 'birthdate', raw: `19${digits(2)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 10)}` }),
    () => ({ category: 'user_id', raw: `${pick(['usr_', 'U-', ''])}${word(3, 6)}${digits(4)}` }),
    () => ({ category: 'country', raw: pick(['Germany', 'united states', 'FR', 'de']) }),
    () => ({ category: 'income', raw: pick([`${digits(2)},000`, `$${digits(3)}.50`, digits(5)]) }),
  ];
  return Array.from({ length: count }, () => pick(makers)());
}

test('compact registry returns the same hits as the reference for random values and all their forms', () => {
  const rand = rng(20241126);
  const compact = createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 1e12 });
  const reference = new ReferenceRegistry();
  const values = randomValues(3000, rand);
  const registered: Array<{ category: Category; raw: string }> = [];
  for (let i = 0; i < values.length; i++) {
    const { category, raw } = values[i];
    const subject = rand() < 0.7 ? `subject-${Math.floor(rand() * 500)}` : undefined;
    const a = compact.register({ category, value: raw, subject });
    const b = reference.register(category, raw, subject);
    assert.equal(a?.fp ?? null, b, `fingerprint of value ${i} (${category})`);
    if (b !== null) registered.push({ category, raw });
    // Some values come back in another spelling (case, spaces): more raws for the same fingerprint.
    if (b !== null && rand() < 0.15) {
      const again = rand() < 0.5 ? raw.toUpperCase() : ` ${raw} `;
      assert.equal(compact.register({ category, value: again })?.fp ?? null, reference.register(category, again));
      registered.push({ category, raw: again });
    }
  }
  assert.ok(registered.length > 2500, `${registered.length} registered`);

  let plainChecks = 0;
  let digestChecks = 0;
  let found = 0;
  for (const { category, raw } of registered) {
    const canonical = canonicalize(category, raw, 'US')!;
    for (const v of variants(category, raw, canonical, 'US')) {
      for (const token of new Set([v.value, v.value.toLowerCase(), v.value.toUpperCase()])) {
        const want = reference.lookupPlain(token);
        assert.deepEqual(compact.lookupPlain(token), want, `plain ${category} ${JSON.stringify(token)}`);
        plainChecks++;
        if (want) found++;
      }
      for (const d of DIGESTS) {
        const bytes = createHash(d).update(v.value, 'utf8').digest();
        assert.deepEqual(compact.lookupDigest(bytes), reference.lookupDigest(bytes), `${d} of ${category} ${JSON.stringify(v.value)}`);
        assert.deepEqual(compact.lookupDigest(new Uint8Array(bytes)), reference.lookupDigest(bytes));
        digestChecks++;
      }
    }
  }
  assert.ok(plainChecks > 10_000 && digestChecks > 10_000, `${plainChecks} plain, ${digestChecks} digest checks`);
  assert.ok(found > 5_000, `${found} plain hits`);

  // Keys that were never registered: both miss.
  for (let i = 0; i < 5000; i++) {
    const token = `absent-${i}-${Math.floor(rand() * 1e9)}`;
    assert.equal(compact.lookupPlain(token), undefined);
    for (const d of DIGESTS) assert.equal(compact.lookupDigest(createHash(d).update(token).digest()), undefined);
  }
});

test('shared keys keep the same hits and order as the reference when more than the cap share them', () => {
  const compact = createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 1e12 });
  const reference = new ReferenceRegistry();
  // Every J-name shares the digest of `j` (Meta `fi`); every 94105-xxxx zip shares `94105`.
  for (let i = 0; i < 30; i++) {
    for (const [category, raw] of [['name', `J${'abcdefghij'[i % 10]}ne${i}`], ['postal_code', `94105-${1000 + i}`]] as const) {
      compact.register({ category, value: raw, subject: `s${i}` });
      reference.register(category, raw, `s${i}`);
    }
  }
  const j = createHash('sha256').update('j').digest();
  assert.equal(compact.lookupDigest(j)?.length, MAX_HITS_PER_KEY);
  assert.deepEqual(compact.lookupDigest(j), reference.lookupDigest(j));
  assert.deepEqual(compact.lookupPlain('94105'), reference.lookupPlain('94105'));
  assert.equal(compact.lookupPlain('94105')?.[0].subject, 's22', 'the oldest gave way');
});
