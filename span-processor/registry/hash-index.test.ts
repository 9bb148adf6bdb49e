import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashIndex, SHARDS } from './hash-index';

/** A deterministic stream of 32-bit words (xorshift), so a failure replays. */
function words(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** The reference: a Map from "h1:h2" to the references in insertion order. */
class Reference {
  readonly m = new Map<string, number[]>();
  insert(h1: number, h2: number, ref: number): void {
    const k = `${h1}:${h2}`;
    const list = this.m.get(k);
    if (list) list.push(ref); else this.m.set(k, [ref]);
  }
  find(h1: number, h2: number): number[] {
    return this.m.get(`${h1}:${h2}`) ?? [];
  }
  remove(h1: number, h2: number, ref: number): boolean {
    const list = this.m.get(`${h1}:${h2}`);
    const at = list?.indexOf(ref) ?? -1;
    if (at < 0) return false;
    list!.splice(at, 1);
    return true;
  }
  get size(): number {
    let n = 0;
    for (const l of this.m.values()) n += l.length;
    return n;
  }
}

function assertSame(idx: HashIndex, ref: Reference, keys: Array<[number, number]>): void {
  const out: number[] = [];
  for (const [h1, h2] of keys) {
    const n = idx.find(h1, h2, out, 1000);
    assert.deepEqual(out.slice(0, n), ref.find(h1, h2), `key ${h1}:${h2}`);
  }
  assert.equal(idx.size, ref.size);
}

// Hashes confined to a narrow band of h1 make long runs and force them to wrap around the end of
// a shard (h1 near 2^32 homes at the last slots), the cases where Robin Hood insertion and
// backward-shift deletion move whole runs.
for (const [name, narrow] of [['uniform hashes', false], ['clustered hashes that wrap', true]] as const) {
  test(`hash index: insert, find, remove and purge agree with a Map (${name})`, () => {
    const next = words(narrow ? 7 : 3);
    const idx = new HashIndex();
    const model = new Reference();
    const keys: Array<[number, number]> = [];
    const shard0 = 0; // h2's top bits pick the shard: keep all keys in one to fill it quickly
    const pick = (): [number, number] => {
      const h1 = narrow ? (0xffffff00 + (next() & 0xff)) >>> 0 : next();
      const h2 = narrow ? ((shard0 << 26) | (next() & 0x3)) >>> 0 : next();
      return [h1, h2];
    };
    let refNo = 1;
    for (let step = 0; step < 6000; step++) {
      const r = next() % 10;
      if (r < 6 || keys.length === 0) {
        // a new key, or another entry under a key already there (several values share `m`)
        const again = keys.length > 0 && r === 5;
        const k = again ? keys[next() % keys.length] : pick();
        if (!again) keys.push(k);
        idx.insert(k[0], k[1], refNo);
        model.insert(k[0], k[1], refNo);
        refNo++;
      } else if (r < 9) {
        const k = keys[next() % keys.length];
        const present = model.find(k[0], k[1]);
        const victim = present.length > 0 ? present[next() % present.length] : refNo + 1;
        assert.equal(idx.remove(k[0], k[1], victim), model.remove(k[0], k[1], victim));
      } else {
        // purge every reference divisible by a small prime, from every shard
        const p = 3 + (next() % 5);
        let removed = 0;
        for (let s = 0; s < SHARDS; s++) removed += idx.purgeShard(s, (ref) => ref % p === 0);
        let expected = 0;
        for (const list of model.m.values()) {
          for (let i = list.length - 1; i >= 0; i--) if (list[i] % p === 0) { list.splice(i, 1); expected++; }
        }
        assert.equal(removed, expected);
      }
      if (step % 500 === 0) assertSame(idx, model, keys);
    }
    assertSame(idx, model, keys);
    // absent keys miss
    const out: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [h1, h2] = pick();
      if (model.find(h1, h2).length === 0) assert.equal(idx.find(h1, h2, out, 10), 0);
    }
    // forEachInShard visits every entry exactly once
    let visited = 0;
    for (let s = 0; s < SHARDS; s++) {
      idx.forEachInShard(s, (h1, h2, ref) => {
        assert.ok(model.find(h1, h2).includes(ref));
        visited++;
      });
    }
    assert.equal(visited, model.size);
  });
}

test('hash index: find stops at max and keeps insertion order', () => {
  const idx = new HashIndex();
  for (let r = 1; r <= 20; r++) idx.insert(42, 7, r);
  const out: number[] = [];
  assert.equal(idx.find(42, 7, out, 8), 8);
  assert.deepEqual(out.slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(idx.find(42, 8, out, 8), 0);
});
