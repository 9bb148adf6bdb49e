import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectAnnotations, matchAnnotations } from './attributes';
import type { ShareMatch } from './types';

const T: [number, number] = [1_700_000_000, 0];

test('capped events: sst.truncated and the category of every fingerprint, aligned with sst.fingerprints', () => {
  const matches: ShareMatch[] = [
    { fp: 'c-email', category: 'email', field: 'body.inputs[0].email', transform: 'plain' },
    { fp: 'a-phone', category: 'phone', field: 'body.inputs[0].phone', transform: 'plain' },
    { fp: 'b-email', category: 'email', field: 'body.inputs[1].email', transform: 'plain' },
  ];
  const capped = matchAnnotations(matches, 'share', T, 2, false, [])!;
  assert.equal(capped.events.length, 2);
  assert.equal(capped.attributes['sst.truncated'], true);
  assert.deepEqual(capped.attributes['sst.fingerprints'], ['a-phone', 'b-email', 'c-email']);
  assert.deepEqual(capped.attributes['sst.fingerprint_categories'], ['phone', 'email', 'email']);
  // Not capped: every id has its event, no extra attribute.
  const whole = matchAnnotations(matches, 'share', T, 64, false, [])!;
  assert.equal(whole.attributes['sst.fingerprint_categories'], undefined);
  assert.equal(whole.attributes['sst.truncated'], undefined);
  const tags = collectAnnotations({ tags: matches.map((m) => ({ fp: m.fp, category: m.category, field: m.field })), truncated: false, errors: [] }, 'load', T, 1)!;
  assert.deepEqual(tags.attributes['sst.fingerprint_categories'], ['phone', 'email', 'email']);
});

test('list attributes are distinct and in code-unit order, however many values a span has', () => {
  // Upper case before lower, `_` between them, non-ASCII last: the order of String comparison,
  // for a handful of values (sorted in place) and for more than the small-array path takes.
  const fields = ['body.b', 'body.B', 'body.a_1', 'body.é', 'body.a', 'body.B', 'body.Z', 'body.a'];
  const many = Array.from({ length: 50 }, (_, i) => `body.f${(i * 37) % 50}`).concat(['body.f3', 'body.F3']);
  for (const list of [fields, many]) {
    const matches: ShareMatch[] = list.map((field, i) => ({ fp: `fp${i % 3}`, category: i % 2 ? 'email' : 'phone', field, transform: 'plain' }));
    const out = matchAnnotations(matches, 'share', T, 1000, false, [])!;
    const expected = [...new Set(list)].sort();
    assert.deepEqual(out.attributes['sst.fields'], expected);
    assert.deepEqual(out.attributes['sst.fingerprints'], ['fp0', 'fp1', 'fp2']);
    assert.deepEqual(out.attributes['sst.categories'], ['email', 'phone']);
  }
});
