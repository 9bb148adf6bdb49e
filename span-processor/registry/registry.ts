// In-memory fingerprint registry: every variant of a collected value, plain and as digest bytes,
// points back to the value's fingerprint id, so the egress matcher finds shares in whatever
// disguise they travel. Bounded three ways (TTL, LRU by value, byte cap) because it holds
// personal data in memory for the life of the process.
//
// Compact layout (issue 8: 100k subjects in ≤ 64 MB, lookups cheap enough for 250 MB/s scans):
// - keys are not stored, only a 64-bit hash of each (digests: their first 8 bytes, which are
//   already uniform) with a 32-bit reference = value slot + variant + digest form, in a typed-array
//   hash index (hash-index.ts, 12 bytes a slot). Equal hashes are taken as equal keys: a lookup of
//   an absent key hits a stored one with probability ≈ keys-per-shard / 2^64 (≈ 3e-15 at 100k
//   subjects), far below any other error source, and no lookup pays for a verification;
// - values live in typed-array columns (value-store.ts): no raw or canonical text is kept for
//   them, only the first 17 bytes of the fingerprint HMAC (the 22-char id) and the packed subject
//   id (the one text kept is a 256-entry memo of ids of values fingerprinted but never indexed);
// - a hit object is built when a lookup finds something;
// - an evicted value is marked dead at once (lookups skip it, its bytes are released) and its index
//   entries are purged later, one shard per registration, before its slot is reused.
import { performance } from 'node:perf_hooks';
import type { Category, DigestForm, RegisterInput, Registry, RegistryHit, VariantTransform } from '../types';
import { canonicalize } from '../fingerprint/canonical';
import { FINGERPRINT_CHARS } from '../fingerprint/fingerprint';
import { createFingerprinter, type Fingerprinter } from './keyed-hash';
import { KeyFilter, BITS_PER_KEY as FILTER_BITS_PER_KEY } from './key-filter';
import { HashIndex, SHARDS, SLOT_BYTES, TYPICAL_LOAD, type HashPair } from './hash-index';
import { hashDigestBytes, hashDigestLatin1, hashString, mixInto } from './key-hash';
import { ValueStore, COLUMN_BYTES, NO_VALUE, SLOT_DEAD } from './value-store';
import { ALL_FORMS, FORM_LOWER, FORM_PLAIN, MIN_PLAIN_CHARS, formOfDigestLength, visitKeys } from './value-keys';

export interface RegistryOptions {
  key: Buffer;
  defaultPhoneRegion: string;
  ttlSeconds: number;
  maxBytes: number;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

/** Ids remembered for values fingerprinted without being registered. */
const UNINDEXED_MEMO = 256;
/** Hits kept per key when different values share it (the same `m` digest for many people). */
export const MAX_HITS_PER_KEY = 8;
/** Distinct raw spellings of one value whose variants are indexed (` Jane@X.com` and `jane@x.com`). */
const MAX_RAWS_PER_VALUE = 4;
/** Entries examined per lookup: a full key, and room for entries of evicted values not yet purged. */
const MAX_CANDIDATES = MAX_HITS_PER_KEY * 8;
/** A purge pass starts when this many index entries (or an eighth of all) belong to evicted values. */
const PURGE_MIN_ENTRIES = 4096;
/** Shards of a purge pass are at least this many ms of real time apart: one drain of the detection
 *  queue registers hundreds of values, and purging a shard of a full 64 MB registry per registration
 *  held the event loop for 50-110 ms at a time in the soak. A pass still ends within ~0.3 s. */
const PURGE_GAP_MS = 4;
/** ... unless this share of all index entries is dead: memory stays bounded under any burst. */
const PURGE_FORCE_SHARE = 0.5;

// Byte accounting for the cap, from the layout: slots at the shards' typical fill.
/** One index entry at the shards' typical fill, and its share of the plain-key filter: 12-24 bits
 *  a plain key (key-filter.ts), 18 on average, and plain keys are about a quarter of all keys. */
const KEY_BYTES = Math.ceil(SLOT_BYTES / TYPICAL_LOAD + (1.5 * FILTER_BITS_PER_KEY) / 8 / 4);
/** A value's columns and its entry in the id index. */
const VALUE_BYTES = COLUMN_BYTES + KEY_BYTES;

// Reference layout: (value slot + 1) << 4 | variant << 2 | digest. 0 is the index's empty marker.
const VARIANTS: readonly VariantTransform[] = ['plain', 'lowercase', 'normalized', 'substring'];
const VARIANT_CODE: Record<VariantTransform, number> = { plain: 0, lowercase: 1, normalized: 2, substring: 3 };
/** Digest code in a reference: 0 for plain keys, else the digest form 2..4 minus 1. */
const DIGEST_OF_CODE: readonly (DigestForm | undefined)[] = [undefined, 'sha256', 'sha1', 'md5'];
const REF_SHIFT = 4;
const MAX_VALUES = 2 ** (32 - REF_SHIFT) - 2;

const REGION = /^[A-Z]{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (key: string): boolean => key.length === 10 && key.charCodeAt(4) === 45 && ISO_DATE.test(key);

const slotOf = (ref: number): number => (ref >>> REF_SHIFT) - 1;
const digestCodeOf = (ref: number): number => ref & 3;
const variantOf = (ref: number): VariantTransform => VARIANTS[(ref >>> 2) & 3];
/** KeyForm (0 plain, 1 lower, 2..4 digests) → digest code (0, 0, 1..3). */
const digestCodeOfForm = (form: number): number => (form === FORM_PLAIN || form === FORM_LOWER ? 0 : form - 1);

class FingerprintRegistry implements Registry {
  private readonly values: ValueStore;
  /** (category, canonical) → value slot + 1. */
  private readonly ids = new HashIndex();
  /** Every key of every value → reference. */
  private readonly keys = new HashIndex();
  /** Plain keys only: answers most misses of prose lookups without probing `keys`. */
  private plainFilter = new KeyFilter();
  /** The filter's rebuild, one index shard per step: 1 counts the live plain keys, 2 adds them to
   *  `nextFilter` (which also gets every key added meanwhile); then it replaces `plainFilter`. */
  private filterPhase: 0 | 1 | 2 = 0;
  private filterShard = 0;
  private filterCount = 0;
  private nextFilter: KeyFilter | null = null;
  private lastFilterStepAt = -Infinity;
  /** A plain key of the ISO date shape was indexed (since the last clear; evictions keep it set). */
  private dateKeys = false;
  private readonly categories: Category[] = [];
  private readonly categoryNumbers = new Map<string, number>();
  private bytes = 0;
  /** Entries pointing at live values (stats().keys). */
  private liveKeys = 0;
  /** Index entries of evicted values not purged yet. */
  private deadEntries = 0;
  /** Evicted slots waiting for the next purge pass, and the batch of the pass under way. */
  private quarantine: number[] = [];
  private purging: number[] | null = null;
  private purgeShard = 0;
  private lastPurgeAt = -Infinity;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly hmac: Fingerprinter;
  /** category + canonical → id of values not in the index (bounded, FIFO). */
  private readonly unindexed = new Map<string, string>();
  private readonly hash: HashPair = { h1: 0, h2: 0 };
  private readonly found: number[] = [];
  private readonly isDeadKey = (ref: number): boolean => this.values.state[slotOf(ref)] === SLOT_DEAD;
  private readonly isDeadId = (ref: number): boolean => this.values.state[ref - 1] === SLOT_DEAD;

  constructor(private readonly opts: RegistryOptions) {
    this.ttlMs = opts.ttlSeconds * 1000;
    this.now = opts.now ?? Date.now;
    this.hmac = createFingerprinter(opts.key);
    this.values = new ValueStore(Math.ceil(opts.maxBytes / VALUE_BYTES));
  }

  fingerprint(category: Category, value: string, region?: string): { fp: string; canonical: string } | null {
    if (typeof value !== 'string') return null;
    const canonical = canonicalize(category, value, region ?? this.opts.defaultPhoneRegion);
    if (canonical === null) return null;
    // A value met before (the DB row and the scrub see the request's values again) has its id in
    // the id index: one probe instead of the two SHA-256 of the HMAC.
    const cat = this.categoryNumbers.get(category);
    if (cat !== undefined) {
      const slot = this.findValue(cat, canonical);
      if (slot !== NO_VALUE) return { fp: this.values.fpString(slot), canonical };
    }
    // Values fingerprinted but never registered repeat on every request (the client address, the
    // user agent): a few hundred recent ids spare their HMAC.
    const memoKey = category + '\u0000' + canonical;
    let fp = this.unindexed.get(memoKey);
    if (fp === undefined) {
      fp = this.hmac(canonical).toString('base64url').slice(0, FINGERPRINT_CHARS);
      if (this.unindexed.size >= UNINDEXED_MEMO) this.unindexed.delete(this.unindexed.keys().next().value!);
      this.unindexed.set(memoKey, fp);
    }
    return { fp, canonical };
  }

  register(input: RegisterInput): { fp: string; canonical: string } | null {
    if (input === null || typeof input !== 'object') return null;
    const { category, value } = input;
    const subject = typeof input.subject === 'string' ? input.subject : undefined;
    if (typeof value !== 'string' || typeof category !== 'string') return null;
    const region = typeof input.region === 'string' && REGION.test(input.region) ? input.region : this.opts.defaultPhoneRegion;
    const canonical = canonicalize(category, value, region);
    if (canonical === null) return null;
    const cat = this.categoryNumber(category);
    if (cat < 0) return null;
    const now = this.now();
    this.sweepExpired(now);
    this.purgeStep();
    this.filterStep();

    const v = this.values;
    hashString(value, this.hash);
    const spelling = this.hash.h1;
    let slot = this.findValue(cat, canonical);
    if (slot !== NO_VALUE) {
      v.touch(slot, now);
      if (subject !== undefined && subject !== v.subject(slot)) this.setSubject(slot, subject);
      if (v.spellings[slot] < MAX_RAWS_PER_VALUE && !v.hasSpelling(slot, spelling)) {
        this.indexSpelling(slot, v.addSpelling(slot, spelling), category, value, canonical, region);
      }
    } else {
      if (v.live >= MAX_VALUES) return null;
      slot = v.allocate(now);
      v.cat[slot] = cat;
      v.setFp(slot, this.hmac(canonical));
      v.setSubject(slot, subject);
      this.idHash(cat, canonical);
      this.ids.insert(this.hash.h1, this.hash.h2, slot + 1);
      this.bytes += VALUE_BYTES + v.subjectBytes(slot);
      this.indexSpelling(slot, v.addSpelling(slot, spelling), category, value, canonical, region);
    }
    const fp = v.fpString(slot);
    this.enforceCap();
    return { fp, canonical };
  }

  lookupPlain(token: string): readonly RegistryHit[] | undefined {
    if (typeof token !== 'string' || token.length < MIN_PLAIN_CHARS) return undefined;
    hashString(token, this.hash);
    return this.lookup(0);
  }

  lookupDigest(bytes: Uint8Array): readonly RegistryHit[] | undefined {
    const form = formOfDigestLength(bytes?.length);
    if (form < 0) return undefined;
    hashDigestBytes(bytes, this.hash);
    return this.lookup(digestCodeOfForm(form));
  }

  /**
   * Lookup by a key hash the caller computed (the matcher hashes token ranges in place instead of
   * slicing them): `digestBytes` 0 for a plain key hashed like `hashString` (at least
   * MIN_PLAIN_CHARS long), else a digest's byte length with its first eight bytes as the hash.
   */
  lookupHashed(h1: number, h2: number, digestBytes: number): readonly RegistryHit[] | undefined {
    let code = 0;
    if (digestBytes !== 0) {
      const form = formOfDigestLength(digestBytes);
      if (form < 0) return undefined;
      code = digestCodeOfForm(form);
    }
    this.hash.h1 = h1 >>> 0;
    this.hash.h2 = h2 >>> 0;
    return this.lookup(code);
  }

  /** Whether anything is registered (a matcher with nothing to find can skip decoding). */
  isEmpty(): boolean {
    return this.values.live === 0;
  }

  mayHaveDates(): boolean {
    return this.dateKeys;
  }

  stats(): { values: number; keys: number; bytes: number } {
    return { values: this.values.live, keys: this.liveKeys, bytes: this.bytes };
  }

  clear(): void {
    this.values.clear();
    this.unindexed.clear();
    this.ids.clear();
    this.keys.clear();
    this.plainFilter.reset(0);
    this.filterPhase = 0;
    this.nextFilter = null;
    this.dateKeys = false;
    this.bytes = 0;
    this.liveKeys = 0;
    this.deadEntries = 0;
    this.quarantine = [];
    this.purging = null;
    this.purgeShard = 0;
  }

  /** Memory actually allocated (index and column capacity), for benchmarks. */
  allocatedBytes(): number {
    return this.keys.capacityBytes() + this.ids.capacityBytes() + this.values.capacityBytes() + this.plainFilter.bytes;
  }

  /** Bytes of value columns reserved but never used (address space, not memory), for benchmarks. */
  reservedUnusedBytes(): number {
    return this.values.capacityBytes() - this.values.usedBytes();
  }

  // ----------------------------------------------------------------------------------------------

  /** Live entries under the hash in `this.hash` with this digest code (0 = plain). */
  private lookup(digestCode: number): readonly RegistryHit[] | undefined {
    if (digestCode === 0 && !this.plainFilter.mayHave(this.hash.h1, this.hash.h2)) return undefined;
    const n = this.keys.find(this.hash.h1, this.hash.h2, this.found, MAX_CANDIDATES);
    if (n === 0) return undefined;
    const v = this.values;
    let hits: RegistryHit[] | undefined;
    let expired: number[] | undefined;
    let oldest = -Infinity;
    for (let k = 0; k < n; k++) {
      const ref = this.found[k];
      if (digestCodeOf(ref) !== digestCode) continue;
      const slot = slotOf(ref);
      if (!v.isLive(slot)) continue;
      if (oldest === -Infinity) oldest = this.now() - this.ttlMs;
      if (v.touched[slot] < oldest) {
        (expired ??= []).push(slot);
        continue;
      }
      const hit: RegistryHit = { fp: v.fpString(slot), category: this.categories[v.cat[slot]], variant: variantOf(ref) };
      const subject = v.subject(slot);
      if (subject !== undefined) hit.subject = subject;
      if (digestCode !== 0) hit.digest = DIGEST_OF_CODE[digestCode];
      (hits ??= []).push(hit);
    }
    // Lazy TTL: a lookup that meets an expired value evicts it.
    if (expired) for (const slot of expired) if (v.isLive(slot)) this.evict(slot);
    return hits;
  }

  private categoryNumber(category: string): number {
    let n = this.categoryNumbers.get(category);
    if (n === undefined) {
      // Categories are kept in a 16-bit column; only custom config categories add to them.
      if (this.categories.length >= 0xffff) return -1;
      n = this.categories.length;
      this.categories.push(category);
      this.categoryNumbers.set(category, n);
    }
    return n;
  }

  private idHash(cat: number, canonical: string): void {
    hashString(canonical, this.hash);
    mixInto(this.hash, cat);
  }

  private findValue(cat: number, canonical: string): number {
    this.idHash(cat, canonical);
    const n = this.ids.find(this.hash.h1, this.hash.h2, this.found, MAX_CANDIDATES);
    for (let k = 0; k < n; k++) {
      const slot = this.found[k] - 1;
      if (this.values.isLive(slot)) return slot;
    }
    return NO_VALUE;
  }

  /** Indexes the keys of one spelling; keys an earlier spelling of the value produced are skipped. */
  private indexSpelling(slot: number, spelling: number, category: Category, raw: string, canonical: string, region: string): void {
    const seenPlain = new Set<string>();
    const seenDigest = new Set<string>();
    visitKeys(category, raw, canonical, region, ALL_FORMS, (form, key, variant) => {
      const plain = form === FORM_PLAIN || form === FORM_LOWER;
      const seen = plain ? seenPlain : seenDigest;
      if (seen.has(key)) return;
      seen.add(key);
      if (plain) {
        hashString(key, this.hash);
        if (!this.dateKeys && isIsoDate(key)) this.dateKeys = true;
      } else hashDigestLatin1(key, this.hash);
      this.addKey(slot, spelling > 0, ((slot + 1) << REF_SHIFT | VARIANT_CODE[variant] << 2 | digestCodeOfForm(form)) >>> 0);
    });
  }

  /** Adds the entry for the key hashed in `this.hash`; the oldest value gives way under a full key. */
  private addKey(slot: number, laterSpelling: boolean, ref: number): void {
    const { h1, h2 } = this.hash;
    const v = this.values;
    const n = this.keys.find(h1, h2, this.found, MAX_CANDIDATES);
    let live = 0;
    let oldest = 0;
    let dead: number[] | undefined;
    for (let k = 0; k < n; k++) {
      const other = slotOf(this.found[k]);
      // An earlier spelling of this value already produced the key.
      if (laterSpelling && other === slot) return;
      if (!v.isLive(other)) {
        (dead ??= []).push(this.found[k]);
        continue;
      }
      if (live++ === 0) oldest = this.found[k];
    }
    // Entries of evicted values under a shared key go now, so they never crowd out live ones.
    if (dead) for (const ref of dead) if (this.keys.remove(h1, h2, ref)) this.deadEntries--;
    if (live >= MAX_HITS_PER_KEY && this.keys.remove(h1, h2, oldest)) {
      v.keys[slotOf(oldest)]--;
      this.liveKeys--;
      this.bytes -= KEY_BYTES;
    }
    this.keys.insert(h1, h2, ref);
    v.keys[slot]++;
    this.liveKeys++;
    this.bytes += KEY_BYTES;
    if (digestCodeOf(ref) === 0) {
      this.plainFilter.add(h1, h2);
      this.nextFilter?.add(h1, h2);
      if (this.filterPhase === 0 && this.plainFilter.needsRebuild) {
        this.filterPhase = 1;
        this.filterShard = 0;
        this.filterCount = 0;
      }
    }
  }

  /**
   * One shard of the plain-key filter's rebuild (sized for the live plain keys, without the bits of
   * evicted values). In steps like the purge: rebuilding a full registry's filter in one go held
   * the thread for ~200 ms. The current filter answers until the new one is complete; it only
   * gains bits meanwhile, so no key is missed.
   */
  private filterStep(): void {
    if (this.filterPhase === 0) return;
    const t = performance.now();
    // Spaced like purge steps, unless the filter has grown far past its design load.
    if (t - this.lastFilterStepAt < PURGE_GAP_MS && !this.plainFilter.overloaded) return;
    this.lastFilterStepAt = t;
    const v = this.values;
    if (this.filterPhase === 1) {
      this.keys.forEachInShard(this.filterShard, (_h1, _h2, ref) => {
        if (digestCodeOf(ref) === 0 && v.isLive(slotOf(ref))) this.filterCount++;
      });
      if (++this.filterShard < SHARDS) return;
      try {
        this.nextFilter = new KeyFilter(this.filterCount);
      } catch {
        // no memory for it: the current filter stays (it never misses a key, it only passes more)
        this.filterPhase = 0;
        return;
      }
      this.filterPhase = 2;
      this.filterShard = 0;
      return;
    }
    const next = this.nextFilter!;
    this.keys.forEachInShard(this.filterShard, (h1, h2, ref) => {
      if (digestCodeOf(ref) === 0 && v.isLive(slotOf(ref))) next.add(h1, h2);
    });
    if (++this.filterShard < SHARDS) return;
    this.plainFilter = next;
    this.nextFilter = null;
    this.filterPhase = 0;
  }

  private setSubject(slot: number, subject: string): void {
    const v = this.values;
    const before = v.subjectBytes(slot);
    v.setSubject(slot, subject);
    this.bytes += v.subjectBytes(slot) - before;
  }

  private sweepExpired(now: number): void {
    const oldest = now - this.ttlMs;
    // The LRU list is in touch order, so expired values are all at its head.
    while (this.values.head !== NO_VALUE && this.values.touched[this.values.head] < oldest) this.evict(this.values.head);
  }

  private enforceCap(): void {
    while (this.bytes > this.opts.maxBytes && this.values.head !== NO_VALUE) this.evict(this.values.head);
  }

  private evict(slot: number): void {
    const v = this.values;
    const keys = v.keys[slot];
    this.bytes -= VALUE_BYTES + keys * KEY_BYTES + v.subjectBytes(slot);
    this.liveKeys -= keys;
    this.deadEntries += keys + 1;
    v.kill(slot);
    this.quarantine.push(slot);
  }

  /** One shard of a purge pass: drops index entries of evicted values; at the end of the pass their
   *  slots become reusable (no entry can point at them any more). */
  private purgeStep(): void {
    const entries = this.keys.size + this.ids.size;
    const t = performance.now();
    if (t - this.lastPurgeAt < PURGE_GAP_MS && this.deadEntries < entries * PURGE_FORCE_SHARE) return;
    if (this.purging === null) {
      if (this.quarantine.length === 0 || this.deadEntries < Math.max(PURGE_MIN_ENTRIES, entries / 8)) return;
      this.purging = this.quarantine;
      this.quarantine = [];
      this.purgeShard = 0;
    }
    this.lastPurgeAt = t;
    this.deadEntries -= this.keys.purgeShard(this.purgeShard, this.isDeadKey) + this.ids.purgeShard(this.purgeShard, this.isDeadId);
    if (++this.purgeShard < SHARDS) return;
    for (const slot of this.purging) this.values.release(slot);
    this.purging = null;
  }
}

export function createRegistry(opts: RegistryOptions): Registry {
  return new FingerprintRegistry(opts);
}
