// A small bit set in front of the plain-key index: "is this key possibly registered?" answered
// from one 32-bit word. Prose is where the matcher spends its lookups (every word, every pair of
// words of a prompt), and almost none of them are registered: the hash index answers those misses
// with a probe into tens of MB of slots (a cache miss each), the filter from a few hundred KB that
// stay in cache. A filter miss is exact (no false negatives); a filter hit goes on to the index.
//
// Blocked, two bits per key inside one word, sized at 12 bits a key: ≈ 3 % of absent keys pass
// (≈ 9 % by the time a rebuild is due). About 0.75-1.5 bytes a plain key, a quarter of all keys:
// the registry counts it in its per-key bytes (KEY_BYTES).
// Bits cannot be cleared, so evicted values leave stale bits behind (more false passes, never a
// missed key); the owner rebuilds it from the index once the keys added since the last build reach
// twice what it was sized for, which both grows it and drops stale bits.

const MIN_WORDS = 256;
/** Design load: bits per key at (re)build time. */
export const BITS_PER_KEY = 12;
const TWO_POW_32 = 4294967296;

export class KeyFilter {
  private words: Uint32Array;
  /** words / 2^32: maps h2 onto a word by its top bits (any number of words). */
  private scale: number;
  /** Keys added since the last build (live and since-evicted alike). */
  private added = 0;

  constructor(keys = 0) {
    this.words = new Uint32Array(wordsFor(keys));
    this.scale = this.words.length / TWO_POW_32;
  }

  /** Bytes of the bit set. */
  get bytes(): number {
    return this.words.byteLength;
  }

  add(h1: number, h2: number): void {
    this.words[Math.floor(h2 * this.scale)] |= (1 << (h1 & 31)) | (1 << ((h1 >>> 5) & 31));
    this.added++;
  }

  mayHave(h1: number, h2: number): boolean {
    const bits = (1 << (h1 & 31)) | (1 << ((h1 >>> 5) & 31));
    return (this.words[Math.floor(h2 * this.scale)] & bits) === bits;
  }

  /** Whether enough keys were added since the last build that it should be rebuilt. */
  get needsRebuild(): boolean {
    return this.added * BITS_PER_KEY > this.words.length * 32 * 2;
  }

  /** Four times its design load (≈ 25 % false passes): a rebuild under way should not wait. */
  get overloaded(): boolean {
    return this.added * BITS_PER_KEY > this.words.length * 32 * 4;
  }

  /** Empties it, sized for `keys` keys; the caller adds them again. */
  reset(keys: number): void {
    const n = wordsFor(keys);
    if (n === this.words.length) this.words.fill(0);
    else this.words = new Uint32Array(n);
    this.scale = n / TWO_POW_32;
    this.added = 0;
  }
}

/** 32-bit words holding BITS_PER_KEY bits for each of `keys`. */
function wordsFor(keys: number): number {
  return Math.max(MIN_WORDS, Math.min(2 ** 26, Math.ceil((keys * BITS_PER_KEY) / 32)));
}
