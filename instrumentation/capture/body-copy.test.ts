import { test } from 'node:test';
import { LIMIT } from './harness.test';
import assert from 'node:assert/strict';
import { appendChunk, bodyBytes } from './body-copy';
import { createTracker, emptyBody, finish, getCapture, type CaptureWithError } from './tracker';

function tracker(limit: number) {
  const capture: CaptureWithError = { kind: 'egress', method: 'POST', url: '', host: '', headers: {}, body: emptyBody() };
  return createTracker({}, capture, { limit });
}

test('string prefixes equal the byte prefix at every limit, across multi-byte characters', LIMIT, () => {
  const samples: [string, BufferEncoding | undefined][] = [
    ['ab😀cé€d😀😀x', undefined], ['ab😀cé€d😀😀x', 'utf8'], ['café ÿ naïve', 'latin1'], ['00ff10ab', 'hex'], ['aGVsbG8gd29ybGQ=', 'base64'],
  ];
  for (const [s, enc] of samples) {
    const full = Buffer.from(s, enc);
    for (let limit = 0; limit <= full.length + 2; limit++) {
      const t = tracker(limit);
      appendChunk(t, s, enc);
      const b = t.capture.body;
      assert.ok(bodyBytes(b).equals(full.subarray(0, limit)), `${enc ?? 'default'} limit ${limit}`);
      assert.equal(b.bytes, Math.min(limit, full.length));
      assert.equal(b.truncated, full.length > limit);
      assert.equal(t.seen, full.length);
    }
  }
});

test('chunks are copied, not referenced, and never exceed the limit in total', LIMIT, () => {
  const t = tracker(5);
  const a = Buffer.from('abc');
  appendChunk(t, a);
  a.fill(0x7a);
  appendChunk(t, new Uint8Array([100, 101, 102]));
  appendChunk(t, Buffer.from('ghi'));
  appendChunk(t, { not: 'bytes' });
  const b = t.capture.body;
  assert.equal(bodyBytes(b).toString(), 'abcde');
  assert.equal(b.chunks.reduce((n, c) => n + c.length, 0), 5);
  assert.equal(b.truncated, true);
  assert.equal(bodyBytes(b), bodyBytes(b), 'joined buffer is cached');
});

test('finish notifies once and later chunks are ignored; invalid limits copy nothing', LIMIT, () => {
  let calls = 0;
  const owner = {};
  const capture: CaptureWithError = { kind: 'egress', method: '', url: '', host: '', headers: {}, body: emptyBody() };
  const t = createTracker(owner, capture, { limit: 10, onComplete: () => { calls++; throw new Error('callback failure stays inside'); } });
  appendChunk(t, 'abc');
  finish(t, true);
  finish(t, false);
  appendChunk(t, 'def');
  assert.equal(calls, 1);
  assert.equal(capture.body.complete, true);
  assert.equal(bodyBytes(capture.body).toString(), 'abc');
  assert.equal(getCapture(owner), capture);
  for (const limit of [-1, Number.NaN, 0, '5' as unknown as number]) {
    const z = tracker(limit);
    appendChunk(z, 'abc');
    assert.equal(z.capture.body.bytes, 0);
    assert.equal(z.capture.body.truncated, true);
  }
  assert.equal(bodyBytes(emptyBody()).length, 0);
  assert.equal(getCapture(null as unknown as object), undefined);
});
