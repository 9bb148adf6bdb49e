// Spike (bench/spikes/fused-scan/README.md): word runs found per byte (class table), hashed 4 bytes
// per multiply (an alnum byte | 0x20 is its lowercase); pair and phrase keys combined from the
// finished word hashes instead of re-walking their chars; every key probed in the filter.
// `combined` = false: word keys only (what gating pairs and phrases on a first-word filter leaves
// for prose that mentions nobody).
let probes: u32 = 0;
let passes: u32 = 0;
@inline function av(x: u32, m1: u32, m2: u32): u32 { x ^= x >> 16; x *= m1; x ^= x >> 13; x *= m2; x ^= x >> 16; return x; }
@inline function probe(h1: u32, h2: u32, filter: usize, scale: f64): void {
  const w = load<u32>(filter + (<usize>(<u32>(<f64>h2 * scale)) << 2));
  const bits: u32 = (1 << (h1 & 31)) | (1 << ((h1 >> 5) & 31));
  probes++;
  if ((w & bits) == bits) passes++;
}
// class table at `cls`: 1 = alnum, 2 = space, 0 = other; 4 = capital or digit (phrase start)
export function scan(text: usize, n: u32, filter: usize, words: u32, cls: usize, ring: usize, combined: bool): u32 {
  probes = 0; passes = 0;
  const scale: f64 = <f64>words / 4294967296.0;
  let i: u32 = 0; let p1: u32 = 0, p2: u32 = 0; let havePrev = false; let r: u32 = 0;
  while (i < n) {
    let k = load<u8>(cls + load<u8>(text + i));
    while ((k & 1) == 0) { if ((k & 2) == 0) havePrev = false; i++; if (i >= n) return passes; k = load<u8>(cls + load<u8>(text + i)); }
    const s = i; const cap = (k & 4) != 0;
    while (i < n && (load<u8>(cls + load<u8>(text + i)) & 1) != 0) i++;
    const len = i - s;
    let a: u32 = 0x811c9dc5, b: u32 = 0x6a09e667;
    let q = s;
    for (; q + 4 <= i; q += 4) { const w = load<u32>(text + q) | 0x20202020; a = (a ^ w) * 0x01000193; a = rotl<u32>(a, 13); b = (b ^ w) * 0x5bd1e995; b ^= b >> 15; }
    if (q < i) { const sh = (4 - (i - q)) << 3; const w = ((load<u32>(text + q) << sh) >> sh) | (0x20202020 >> sh); a = (a ^ w) * 0x01000193; a = rotl<u32>(a, 13); b = (b ^ w) * 0x5bd1e995; b ^= b >> 15; }
    a ^= len; b ^= len * 0x9e3779b1;
    const h1 = av(a, 0x85ebca6b, 0xc2b2ae35), h2 = av(b ^ a, 0x7feb352d, 0x846ca68b);
    if (len >= 2) probe(h1, h2, filter, scale);
    if (combined && havePrev) probe(av(p1 ^ (h1 * 0x9e3779b1), 0x85ebca6b, 0xc2b2ae35), p2 ^ h2, filter, scale);
    const slot = (r & 7) * 12; store<u32>(ring + slot, h1); store<u32>(ring + slot + 4, h2); store<u32>(ring + slot + 8, cap ? 1 : 0); r++;
    for (let back: u32 = 2; combined && back < 6 && back < r; back++) {
      const st = ((r - 1 - back) & 7) * 12; if (load<u32>(ring + st + 8) == 0) continue;
      let f1 = load<u32>(ring + st), f2 = load<u32>(ring + st + 4);
      for (let kk: i32 = <i32>back - 1; kk >= 0; kk--) { const qq = ((r - 1 - <u32>kk) & 7) * 12; f1 = av(f1 ^ (load<u32>(ring + qq) * 0x9e3779b1), 0x85ebca6b, 0xc2b2ae35); f2 ^= load<u32>(ring + qq + 4); }
      probe(f1, f2, filter, scale);
    }
    p1 = h1; p2 = h2; havePrev = true;
  }
  return passes;
}
export function probeCount(): u32 { return probes; }
