import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fingerprintId } from './fingerprint';

test('fingerprint id is base64url HMAC-SHA256 cut to 22 chars', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');
  const full = createHmac('sha256', key).update('person@example.com').digest('base64url');
  const fp = fingerprintId(key, 'person@example.com');
  assert.equal(fp, full.slice(0, 22));
  assert.match(fp, /^[A-Za-z0-9_-]{22}$/);
});

test('fingerprint depends on the key and the value', () => {
  const k1 = Buffer.from('key-one-key-one-key-one');
  const k2 = Buffer.from('key-two-key-two-key-two');
  assert.notEqual(fingerprintId(k1, 'a@b.co'), fingerprintId(k2, 'a@b.co'));
  assert.notEqual(fingerprintId(k1, 'a@b.co'), fingerprintId(k1, 'b@b.co'));
  assert.equal(fingerprintId(k1, 'a@b.co'), fingerprintId(k1, 'a@b.co'));
});
