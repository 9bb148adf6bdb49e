import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidates, lookupKey, phoneRegion } from './subject';
import { UsageError } from './errors';

const KEY = Buffer.from('roundtrip-key-0123456789');
const id = (canonical: string): string => createHmac('sha256', KEY).update(canonical).digest('base64url').slice(0, 22);

test('the id of a value is the app\'s id: keyed HMAC of the canonical form', () => {
  const c = candidates(' Jane.Doe@Example.com ', 'email', 'US', KEY);
  assert.deepEqual(c, [{ category: 'email', fingerprint: id('jane.doe@example.com') }]);
  assert.equal(c[0].fingerprint, 'daGVkGuFgGCt1dXPA1ue3E');
  assert.deepEqual(candidates('(650) 555-1212', 'phone', 'US', KEY), [{ category: 'phone', fingerprint: id('+16505551212') }]);
});

test('without a category: email first, then phone, then the others; shared ids listed once', () => {
  const c = candidates('jane.doe@example.com', undefined, 'US', KEY);
  assert.equal(c[0].category, 'email');
  assert.ok(!c.some((x) => x.category === 'phone'));
  assert.equal(new Set(c.map((x) => x.fingerprint)).size, c.length);
  const p = candidates('+1 650 555 1212', undefined, 'US', KEY);
  assert.deepEqual(p[0], { category: 'phone', fingerprint: id('+16505551212') });
});

test('a value invalid for its category, or a malformed category, is a usage error', () => {
  assert.throws(() => candidates('not-an-email', 'email', 'US', KEY), (e: unknown) => e instanceof UsageError && !/not-an-email/.test((e as Error).message));
  assert.throws(() => candidates('x', 'Bad Category!', 'US', KEY), UsageError);
});

test('key: from SST_FINGERPRINT_KEY or .sst/key; never generated for a lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-subject-'));
  assert.deepEqual(lookupKey({ SST_FINGERPRINT_KEY: 'roundtrip-key-0123456789' }, dir), KEY);
  assert.throws(() => lookupKey({}, dir), /no fingerprint key/);
  assert.throws(() => lookupKey({ SST_FINGERPRINT_KEY: 'short' }, dir), (e: unknown) => e instanceof UsageError && /too short/.test((e as Error).message));
  mkdirSync(join(dir, '.sst'));
  writeFileSync(join(dir, '.sst', 'key'), 'file-key-file-key-file-key\n');
  assert.deepEqual(lookupKey({}, dir), Buffer.from('file-key-file-key-file-key'));
});

test('phone region: flag, else config, else US', () => {
  assert.equal(phoneRegion('de', {}), 'DE');
  assert.equal(phoneRegion(undefined, {}), 'US');
  assert.throws(() => phoneRegion('Germany', {}), UsageError);
  const dir = mkdtempSync(join(tmpdir(), 'sst-region-'));
  writeFileSync(join(dir, 'sst.yaml'), 'defaultPhoneRegion: GB\n');
  assert.equal(phoneRegion(undefined, { SST_CONFIG: join(dir, 'sst.yaml') }), 'GB');
});
