// In-memory fingerprint registry: every variant of a collected value, plain and as digest bytes,
// points back to the value's fingerprint id, so the egress matcher finds shares in whatever
// disguise they travel. Bounded three ways (TTL, LRU by value, byte cap) because it holds
// personal data in memory for the life of the process.
import { createHash } from 'node:crypto';
import type { Category, DigestForm, RegisterInput, Registry, RegistryHit, VariantTransform } from '../types';
import { canonicalize } from '../fingerprint/canonical';
import { fingerprintId } from '../fingerprint/fingerprint';
import { variants } from '../fingerprint/variants';

export interface RegistryOptions {
  key: Buffer;
  defaultPhoneRegion: string;
  ttlSeconds: number;
  maxBytes: number;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

/** Hits kept per key when different values share it (the same `m` digest for many people). */
export const MAX_HITS_PER_KEY = 8;
/** Distinct raw spellings of one value whose variants are indexed (` Jane@X.com` and `jane@x.com`). */
const MAX_RAWS_PER_VALUE = 4;
const MIN_PLAIN_CHARS = 3;

// Approximate V8 costs, calibrated against heap growth (see registry.test.ts memory check).
/** Map entry + string header + the owning value's reference to the key. */
const KEY_OVERHEAD = 64;
/** Extra slot when a key holds hits of several values (copied array). */
const SHARED_SLOT_OVERHEAD = 24;
/** Value record, its key lists, the LRU map entry and the hit cache. */
const VALUE_OVERHEAD = 320;
/** One cached hit object and its one-element array. */
const HIT_OVERHEAD = 120;
/** A raw spelling kept to recognize repeats: its list slot. */
const RAW_OVERHEAD = 8;

const VARIANT_SLOTS: Record<VariantTransform, number> = { plain: 0, lowercase: 1, normalized: 2, substring: 3 };
const DIGESTS: readonly DigestForm[] = ['sha256', 'sha1', 'md5'];
const SLOTS_PER_VARIANT = 1 + DIGESTS.length;
const VARIANT_COUNT = 4;

/** Hidden back-reference from a hit to its value: non-enumerable, so hits compare and serialize as
 *  plain RegistryHit objects. */
const OWNER = Symbol('sst.registry.owner');

interface ValueEntry {
  id: string;
  fp: string;
  category: Category;
  subject?: string;
  touched: number;
  /** Bytes of this record itself (strings, hit cache); its keys are counted where they are added. */
  ownBytes: number;
  raws: string[];
  plainKeys: string[];
  digestKeys: string[];
  /** One frozen `[hit]` array per (variant, form), shared by every key that maps only to this value. */
  hits: Array<readonly RegistryHit[] | undefined>;
}

type Bucket = readonly RegistryHit[];

function ownerOf(hit: RegistryHit): ValueEntry {
  return (hit as unknown as Record<symbol, ValueEntry>)[OWNER];
}

function digestKey(alg: DigestForm, text: string): string {
  return createHash(alg).update(text, 'utf8').digest().toString('latin1');
}

class FingerprintRegistry implements Registry {
  private readonly values = new Map<string, ValueEntry>();
  private readonly plain = new Map<string, Bucket>();
  private readonly digests = new Map<string, Bucket>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: RegistryOptions) {
    this.ttlMs = opts.ttlSeconds * 1000;
    this.now = opts.now ?? Date.now;
  }

  fingerprint(category: Category, value: string, region?: string): { fp: string; canonical: string } | null {
    if (typeof value !== 'string') return null;
    const canonical = canonicalize(category, value, region ?? this.opts.defaultPhoneRegion);
    return canonical === null ? null : { fp: fingerprintId(this.opts.key, canonical), canonical };
  }

  register(input: RegisterInput): { fp: string; canonical: string } | null {
    if (input === null || typeof input !== 'object') return null;
    const { category, value } = input;
    const subject = typeof input.subject === 'string' ? input.subject : undefined;
    if (typeof value !== 'string' || typeof category !== 'string') return null;
    const region = typeof input.region === 'string' && /^[A-Z]{2}$/.test(input.region) ? input.region : this.opts.defaultPhoneRegion;
    const canonical = canonicalize(category, value, region);
    if (canonical === null) return null;
    const now = this.now();
    this.sweepExpired(now);

    const id = category + '\u0000' + canonical;
    let entry = this.values.get(id);
    if (entry) {
      this.values.delete(id);
      this.values.set(id, entry);
      entry.touched = now;
      if (subject !== undefined && subject !== entry.subject) this.setSubject(entry, subject);
      if (!entry.raws.includes(value) && entry.raws.length < MAX_RAWS_PER_VALUE) {
        entry.raws.push(value);
        this.grow(entry, RAW_OVERHEAD + value.length * 2);
        this.index(entry, value, canonical, region);
      }
    } else {
      entry = {
        id, fp: fingerprintId(this.opts.key, canonical), category, subject, touched: now, ownBytes: 0,
        raws: [value], plainKeys: [], digestKeys: [], hits: new Array(VARIANT_COUNT * SLOTS_PER_VARIANT),
      };
      this.values.set(id, entry);
      this.grow(entry, VALUE_OVERHEAD + RAW_OVERHEAD + (id.length + entry.fp.length + value.length + (subject?.length ?? 0)) * 2);
      this.index(entry, value, canonical, region);
    }
    const fp = entry.fp;
    this.enforceCap();
    return { fp, canonical };
  }

  lookupPlain(token: string): readonly RegistryHit[] | undefined {
    return this.fresh(this.plain, token);
  }

  lookupDigest(bytes: Uint8Array): readonly RegistryHit[] | undefined {
    const n = bytes?.length;
    if (n !== 16 && n !== 20 && n !== 32) return undefined;
    // Same string as Buffer#toString('latin1') of the digest at registration: one char per byte.
    const key = String.fromCharCode.apply(null, bytes as unknown as number[]);
    return this.fresh(this.digests, key);
  }

  stats(): { values: number; keys: number; bytes: number } {
    return { values: this.values.size, keys: this.plain.size + this.digests.size, bytes: this.bytes };
  }

  clear(): void {
    this.values.clear();
    this.plain.clear();
    this.digests.clear();
    this.bytes = 0;
  }

  // ----------------------------------------------------------------------------------------------

  private index(entry: ValueEntry, raw: string, canonical: string, region: string): void {
    for (const v of variants(entry.category, raw, canonical, region)) {
      const slot = VARIANT_SLOTS[v.variant] * SLOTS_PER_VARIANT;
      // Plain tokens: short ones (`m`, `01`) and fragments (`mary`, `1990`) would match everywhere;
      // only their digests are specific enough to index.
      if (v.variant !== 'substring' && v.value.length >= MIN_PLAIN_CHARS) {
        this.add(this.plain, entry.plainKeys, v.value, entry, slot, v.variant, undefined);
        const lower = v.value.toLowerCase();
        if (lower !== v.value) {
          const lowerVariant: VariantTransform = v.variant === 'plain' ? 'lowercase' : v.variant;
          this.add(this.plain, entry.plainKeys, lower, entry, VARIANT_SLOTS[lowerVariant] * SLOTS_PER_VARIANT, lowerVariant, undefined);
        }
      }
      for (let d = 0; d < DIGESTS.length; d++) {
        const alg = DIGESTS[d];
        this.add(this.digests, entry.digestKeys, digestKey(alg, v.value), entry, slot + 1 + d, v.variant, alg);
      }
    }
  }

  private hitArray(entry: ValueEntry, slot: number, variant: VariantTransform, digest: DigestForm | undefined): Bucket {
    let arr = entry.hits[slot];
    if (!arr) {
      const hit: RegistryHit = { fp: entry.fp, category: entry.category, variant };
      if (entry.subject !== undefined) hit.subject = entry.subject;
      if (digest) hit.digest = digest;
      Object.defineProperty(hit, OWNER, { value: entry, enumerable: false });
      arr = Object.freeze([hit]);
      entry.hits[slot] = arr;
      this.grow(entry, HIT_OVERHEAD);
    }
    return arr;
  }

  private add(
    map: Map<string, Bucket>, keys: string[], key: string, entry: ValueEntry,
    slot: number, variant: VariantTransform, digest: DigestForm | undefined,
  ): void {
    const existing = map.get(key);
    if (!existing) {
      map.set(key, this.hitArray(entry, slot, variant, digest));
      keys.push(key);
      this.bytes += KEY_OVERHEAD + key.length * 2;
      return;
    }
    for (const h of existing) if (ownerOf(h) === entry) return;
    const hit = this.hitArray(entry, slot, variant, digest)[0];
    // Shared keys get their own array; the oldest value's hit gives way when the list is full.
    const next = existing.length >= MAX_HITS_PER_KEY ? existing.slice(1) : existing.slice();
    next.push(hit);
    if (existing.length >= MAX_HITS_PER_KEY) this.bytes -= SHARED_SLOT_OVERHEAD;
    map.set(key, next);
    keys.push(key);
    this.bytes += SHARED_SLOT_OVERHEAD;
  }

  private grow(entry: ValueEntry, bytes: number): void {
    entry.ownBytes += bytes;
    this.bytes += bytes;
  }

  private setSubject(entry: ValueEntry, subject: string): void {
    this.grow(entry, (subject.length - (entry.subject?.length ?? 0)) * 2);
    entry.subject = subject;
    for (const arr of entry.hits) if (arr) (arr[0] as RegistryHit).subject = subject;
  }

  /** Hits under `key`, after dropping values whose TTL ran out (lazy sweep). */
  private fresh(map: Map<string, Bucket>, key: string): Bucket | undefined {
    const bucket = map.get(key);
    if (!bucket) return undefined;
    const oldest = this.now() - this.ttlMs;
    let stale = false;
    for (const h of bucket) if (ownerOf(h).touched < oldest) { stale = true; break; }
    if (!stale) return bucket;
    for (const h of bucket.slice()) {
      const owner = ownerOf(h);
      if (owner.touched < oldest && this.values.get(owner.id) === owner) this.evict(owner);
    }
    return map.get(key);
  }

  private sweepExpired(now: number): void {
    const oldest = now - this.ttlMs;
    // The LRU map is in touch order, so expired values are all at its head.
    for (const entry of this.values.values()) {
      if (entry.touched >= oldest) break;
      this.evict(entry);
    }
  }

  private enforceCap(): void {
    for (const entry of this.values.values()) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.evict(entry);
    }
  }

  private evict(entry: ValueEntry): void {
    this.values.delete(entry.id);
    this.removeKeys(this.plain, entry.plainKeys, entry);
    this.removeKeys(this.digests, entry.digestKeys, entry);
    this.bytes -= entry.ownBytes;
  }

  private removeKeys(map: Map<string, Bucket>, keys: string[], entry: ValueEntry): void {
    for (const key of keys) {
      const bucket = map.get(key);
      if (!bucket) continue;
      if (bucket.length === 1) {
        if (ownerOf(bucket[0]) !== entry) continue;
        map.delete(key);
        this.bytes -= KEY_OVERHEAD + key.length * 2;
        continue;
      }
      const rest = bucket.filter((h) => ownerOf(h) !== entry);
      if (rest.length === bucket.length) continue;
      this.bytes -= SHARED_SLOT_OVERHEAD;
      // Back to the survivor's shared one-element array when only one value is left.
      map.set(key, rest.length === 1 ? ownerOf(rest[0]).hits.find((a) => a?.[0] === rest[0])! : rest);
    }
  }
}

export function createRegistry(opts: RegistryOptions): Registry {
  return new FingerprintRegistry(opts);
}
