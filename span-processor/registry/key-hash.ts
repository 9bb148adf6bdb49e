// 64-bit hashes of registry keys, as two 32-bit words. Plain keys are hashed over their UTF-16 code
// units in two independent multiplicative lanes, the length entering last so a token can be hashed
// while it is walked; digests are already uniform, so their first eight bytes are used as they are
// (a lookup then costs no hashing at all).
import type { HashPair } from './hash-index';

function avalanche(x: number, m1: number, m2: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, m1);
  x ^= x >>> 13;
  x = Math.imul(x, m2);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash lane seeds; the length is mixed in at the end so a caller can hash a token while it walks
 *  it (the matcher hashes ranges of a payload, lowercased or with punctuation dropped, in place). */
export const SEED_A = 0x811c9dc5;
export const SEED_B = 0x6a09e667;

/** One code unit into lane a. */
export function stepA(a: number, c: number): number {
  return Math.imul(a ^ c, 0x01000193);
}

/** One code unit into lane b. */
export function stepB(b: number, c: number): number {
  b = Math.imul(b ^ c, 0x5bd1e995);
  return b ^ (b >>> 15);
}

/** The hash of `n` code units whose lanes ended at `a` and `b`, into `out`. */
export function finishHash(a: number, b: number, n: number, out: HashPair): void {
  a ^= n;
  b ^= Math.imul(n, 0x9e3779b1);
  out.h1 = avalanche(a, 0x85ebca6b, 0xc2b2ae35);
  out.h2 = avalanche(b ^ a, 0x7feb352d, 0x846ca68b);
}

/** Hash of a string's code units into `out` (the same as stepping through it and finishing). */
export function hashString(s: string, out: HashPair): void {
  const n = s.length;
  let a = SEED_A;
  let b = SEED_B;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  finishHash(a, b, n, out);
}

/** Mixes a small integer (a category number) into a hash already in `out`. */
export function mixInto(out: HashPair, n: number): void {
  out.h1 = avalanche(out.h1 ^ Math.imul(n + 1, 0x9e3779b1), 0x85ebca6b, 0xc2b2ae35);
}

/** Hash of digest bytes (≥ 8 of them): the bytes themselves. */
export function hashDigestBytes(bytes: Uint8Array, out: HashPair): void {
  out.h1 = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  out.h2 = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0;
}

/** The same hash for a digest held as a latin1 string (one char per byte). */
export function hashDigestLatin1(s: string, out: HashPair): void {
  out.h1 = (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
  out.h2 = (s.charCodeAt(4) | (s.charCodeAt(5) << 8) | (s.charCodeAt(6) << 16) | (s.charCodeAt(7) << 24)) >>> 0;
}
