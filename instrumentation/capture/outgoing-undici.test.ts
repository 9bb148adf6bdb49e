import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import http from 'node:http';
import { Readable } from 'node:stream';
import { bodyBytes, captureUndici, getCapture, type UndiciRequestLike } from './index';
import { bytes, delay, listen, recorder, type Recorder, closeAll, LIMIT } from './harness.test';

after(closeAll);
import type { EgressCapture } from '../../span-processor/types';

interface Received { body: Buffer; headers: http.IncomingHttpHeaders }

async function sink(): Promise<{ port: number; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const s = await listen(http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => { got.push({ body: Buffer.concat(parts), headers: req.headers }); res.end('ok'); });
  }));
  return { ...s, got };
}

/** Subscribes like the OTel undici instrumentation does, for the duration of `fn`. */
async function withHook<T>(rec: Recorder | null, limit: number, fn: () => Promise<T>): Promise<T> {
  const onCreate = (msg: unknown): void => {
    if (!rec) return;
    const request = (msg as { request: UndiciRequestLike }).request;
    rec.captures.push(captureUndici(rec.owner, request, { limit, onComplete: rec.onComplete }));
  };
  dc.subscribe('undici:request:create', onCreate);
  try {
    return await fn();
  } finally {
    dc.unsubscribe('undici:request:create', onCreate);
  }
}

const enc = new TextEncoder();
const BODIES: Record<string, () => NonNullable<RequestInit["body"]>> = {
  string: () => '{"email":"jane@example.com","name":"Jané"}',
  buffer: () => bytes(5000, 11),
  uint8array: () => new Uint8Array(bytes(300, 5)),
  urlsearchparams: () => new URLSearchParams({ email: 'jane@example.com', note: 'a&b=é' }),
  formdata: () => { const f = new FormData(); f.append('email', 'jane@example.com'); f.append('phone', '+14155550100'); return f; },
  blob: () => new Blob(['blob-', 'part ', enc.encode('bytes')], { type: 'text/plain' }),
  readablestream: () => new ReadableStream<Uint8Array>({
    start(c) { c.enqueue(enc.encode('stream-1,')); c.enqueue(bytes(70_000, 9)); c.enqueue(enc.encode(',end')); c.close(); },
  }),
};

/** Multipart boundaries are random per request; compare bodies with the boundary neutralised. */
function normalize(r: Received): string {
  const ct = String(r.headers['content-type'] ?? '');
  const m = /boundary=([^;]+)/.exec(ct);
  const text = r.body.toString('latin1');
  return m ? text.split(m[1]).join('BOUNDARY') : text;
}

for (const [name, make] of Object.entries(BODIES)) {
  test(`fetch ${name}: server receives identical bytes, capture equals them`, LIMIT, async () => {
    const s = await sink();
    const url = `http://127.0.0.1:${s.port}/track?id=7`;
    await withHook(null, 0, () => fetch(url, { method: 'POST', body: make(), duplex: 'half' } as RequestInit).then((r) => r.text()));
    const rec = recorder();
    const reply = await withHook(rec, 1 << 20, () =>
      fetch(url, { method: 'POST', body: make(), headers: { 'x-api-key': 'k' }, duplex: 'half' } as RequestInit).then((r) => r.text()));
    await s.close();
    assert.equal(reply, 'ok');
    const [base, captured] = s.got;
    assert.equal(normalize(captured), normalize(base));
    assert.ok(captured.body.length > 0);
    const c = rec.captures[0] as EgressCapture;
    assert.ok(bodyBytes(c.body).equals(captured.body), 'capture equals the bytes on the wire');
    assert.equal(c.body.complete, true);
    assert.equal(c.body.truncated, false);
    assert.deepEqual(rec.completions.map((x) => x.complete), [true]);
    assert.equal(getCapture(rec.owner), c);
    assert.equal(c.method, 'POST');
    assert.equal(c.url, url);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.headers['x-api-key'], 'k');
  });
}

test('fetch over the limit: truncated capture, server still gets everything', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const big = 'x'.repeat(100_000);
  await withHook(rec, 1000, () => fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST', body: big }).then((r) => r.text()));
  await s.close();
  assert.equal(s.got[0].body.toString(), big);
  const c = rec.captures[0];
  assert.equal(c.body.bytes, 1000);
  assert.equal(c.body.truncated, true);
  assert.equal(bodyBytes(c.body).toString(), big.slice(0, 1000));
});

test('fetch body stream that fails: same rejection as without capture, onComplete(false) once', LIMIT, async () => {
  const s = await sink();
  const failing = (): ReadableStream<Uint8Array> => {
    let n = 0;
    return new ReadableStream<Uint8Array>({
      // The failure comes later than the first chunk, so that chunk is really read (and sent).
      async pull(c) { if (n++ === 0) c.enqueue(enc.encode('first')); else { await delay(30); c.error(new Error('source broke')); } },
    });
  };
  const url = `http://127.0.0.1:${s.port}/`;
  const run = () => fetch(url, { method: 'POST', body: failing(), duplex: 'half' } as RequestInit).then(() => 'resolved', (e: Error) => `rejected:${e.name}`);
  const base = await withHook(null, 0, run);
  const rec = recorder();
  const withCap = await withHook(rec, 100, run);
  await s.close();
  assert.equal(withCap, base);
  assert.match(withCap, /^rejected/);
  await rec.completed();
  assert.deepEqual(rec.completions.map((x) => x.complete), [false]);
  assert.equal(bodyBytes(rec.captures[0].body).toString(), 'first');
});

test('undici request objects: headers array/string, Readable body, FormData untouched', LIMIT, async () => {
  const rec = recorder();
  const readable = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
  const req: UndiciRequestLike = {
    origin: 'https://API.Segment.io', path: '/v1/track', method: 'POST', host: 'api.segment.io', contentLength: 4,
    headers: ['Content-Type', 'application/json', 'x-a', '1', 'X-A', '2', 'x-list', ['p', 'q']],
    body: readable,
  };
  const c = captureUndici(rec.owner, req, { limit: 3, onComplete: rec.onComplete });
  assert.equal(req.body, readable, 'a Readable body is left in place');
  const out: Buffer[] = [];
  for await (const d of readable) out.push(d as Buffer);
  assert.equal(Buffer.concat(out).toString(), 'abcd');
  assert.equal(c.url, 'https://API.Segment.io/v1/track');
  assert.equal(c.host, 'api.segment.io');
  assert.deepEqual(c.headers, {
    'content-type': 'application/json', 'x-a': ['1', '2'], 'x-list': ['p', 'q'], host: 'api.segment.io', 'content-length': '4',
  });
  assert.equal(bodyBytes(c.body).toString(), 'abc');
  assert.equal(c.body.truncated, true);
  assert.deepEqual(rec.completions.map((x) => x.complete), [true]);

  const v5 = captureUndici({}, { origin: 'http://h.example:8080', path: '/p', method: 'GET', headers: 'a: 1\r\nB: two words\r\n' }, { limit: 10 });
  assert.deepEqual(v5.headers, { a: '1', b: 'two words' });
  assert.equal(v5.host, 'h.example');
  assert.equal(v5.body.complete, true);

  const form = new FormData();
  form.append('email', 'x@y.example');
  const fr: UndiciRequestLike = { origin: 'http://h', path: '/', method: 'POST', headers: [], body: form };
  const f = captureUndici({}, fr, { limit: 10 });
  assert.equal(fr.body, form);
  assert.equal(f.body.bytes, 0);
  assert.equal(f.body.complete, false);

  const junk = captureUndici({}, null as unknown as UndiciRequestLike, { limit: 10 });
  assert.ok((junk as { error?: string }).error);
});

test('undici async iterable: return() from the consumer reaches the source', LIMIT, async () => {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try { yield enc.encode('one'); yield enc.encode('two'); } finally { closed = true; }
  }
  const rec = recorder();
  const req: UndiciRequestLike = { origin: 'http://h', path: '/', method: 'POST', headers: [], body: source() };
  captureUndici(rec.owner, req, { limit: 100, onComplete: rec.onComplete });
  for await (const chunk of req.body as AsyncIterable<Uint8Array>) {
    assert.equal(Buffer.from(chunk).toString(), 'one');
    break;
  }
  assert.equal(closed, true);
  assert.deepEqual(rec.completions.map((x) => x.complete), [false]);
});
