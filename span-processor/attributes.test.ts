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
