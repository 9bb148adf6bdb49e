import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ValueStore, NO_VALUE } from './value-store';

const fpOf = (i: number) => createHash('sha256').update(String(i)).digest();
const subjectOf = (i: number) => fpOf(i + 1).toString('base64url').slice(0, 22);

function fill(v: ValueStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const slot = v.allocate(i);
    v.cat[slot] = i % 7;
    v.setFp(slot, fpOf(i));
    v.setSubject(slot, subjectOf(i));
  }
}

function assertIntact(v: ValueStore, n: number): void {
  assert.equal(v.live, n);
  for (let i = 0; i < n; i++) {
    assert.equal(v.fpString(i), fpOf(i).toString('base64url').slice(0, 22));
    assert.equal(v.subject(i), subjectOf(i));
    assert.equal(v.cat[i], i % 7);
    assert.equal(v.touched[i], i);
  }
  // The LRU list runs through every slot in allocation order.
  let at = v.head;
  for (let i = 0; i < n; i++) { assert.equal(at, i); at = v.next[at]; }
  assert.equal(at, NO_VALUE);
}

test('once past 16 384 slots the columns jump to the reserve, keeping every value and the LRU order', () => {
  const v = new ValueStore(100_000);
  const capacities: number[] = [];
  for (let i = 0; i < 60_000; i++) {
    const slot = v.allocate(i);
    v.cat[slot] = i % 7;
    v.setFp(slot, fpOf(i));
    v.setSubject(slot, subjectOf(i));
    if (capacities.at(-1) !== v.capacity()) capacities.push(v.capacity());
  }
  const large = capacities.filter((c) => c >= 16_384);
  assert.equal(large.at(-1), 100_000);
  assert.equal(large.length, 2, `one copy-grown capacity past 16 384, then the reserve: ${capacities.join(' ')}`);
  assertIntact(v, 60_000);
});

test('without a reserve, or past it, the columns keep growing by copies and lose nothing', () => {
  const none = new ValueStore();
  fill(none, 40_000);
  assert.ok(none.capacity() >= 40_000 && none.capacity() < 60_000, `capacity ${none.capacity()}`);
  assertIntact(none, 40_000);
  const small = new ValueStore(20_000);
  fill(small, 30_000);
  assert.ok(small.capacity() >= 30_000, `capacity ${small.capacity()}`);
  assertIntact(small, 30_000);
});

test('clear() keeps the reserve; an absurd reserve is capped, not allocated', () => {
  const v = new ValueStore(50_000);
  fill(v, 20_000);
  v.clear();
  assert.equal(v.live, 0);
  assert.ok(v.capacity() < 1000);
  fill(v, 20_000);
  assert.equal(v.capacity(), 50_000);
  const huge = new ValueStore(1e15);
  fill(huge, 17_000);
  assert.ok(huge.capacity() <= 1 << 24, `capacity ${huge.capacity()}`);
  assertIntact(huge, 17_000);
});

test('subjects: every 22-char base64url id round-trips packed; any other text is kept as written', () => {
  const v = new ValueStore(1000);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const ids: string[] = [];
  // each char of the alphabet at each position, the last (which packs only partly into a byte) included
  for (let k = 0; k < 64; k++) {
    let s = '';
    for (let p = 0; p < 22; p++) s += alphabet[(k + p * 7) % 64];
    ids.push(s);
  }
  const others = ['short', 'A'.repeat(21), 'A'.repeat(23), 'AAAAAAAAAAAAAAAAAAAAA+', 'AAAAAAAAAAAAAAAAAAAAA=',
    'AAAAAAAAAAAAAAAAAAAAAé', 'AAAAAAAAAAAAAAAAAAAAA\u0100', 'user 42', ''];
  const all = [...ids, ...others];
  const slots = all.map((s, i) => {
    const slot = v.allocate(i);
    v.setSubject(slot, s);
    return slot;
  });
  all.forEach((s, i) => assert.equal(v.subject(slots[i]), s));
  // only text outside the id form costs bytes beyond the columns
  ids.forEach((_, i) => assert.equal(v.subjectBytes(slots[i]), 0));
  assert.equal(v.subjectBytes(slots[ids.length]), 'short'.length * 2);
});
