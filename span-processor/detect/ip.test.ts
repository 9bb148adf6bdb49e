import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTaggableIp } from './ip';

test('isTaggableIp tags public and private addresses', () => {
  for (const v of ['203.0.113.7', '10.0.0.7', '192.168.1.20', '2001:db8::1', 'fd00::5', '::ffff:203.0.113.7', 'fe80::1%eth0']) {
    assert.equal(isTaggableIp(v), true, v);
  }
});

test('isTaggableIp skips loopback, unspecified and non-addresses', () => {
  for (const v of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '0.0.0.0', '::', '1.2.3', '999.1.1.1', 'localhost', '']) {
    assert.equal(isTaggableIp(v), false, v);
  }
});
