import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createFingerprinter } from './keyed-hash';

test('the pad-based HMAC equals createHmac for short, block-sized and long keys and any text', () => {
  const keys = [Buffer.from('k'.repeat(32)), Buffer.alloc(64, 7), Buffer.from('x'.repeat(100))];
  const texts = ['', 'jane.doe@example.com', '+14155550100', 'zoë müller ✓ 𝔘', 'a'.repeat(4096), 'é'.repeat(4096), 'b'.repeat(5000)];
  for (const key of keys) {
    const fp = createFingerprinter(key);
    for (const t of texts) assert.deepEqual(fp(t), createHmac('sha256', key).update(t, 'utf8').digest(), `key ${key.length}, text ${t.length}`);
    // The shared message buffer must not leak one call into the next.
    assert.deepEqual(fp('ab'), createHmac('sha256', key).update('ab').digest());
  }
});
