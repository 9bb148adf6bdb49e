import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BITS_PER_KEY, KeyFilter } from './key-filter';

/** Deterministic pseudo-random 32-bit words (xorshift), so a failure reproduces. */
function words(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

test('every added key passes; absent keys mostly do not, at the design load and at the rebuild point', () => {
  const keys = 50_000;
  const f = new KeyFilter(keys);
  const next = words(7);
  const added: number[] = [];
  for (let i = 0; i < keys; i++) {
    const h1 = next();
    const h2 = next();
    f.add(h1, h2);
    added.push(h1, h2);
  }
  for (let i = 0; i < added.length; i += 2) assert.ok(f.mayHave(added[i], added[i + 1]), `added key ${i / 2} must pass`);
  const falsePasses = (): number => {
    let n = 0;
    const probe = words(99);
    for (let i = 0; i < 100_000; i++) if (f.mayHave(probe(), probe())) n++;
    return n / 100_000;
  };
  const atDesign = falsePasses();
  assert.ok(atDesign < 0.03, `false passes at the design load: ${atDesign}`);
  assert.equal(f.needsRebuild, false);
  // Keep adding until the owner is told to rebuild: the filter is still usable then.
  while (!f.needsRebuild) f.add(next(), next());
  const atRebuild = falsePasses();
  assert.ok(atRebuild < 0.12, `false passes when a rebuild is due: ${atRebuild}`);
  assert.ok(atRebuild > atDesign, 'more keys, more false passes (the probe is not vacuous)');
  for (let i = 0; i < added.length; i += 2) assert.ok(f.mayHave(added[i], added[i + 1]));
});

test('reset empties it and sizes it for the keys to come', () => {
  const f = new KeyFilter();
  const small = f.bytes;
  f.add(1, 2);
  assert.ok(f.mayHave(1, 2));
  f.reset(1_000_000);
  assert.equal(f.mayHave(1, 2), false);
  assert.ok(f.bytes >= (1_000_000 * BITS_PER_KEY) / 8, `${f.bytes} bytes for a million keys`);
  f.reset(0);
  assert.equal(f.bytes, small);
});
