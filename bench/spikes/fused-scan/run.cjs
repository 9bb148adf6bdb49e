'use strict';
// Spike for issue 8's matcher target (250 MB/s per core): what a fused single-walk scanner of prose
// costs in JS and in WebAssembly, and with which key scheme. Not the product's matcher: it covers
// only the prose keys of match/scan.ts (tokens, word runs, pairs, phrases), ASCII only, and counts
// filter probes instead of reporting hits. See README.md here.
//   npx tsc -p bench/tsconfig.json && node bench/spikes/fused-scan/run.cjs
// Builds the two AssemblyScript kernels with `npx assemblyscript` (from the npm registry, into a
// temporary folder) on first use.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const AS_VERSION = '0.28.20';
const OUT = path.join(os.tmpdir(), `sst-fused-scan-${AS_VERSION}`);

function wasm(name) {
  const file = path.join(OUT, `${name}.wasm`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(OUT, { recursive: true });
    execFileSync('npx', ['--yes', '-p', `assemblyscript@${AS_VERSION}`, 'asc', path.join(__dirname, `${name}.as.ts`),
      '-O3', '--noAssert', '--runtime', 'stub', '-o', file], { stdio: 'inherit' });
  }
  return new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), { env: { abort() {} } }).exports;
}

// The micro benchmark's 64 KB prompt (bench/micro.ts, bench/prose.ts): prose with a person mentioned
// every 400 words. From the bench build (`npx tsc -p bench/tsconfig.json`, or `npm run bench:micro`).
const PROSE = path.join(__dirname, '..', '..', '..', 'dist', 'bench', 'prose.js');
if (!fs.existsSync(PROSE)) throw new Error(`${PROSE} is missing: build the benchmarks first (npx tsc -p bench/tsconfig.json)`);
const { prose } = require(PROSE);
const TEXT = prose(64 * 1024, 7, 'Hi, I am Jane Doe from 100 Market St, San Francisco.');

// Linear memory layout shared by the kernels: filter (1 MiB), class table, phrase ring, text.
const FILTER_WORDS = 262144;
const FILTER_AT = 1 << 20;
const CLASS_AT = 3 << 20;
const RING_AT = CLASS_AT + 1024;
const TEXT_AT = 4 << 20;
const KEYS = 60000; // a registry of ~10k people: as many filter entries, about

function prepare(ex) {
  const memory = ex.memory;
  if (memory.buffer.byteLength < 8 << 20) memory.grow(((8 << 20) - memory.buffer.byteLength) >> 16);
  const u8 = new Uint8Array(memory.buffer);
  fillFilter(new Uint32Array(memory.buffer, FILTER_AT, FILTER_WORDS));
  for (let c = 0; c < 256; c++) {
    const digit = c >= 48 && c <= 57;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    u8[CLASS_AT + c] = (digit || upper || lower ? 1 : 0) | (c === 32 || (c >= 9 && c <= 13) ? 2 : 0) | (digit || upper ? 4 : 0);
  }
  return u8;
}

function fillFilter(words) {
  let x = 1;
  for (let i = 0; i < KEYS; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const y = Math.imul(x, 2654435761) >>> 0;
    words[y % FILTER_WORDS] |= (1 << (x & 31)) | (1 << ((x >>> 5) & 31));
  }
}

// ---- the per-char kernel in JS (the twin of per-char.as.ts), over a string as match/scan.ts reads it
const FILTER_JS = new Uint32Array(FILTER_WORDS);
fillFilter(FILTER_JS);
const SCALE = FILTER_WORDS / 4294967296;
const SEED_A = 0x811c9dc5;
const SEED_B = 0x6a09e667;
let probes = 0;
let passes = 0;
function avalanche(x, m1, m2) { x ^= x >>> 16; x = Math.imul(x, m1); x ^= x >>> 13; x = Math.imul(x, m2); x ^= x >>> 16; return x >>> 0; }
function probe(a, b, n) {
  a ^= n;
  b ^= Math.imul(n, 0x9e3779b1);
  const h1 = avalanche(a, 0x85ebca6b, 0xc2b2ae35);
  const h2 = avalanche(b ^ a, 0x7feb352d, 0x846ca68b);
  const bits = (1 << (h1 & 31)) | (1 << ((h1 >>> 5) & 31));
  probes++;
  if ((FILTER_JS[Math.floor(h2 * SCALE)] & bits) === bits) passes++;
}
const isSpace = (c) => c === 32 || (c >= 9 && c <= 13);
const isAlnum = (c) => (c - 48 >>> 0) < 10 || (((c | 32) - 97) >>> 0) < 26;
function stepA(a, c) { return Math.imul(a ^ c, 0x01000193); }
function stepB(b, c) { b = Math.imul(b ^ c, 0x5bd1e995); return b ^ (b >>> 15); }

function perCharJs(t) {
  probes = 0;
  passes = 0;
  const n = t.length;
  let i = 0;
  let prevA = SEED_A;
  let prevB = SEED_B;
  let prevEnd = -1;
  while (i < n) {
    while (i < n && isSpace(t.charCodeAt(i))) i++;
    let s = i;
    while (i < n && !isSpace(t.charCodeAt(i))) i++;
    let e = i;
    while (s < e && !isAlnum(t.charCodeAt(s))) s++;
    while (e > s && !isAlnum(t.charCodeAt(e - 1))) e--;
    if (e - s >= 2) {
      let a = SEED_A;
      let b = SEED_B;
      for (let k = s; k < e; k++) { const c = t.charCodeAt(k); a = stepA(a, c); b = stepB(b, c); }
      probe(a, b, e - s);
    }
    let k = s;
    while (k < e) {
      while (k < e && !isAlnum(t.charCodeAt(k))) k++;
      if (k >= e) break;
      const ws = k;
      let a = SEED_A;
      let b = SEED_B;
      let pa = stepA(prevA, 32);
      let pb = stepB(prevB, 32);
      while (k < e && isAlnum(t.charCodeAt(k))) {
        let c = t.charCodeAt(k);
        if (c >= 65 && c <= 90) c += 32;
        a = stepA(a, c); b = stepB(b, c); pa = stepA(pa, c); pb = stepB(pb, c);
        k++;
      }
      const len = k - ws;
      if (len >= 2 && !(ws === s && k === e)) probe(a, b, len);
      if (prevEnd >= 0) probe(pa, pb, len + 1 + 5);
      prevA = a;
      prevB = b;
      prevEnd = k;
    }
    if (e > s) {
      const c0 = t.charCodeAt(s);
      if ((c0 >= 48 && c0 <= 57) || (c0 >= 65 && c0 <= 90)) {
        let a = SEED_A;
        let b = SEED_B;
        let len = 0;
        let toks = 0;
        let inSpace = false;
        for (let pos = s; pos < n && pos - s < 100 && toks < 6; pos++) {
          let c = t.charCodeAt(pos);
          if (isSpace(c)) {
            if (inSpace) continue;
            inSpace = true;
            toks++;
            if (toks >= 3) probe(a, b, len);
            c = 32;
          } else {
            inSpace = false;
            if (c >= 65 && c <= 90) c += 32;
          }
          a = stepA(a, c); b = stepB(b, c); len++;
        }
      }
    }
  }
  return passes;
}

function bareWalk(t) {
  let s = 0;
  for (let i = 0; i < t.length; i++) s += t.charCodeAt(i);
  return s;
}

const perChar = wasm('per-char');
const wordAtATime = wasm('word-at-a-time');
const perCharMem = prepare(perChar);
const watMem = prepare(wordAtATime);
const encoder = new TextEncoder();
// Each WASM run copies the string into linear memory first (UTF-8; ASCII positions are the same).
function copyIn(u8, t) { return encoder.encodeInto(t, u8.subarray(TEXT_AT, TEXT_AT + t.length * 3)).written; }
const perCharWasm = (t) => perChar.scan(TEXT_AT, copyIn(perCharMem, t), FILTER_AT, FILTER_WORDS);
const combinedWasm = (t) => wordAtATime.scan(TEXT_AT, copyIn(watMem, t), FILTER_AT, FILTER_WORDS, CLASS_AT, RING_AT, true);
const wordsOnlyWasm = (t) => wordAtATime.scan(TEXT_AT, copyIn(watMem, t), FILTER_AT, FILTER_WORDS, CLASS_AT, RING_AT, false);

perCharJs(TEXT);
perCharWasm(TEXT);
if (probes !== perChar.probeCount()) throw new Error(`the JS and WASM per-char kernels disagree: ${probes} against ${perChar.probeCount()} probes`);
combinedWasm(TEXT);
const combinedProbes = wordAtATime.probeCount();
wordsOnlyWasm(TEXT);
console.log(`64 KB prompt, ${TEXT.length} chars. Filter probes: per-char scheme ${probes}, word-at-a-time with pairs and phrases ${combinedProbes}, words only ${wordAtATime.probeCount()}.`);

/** Median CPU µs per call over 7 batches of 300 (after 200 warm-up calls). */
function cpuMicros(f) {
  for (let i = 0; i < 200; i++) f(TEXT);
  const per = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < 300; i++) f(TEXT);
    const u = process.cpuUsage(t0);
    per.push((u.user + u.system) / 300);
  }
  return per.sort((a, b) => a - b)[3];
}
const rows = [
  ['baseline: one charCodeAt per char, nothing else (JS)', bareWalk],
  ['per-char keys as match/scan.ts, one fused walk (JS)', perCharJs],
  ['the same kernel in WASM (with the copy into memory)', perCharWasm],
  ['WASM: 4 bytes per multiply, pairs/phrases combined from word hashes', combinedWasm],
  ['WASM: 4 bytes per multiply, word keys only', wordsOnlyWasm],
];
console.log('| kernel | µs per 64 KB | MB/s |\n|---|---:|---:|');
for (const [name, f] of rows) {
  const us = cpuMicros(f);
  console.log(`| ${name} | ${us.toFixed(0)} | ${(TEXT.length / us).toFixed(0)} |`);
}
