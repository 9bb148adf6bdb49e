// Spike (bench/spikes/fused-scan/README.md) with the key scheme of match/scan.ts: one fused walk
// over ASCII text in linear memory. Whitespace tokens (edge punctuation trimmed) hashed as written,
// word runs lowercased, adjacent word pairs, phrases of 3..6 tokens from a capital or digit start,
// each hashed one char per multiply; every key probed in a blocked bit filter (2 bits in one u32).
// run.cjs holds the same kernel in JS.
const SEED_A: u32 = 0x811c9dc5;
const SEED_B: u32 = 0x6a09e667;

let probes: u32 = 0;
let passes: u32 = 0;

@inline function avalanche(x: u32, m1: u32, m2: u32): u32 {
  x ^= x >> 16; x *= m1; x ^= x >> 13; x *= m2; x ^= x >> 16; return x;
}
@inline function probe(a: u32, b: u32, n: u32, filter: usize, words: u32, scale: f64): void {
  a ^= n; b ^= n * 0x9e3779b1;
  const h1 = avalanche(a, 0x85ebca6b, 0xc2b2ae35);
  const h2 = avalanche(b ^ a, 0x7feb352d, 0x846ca68b);
  const w = load<u32>(filter + (<usize>(<u32>(<f64>h2 * scale)) << 2));
  const bits: u32 = (1 << (h1 & 31)) | (1 << ((h1 >> 5) & 31));
  probes++;
  if ((w & bits) == bits) passes++;
}
@inline function isSpace(c: u32): bool { return c == 32 || (c >= 9 && c <= 13); }
@inline function isAlnum(c: u32): bool { return (c - 48 < 10) || ((c | 32) - 97 < 26); }

export function scan(text: usize, n: u32, filter: usize, words: u32): u32 {
  probes = 0; passes = 0;
  const scale: f64 = <f64>words / 4294967296.0;
  // token spans for phrases
  let i: u32 = 0;
  let prevA: u32 = SEED_A, prevB: u32 = SEED_B, prevEnd: i32 = -1;
  while (i < n) {
    while (i < n && isSpace(load<u8>(text + i))) i++;
    let s = i;
    while (i < n && !isSpace(load<u8>(text + i))) i++;
    let e = i;
    while (s < e && !isAlnum(load<u8>(text + s))) s++;
    while (e > s && !isAlnum(load<u8>(text + e - 1))) e--;
    if (e - s >= 2) {
      let a = SEED_A, b = SEED_B;
      for (let k = s; k < e; k++) { const c = <u32>load<u8>(text + k); a = (a ^ c) * 0x01000193; b = (b ^ c) * 0x5bd1e995; b ^= b >> 15; }
      probe(a, b, e - s, filter, words, scale);
    }
    // word runs in the token, lowercased, with pairs
    let k = s;
    while (k < e) {
      while (k < e && !isAlnum(load<u8>(text + k))) k++;
      if (k >= e) break;
      const ws = k;
      let a = SEED_A, b = SEED_B;
      let pa = (prevA ^ 32) * 0x01000193; let pb = (prevB ^ 32) * 0x5bd1e995; pb ^= pb >> 15;
      while (k < e && isAlnum(load<u8>(text + k))) {
        let c = <u32>load<u8>(text + k); if (c - 65 < 26) c += 32;
        a = (a ^ c) * 0x01000193; b = (b ^ c) * 0x5bd1e995; b ^= b >> 15;
        pa = (pa ^ c) * 0x01000193; pb = (pb ^ c) * 0x5bd1e995; pb ^= pb >> 15;
        k++;
      }
      const len = k - ws;
      if (len >= 2 && !(ws == s && k == e)) probe(a, b, len, filter, words, scale);
      if (prevEnd >= 0) probe(pa, pb, len + 1 + 5, filter, words, scale);
      prevA = a; prevB = b; prevEnd = <i32>k;
    }
    // phrase from a capitalized/digit start: continue over up to 6 tokens (<=100 chars)
    if (e > s) {
      const c0 = <u32>load<u8>(text + s);
      if (c0 - 48 < 10 || c0 - 65 < 26) {
        let a = SEED_A, b = SEED_B, len: u32 = 0, pos = s, toks = 0, inSpace = false;
        while (pos < n && pos - s < 100 && toks < 6) {
          let c = <u32>load<u8>(text + pos);
          if (isSpace(c)) { if (!inSpace) { inSpace = true; toks++; if (toks >= 3) probe(a, b, len, filter, words, scale); c = 32; a = (a ^ c) * 0x01000193; b = (b ^ c) * 0x5bd1e995; b ^= b >> 15; len++; } }
          else { inSpace = false; if (c - 65 < 26) c += 32; a = (a ^ c) * 0x01000193; b = (b ^ c) * 0x5bd1e995; b ^= b >> 15; len++; }
          pos++;
        }
      }
    }
  }
  return passes;
}
export function probeCount(): u32 { return probes; }
