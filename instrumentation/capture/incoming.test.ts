import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import { bodyBytes, captureIncoming, getCapture } from './index';
import { bytes, delay, listen, recorder, send, split, type Recorder, closeAll, LIMIT } from './harness.test';

after(closeAll);
import type { IngressCapture } from '../../span-processor/types';

type Style = 'data' | 'for-await' | 'pipe' | 'readable' | 'unread';

/** A raw Node app that echoes the body it read, in one of the usual reading styles. */
function app(style: Style, req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  const reply = (): void => { res.end(Buffer.concat(parts)); };
  switch (style) {
    case 'data':
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', reply);
      break;
    case 'for-await':
      (async () => { for await (const d of req) parts.push(d as Buffer); reply(); })().catch(() => res.destroy());
      break;
    case 'pipe':
      req.pipe(new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _enc, cb) { parts.push(chunk); setImmediate(cb); },
        final(cb) { cb(); reply(); },
      }));
      break;
    case 'readable':
      req.on('readable', () => { let d: Buffer | null; while ((d = req.read()) !== null) parts.push(d); });
      req.on('end', reply);
      break;
    case 'unread':
      res.end('ok');
      break;
  }
}

function server(style: Style, rec: Recorder | null, limit: number): http.Server {
  return http.createServer((req, res) => {
    if (rec) rec.captures.push(captureIncoming(rec.owner, req, { limit, onComplete: rec.onComplete }));
    app(style, req, res);
  });
}

const STYLES: Style[] = ['data', 'for-await', 'pipe', 'readable'];
const BODY = bytes(200_000);

for (const style of STYLES) {
  test(`ingress ${style}: app gets identical bytes, capture equals the body and is complete`, LIMIT, async () => {
    const plain = await listen(server(style, null, 0));
    const baseline = await send(plain.port, { body: split(BODY, 4) });
    await plain.close();
    assert.ok(baseline.body.equals(BODY));

    const rec = recorder();
    const s = await listen(server(style, rec, 1 << 20));
    const r = await send(s.port, { body: split(BODY, 4), path: '/in?x=1' });
    await rec.completed();
    await s.close();
    assert.ok(r.body.equals(baseline.body), 'app saw the same bytes as without capture');
    const c = rec.captures[0] as IngressCapture;
    assert.equal(c.body.bytes, BODY.length);
    assert.ok(bodyBytes(c.body).equals(BODY));
    assert.equal(c.body.truncated, false);
    assert.equal(c.body.complete, true);
    assert.deepEqual(rec.completions.map((x) => x.complete), [true]);
    assert.equal(rec.completions[0].owner, rec.owner);
    assert.equal(getCapture(rec.owner), c);
    assert.equal(c.target, '/in?x=1');
    assert.equal(c.method, 'POST');
  });
}

test('ingress over the limit: truncated copy of the first bytes, app still gets everything', LIMIT, async () => {
  const rec = recorder();
  const s = await listen(server('data', rec, 1000));
  const r = await send(s.port, { body: split(BODY, 3) });
  await rec.completed();
  await s.close();
  assert.ok(r.body.equals(BODY));
  const c = rec.captures[0];
  assert.equal(c.body.bytes, 1000);
  assert.equal(c.body.truncated, true);
  assert.equal(c.body.complete, true);
  assert.ok(bodyBytes(c.body).equals(BODY.subarray(0, 1000)));
  assert.ok(c.body.chunks.reduce((n, b) => n + b.length, 0) <= 1000);
});

test('ingress unread small body is still captured', LIMIT, async () => {
  const rec = recorder();
  const s = await listen(server('unread', rec, 1 << 20));
  const body = Buffer.from('{"email":"a@b.example"}');
  // With a Content-Length the copy can prove it saw every byte even though Node dumps the unread body.
  const r = await send(s.port, { body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
  await rec.completed();
  await s.close();
  assert.equal(r.body.toString(), 'ok');
  assert.ok(bodyBytes(rec.captures[0].body).equals(body));
  assert.deepEqual(rec.completions.map((x) => x.complete), [true]);
});

test('ingress unread body larger than the buffers: capture incomplete, never reported complete', LIMIT, async () => {
  const rec = recorder();
  const s = await listen(server('unread', rec, 8 << 20));
  const big = bytes(4 << 20);
  const r = await send(s.port, { body: split(big, 8) }).catch(() => null);
  await delay(100);
  await s.close();
  assert.ok(r === null || r.body.toString() === 'ok');
  const c = rec.captures[0];
  assert.equal(c.body.complete, false);
  assert.ok(c.body.bytes < big.length);
  assert.ok(bodyBytes(c.body).equals(big.subarray(0, c.body.bytes)), 'what was copied is the true prefix');
  assert.ok(rec.completions.length <= 1);
  assert.ok(rec.completions.every((x) => !x.complete));
});

test('ingress without body: complete empty capture, headers, target, client ip', LIMIT, async () => {
  const rec = recorder();
  const s = await listen(server('data', rec, 1024));
  await send(s.port, {
    method: 'GET', path: '/users/42?ref=x',
    headers: { 'x-forwarded-for': 'unknown, 203.0.113.7, 10.0.0.1', 'x-user': 'u1' },
  });
  await send(s.port, { method: 'GET', path: '/', headers: { 'x-real-ip': '198.51.100.2' } });
  await send(s.port, { method: 'GET', path: '/' });
  await s.close();
  const [a, b, c] = rec.captures as IngressCapture[];
  assert.equal(a.method, 'GET');
  assert.equal(a.target, '/users/42?ref=x');
  assert.equal(a.headers['x-user'], 'u1');
  assert.equal(a.clientIp, '203.0.113.7');
  assert.equal(b.clientIp, '198.51.100.2');
  assert.equal(c.clientIp, '127.0.0.1');
  assert.equal(a.body.bytes, 0);
  assert.equal(a.body.complete, true);
  assert.deepEqual(rec.completions.map((x) => x.complete), [true, true, true]);
});

test('ingress hook adds no listeners and does not change flowing state', LIMIT, async () => {
  const seen: { before: (string | symbol)[]; after: (string | symbol)[]; flowing: [unknown, unknown]; own: boolean }[] = [];
  const rec = recorder();
  const s = await listen(http.createServer((req, res) => {
    const before = req.eventNames();
    const f0 = req.readableFlowing;
    captureIncoming(rec.owner, req, { limit: 100, onComplete: rec.onComplete });
    seen.push({ before, after: req.eventNames(), flowing: [f0, req.readableFlowing], own: Object.hasOwn(req, 'push') });
    app('data', req, res);
  }));
  await send(s.port, { body: Buffer.from('abc') });
  await s.close();
  assert.deepEqual(seen[0].after, seen[0].before);
  assert.equal(seen[0].flowing[1], seen[0].flowing[0]);
  assert.equal(seen[0].own, true);
});

test('ingress abort mid-body: onComplete once with complete=false, app sees aborted, server survives', LIMIT, async () => {
  const rec = recorder();
  let appSawAborted = false;
  const s = await listen(http.createServer((req, res) => {
    rec.captures.push(captureIncoming(rec.owner, req, { limit: 1 << 20, onComplete: rec.onComplete }));
    req.on('aborted', () => { appSawAborted = true; });
    app('data', req, res);
  }));
  const sock = net.connect(s.port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write('POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n');
  sock.write(bytes(500));
  for (let i = 0; i < 100 && (rec.captures[0]?.body.bytes ?? 0) < 500; i++) await delay(5);
  sock.destroy();
  await rec.completed();
  await delay(50);
  assert.deepEqual(rec.completions.map((x) => x.complete), [false]);
  assert.equal(rec.captures[0].body.bytes, 500);
  assert.equal(rec.captures[0].body.complete, false);
  assert.equal(appSawAborted, true);
  const again = await send(s.port, { body: Buffer.from('still up') });
  assert.equal(again.body.toString(), 'still up');
  await s.close();
});

test('ingress second hook on the same request shares one copy and notifies both owners', LIMIT, async () => {
  const a = recorder();
  const b = recorder();
  const s = await listen(http.createServer((req, res) => {
    a.captures.push(captureIncoming(a.owner, req, { limit: 100, onComplete: a.onComplete }));
    b.captures.push(captureIncoming(b.owner, req, { limit: 100, onComplete: b.onComplete }));
    app('data', req, res);
  }));
  const r = await send(s.port, { body: Buffer.from('hello') });
  await s.close();
  assert.equal(r.body.toString(), 'hello');
  assert.equal(a.captures[0], b.captures[0]);
  assert.equal(bodyBytes(a.captures[0].body).toString(), 'hello');
  assert.equal(a.completions.length, 1);
  assert.equal(b.completions.length, 1);
  assert.equal(b.completions[0].owner, b.owner);
});

test('ingress hook never throws on junk input', LIMIT, () => {
  const owner = {};
  const c = captureIncoming(owner, {} as http.IncomingMessage, { limit: 10 });
  assert.equal(c.kind, 'ingress');
  const d = captureIncoming(owner, null as unknown as http.IncomingMessage, { limit: 10 });
  assert.equal(d.kind, 'ingress');
  assert.ok((d as { error?: string }).error);
});
