// Open-addressing multimap from a 64-bit hash to 32-bit references, held in typed arrays: 12 bytes
// a slot and no per-entry object, which is what lets the registry keep ~30 keys per subject for
// 100k subjects in tens of MB. The keys themselves are not kept: two keys are the same key when
// their 64-bit hashes are equal (for n keys in a shard, a lookup of an absent key finds a false
// entry with probability ≈ n / 2^64, about 1e-14 at 100k subjects).
//
// Robin Hood order (entries sorted by home slot, ties in insertion order) lets a miss stop as soon
// as it meets an entry whose home lies past its own, so shards can run up to 92 % full and still
// miss in a few probes. Sharded on the top bits of the second hash word: a shard grows (rehashes)
// alone, so growth pauses stay short with millions of keys. Entries of one hash stay in insertion
// order (callers rely on it: the oldest hit of a full key gives way).

const SHARD_BITS = 6;
export const SHARDS = 1 << SHARD_BITS;
const MIN_SLOTS = 16;
const MAX_LOAD = 0.92;
const GROWTH = 1.2;
const TWO_POW_32 = 4294967296;
/** Bytes of one slot: both hash words and the reference. */
export const SLOT_BYTES = 12;
/** Average fill of the shards (between MAX_LOAD / GROWTH and MAX_LOAD). */
export const TYPICAL_LOAD = 0.84;

/** A 64-bit hash as two unsigned 32-bit words, written in place to avoid allocation. */
export interface HashPair {
  h1: number;
  h2: number;
}

// One slot is three consecutive words (first hash word, second hash word, reference) of one
// Uint32Array: a probe reads one cache line instead of one in each of three arrays. At 100k subjects
// the index is tens of MB, far beyond the caches, so most probes of an insert or a digest lookup
// miss the cache (bench/registry-compare.cjs: digest hits 9-18 % faster than with three arrays).
const H1 = 0;
const H2 = 1;
const REF = 2;
const WORDS = 3;

interface Shard {
  /** [h1, h2, ref] per slot. h1 places the entry (its top bits pick the home slot), h2 tells apart
   *  entries with the same h1; ref 0 = empty slot (callers never store 0). */
  slots: Uint32Array;
  size: number;
  count: number;
  /** size / 2^32: maps h1 onto [0, size) by its top bits (sizes need not be powers of two). */
  scale: number;
}

function newShard(size: number): Shard {
  return { slots: new Uint32Array(size * WORDS), size, count: 0, scale: size / TWO_POW_32 };
}

const shardOf = (h2: number): number => h2 >>> (32 - SHARD_BITS);

export class HashIndex {
  private shards: Shard[] = [];
  private entries = 0;

  constructor() {
    this.clear();
  }

  get size(): number {
    return this.entries;
  }

  /** Bytes of the slot arrays (allocated capacity, not just the used slots). */
  capacityBytes(): number {
    let n = 0;
    for (const s of this.shards) n += s.size * SLOT_BYTES;
    return n;
  }

  clear(): void {
    this.shards = [];
    for (let i = 0; i < SHARDS; i++) this.shards.push(newShard(MIN_SLOTS));
    this.entries = 0;
  }

  /** Appends `ref` (non-zero) under the hash; entries of one hash stay in insertion order. */
  insert(h1: number, h2: number, ref: number): void {
    const index = shardOf(h2);
    let s = this.shards[index];
    if (s.count + 1 > s.size * MAX_LOAD) s = this.grow(index);
    place(s, h1, h2, ref);
    s.count++;
    this.entries++;
  }

  /** References stored under the hash, in insertion order, into `out` (at most `max`); returns the count. */
  find(h1: number, h2: number, out: number[], max: number): number {
    const { slots, size, scale } = this.shards[shardOf(h2)];
    let i = Math.floor(h1 * scale);
    let w = i * WORDS;
    let n = 0;
    for (let dist = 0; dist < size; dist++) {
      const r = slots[w + REF];
      if (r === 0) break;
      const h = slots[w + H1];
      if (h === h1) {
        if (slots[w + H2] === h2) {
          if (n === max) break;
          out[n++] = r;
        }
      } else if (displacement(i, h, scale, size) < dist) {
        break; // entries from here on belong to later home slots
      }
      if (++i === size) { i = 0; w = 0; } else w += WORDS;
    }
    return n;
  }

  /** Calls `visit` with every entry of shard `index` (0 .. SHARDS - 1). */
  forEachInShard(index: number, visit: (h1: number, h2: number, ref: number) => void): void {
    const { slots, size } = this.shards[index];
    for (let w = 0; w < size * WORDS; w += WORDS) {
      const r = slots[w + REF];
      if (r !== 0) visit(slots[w + H1], slots[w + H2], r);
    }
  }

  /** Removes the first entry under the hash whose reference is `ref`. */
  remove(h1: number, h2: number, ref: number): boolean {
    const s = this.shards[shardOf(h2)];
    const { slots, size, scale } = s;
    let i = Math.floor(h1 * scale);
    for (let dist = 0; dist < size; dist++) {
      const w = i * WORDS;
      const r = slots[w + REF];
      if (r === 0) return false;
      const h = slots[w + H1];
      if (h === h1) {
        if (r === ref && slots[w + H2] === h2) {
          this.deleteAt(s, i);
          return true;
        }
      } else if (displacement(i, h, scale, size) < dist) {
        return false;
      }
      if (++i === size) i = 0;
    }
    return false;
  }

  /** Deletes every entry of shard `index` whose reference `dead` accepts; returns how many. */
  purgeShard(index: number, dead: (ref: number) => boolean): number {
    const s = this.shards[index];
    let removed = 0;
    // Deletion only moves entries backwards, so re-checking slot i after a delete visits them all.
    for (let i = 0; i < s.size;) {
      const r = s.slots[i * WORDS + REF];
      if (r !== 0 && dead(r)) {
        this.deleteAt(s, i);
        removed++;
      } else {
        i++;
      }
    }
    return removed;
  }

  /** Backward-shift deletion: the entries after the hole that are not at home move back one slot. */
  private deleteAt(s: Shard, slot: number): void {
    const { slots, size, scale } = s;
    let hole = slot;
    for (let k = 0; k < size; k++) {
      const j = hole + 1 === size ? 0 : hole + 1;
      const wj = j * WORDS;
      const r = slots[wj + REF];
      if (r === 0 || displacement(j, slots[wj + H1], scale, size) === 0) break;
      const wh = hole * WORDS;
      slots[wh + H1] = slots[wj + H1];
      slots[wh + H2] = slots[wj + H2];
      slots[wh + REF] = r;
      hole = j;
    }
    const wh = hole * WORDS;
    slots[wh + H1] = 0;
    slots[wh + H2] = 0;
    slots[wh + REF] = 0;
    s.count--;
    this.entries--;
  }

  private grow(index: number): Shard {
    const old = this.shards[index];
    const next = newShard(Math.max(Math.ceil(old.size * GROWTH), old.size + 1));
    const o = old.slots;
    // Start right after an empty slot so a run that wraps around the end is re-inserted in order.
    let start = 0;
    while (o[start * WORDS + REF] !== 0) start++;
    for (let k = 1; k <= old.size; k++) {
      const w = ((start + k) % old.size) * WORDS;
      const r = o[w + REF];
      if (r !== 0) place(next, o[w + H1], o[w + H2], r);
    }
    next.count = old.count;
    this.shards[index] = next;
    return next;
  }
}

function displacement(slot: number, h: number, scale: number, size: number): number {
  const d = slot - Math.floor(h * scale);
  return d < 0 ? d + size : d;
}

/** Inserts after every entry whose home is at or before this one's, shifting the rest of the run. */
function place(s: Shard, h1: number, h2: number, ref: number): void {
  const { slots, size, scale } = s;
  let i = Math.floor(h1 * scale);
  for (let dist = 0; dist < size; dist++) {
    const w = i * WORDS;
    if (slots[w + REF] === 0) break;
    if (displacement(i, slots[w + H1], scale, size) < dist) break;
    if (++i === size) i = 0;
  }
  // Shift [i, next empty) one slot on, back to front, then write at i (runs are a few slots: a
  // loop, not copyWithin, whose call costs more than the copy).
  let e = i;
  while (slots[e * WORDS + REF] !== 0) if (++e === size) e = 0;
  while (e !== i) {
    const p = e === 0 ? size - 1 : e - 1;
    const we = e * WORDS;
    const wp = p * WORDS;
    slots[we + H1] = slots[wp + H1];
    slots[we + H2] = slots[wp + H2];
    slots[we + REF] = slots[wp + REF];
    e = p;
  }
  const w = i * WORDS;
  slots[w + H1] = h1;
  slots[w + H2] = h2;
  slots[w + REF] = ref;
}
