import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { bodyBytes, captureOutgoing, getCapture } from './index';
import { bytes, listen, recorder, split, type Recorder, closeAll, LIMIT } from './harness.test';

after(closeAll);
import type { EgressCapture } from '../../span-processor/types';

interface Received { body: Buffer; headers: http.IncomingHttpHeaders; url: string }

/** A sink server that records the exact bytes each request carried. */
async function sink(): Promise<{ port: number; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const s = await listen(http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => { got.push({ body: Buffer.concat(parts), headers: req.headers, url: req.url ?? '' }); res.end('ok'); });
  }));
  return { ...s, got };
}

function start(port: number, rec: Recorder, limit: number, path = '/v1/events?k=1'): { req: http.ClientRequest; done: Promise<void> } {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, agent: false });
  rec.captures.push(captureOutgoing(rec.owner, req, { limit, onComplete: rec.onComplete }));
  const done = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
  });
  return { req, done };
}

test('egress write+end: captured bytes equal what the server received; returns and callbacks kept', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 1 << 20);
  req.setHeader('x-api-key', 'k1');
  const calls: string[] = [];
  const w1 = req.write(Buffer.from('{"email":'), () => calls.push('w1'));
  const w2 = req.write('"a@b.example"', 'utf8', () => calls.push('w2'));
  const e = req.end(new Uint8Array([0x7d]), () => calls.push('end'));
  await done;
  await s.close();
  assert.equal(typeof w1, 'boolean');
  assert.equal(typeof w2, 'boolean');
  assert.equal(e, req);
  assert.deepEqual(calls.sort(), ['end', 'w1', 'w2']);
  const c = rec.captures[0] as EgressCapture;
  assert.equal(bodyBytes(c.body).toString(), '{"email":"a@b.example"}');
  assert.ok(bodyBytes(c.body).equals(s.got[0].body));
  assert.equal(c.body.complete, true);
  assert.deepEqual(rec.completions.map((x) => x.complete), [true]);
  assert.equal(getCapture(rec.owner), c);
  assert.equal(c.method, 'POST');
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.url, `http://127.0.0.1:${s.port}/v1/events?k=1`);
  assert.equal(c.headers['x-api-key'], 'k1');
});

test('egress end(chunk) only, headers set after creation are captured', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 1 << 20);
  req.setHeader('Content-Type', 'application/json');
  req.setHeader('X-Multi', ['a', 'b']);
  req.end('{"phone":"+14155550100"}');
  await done;
  await s.close();
  const c = rec.captures[0] as EgressCapture;
  assert.ok(bodyBytes(c.body).equals(s.got[0].body));
  assert.equal(c.headers['content-type'], 'application/json');
  assert.deepEqual(c.headers['x-multi'], ['a', 'b']);
  assert.equal(c.headers.host, `127.0.0.1:${s.port}`);
});

test('egress end(cb) with no body: empty complete capture', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 1 << 20);
  let called = false;
  req.end(() => { called = true; });
  await done;
  await s.close();
  assert.equal(called, true);
  assert.equal(rec.captures[0].body.bytes, 0);
  assert.deepEqual(rec.completions.map((x) => x.complete), [true]);
});

test('egress piped from a Readable', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 1 << 20);
  const data = bytes(300_000, 3);
  Readable.from(split(data, 10)).pipe(req);
  await done;
  await s.close();
  assert.ok(s.got[0].body.equals(data));
  assert.ok(bodyBytes(rec.captures[0].body).equals(data));
  assert.equal(rec.captures[0].body.complete, true);
});

test('egress latin1 strings are captured as the bytes sent', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 1 << 20);
  req.write('café ÿ ', 'latin1');
  req.end('naïve', 'latin1');
  await done;
  await s.close();
  assert.ok(s.got[0].body.equals(Buffer.from('café ÿ naïve', 'latin1')));
  assert.ok(bodyBytes(rec.captures[0].body).equals(s.got[0].body));
});

test('egress over the limit: truncated prefix (also inside a UTF-8 string), server gets all', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const { req, done } = start(s.port, rec, 10);
  req.write('ab😀cdefghijklmnop');
  req.end(Buffer.from('tail'));
  await done;
  await s.close();
  const sent = Buffer.from('ab😀cdefghijklmnoptail');
  assert.ok(s.got[0].body.equals(sent));
  const c = rec.captures[0];
  assert.equal(c.body.bytes, 10);
  assert.equal(c.body.truncated, true);
  assert.equal(c.body.complete, true);
  assert.ok(bodyBytes(c.body).equals(sent.subarray(0, 10)));
});

test('egress destroyed before end: onComplete once with complete=false', LIMIT, async () => {
  const s = await sink();
  const rec = recorder();
  const req = http.request({ host: '127.0.0.1', port: s.port, method: 'POST', path: '/', agent: false });
  captureOutgoing(rec.owner, req, { limit: 100, onComplete: rec.onComplete });
  req.on('error', () => undefined);
  req.write('partial');
  req.destroy();
  req.destroy();
  await s.close();
  assert.deepEqual(rec.completions.map((x) => x.complete), [false]);
  assert.equal(bodyBytes(rec.captures.length ? rec.captures[0].body : (getCapture(rec.owner) as EgressCapture).body).toString(), 'partial');
});

test('egress url: lowercase host with port, absolute proxy path, junk input never throws', LIMIT, () => {
  const owner = {};
  const req = http.request({ host: 'API.Example.COM', port: 443, path: '/x', protocol: 'http:', agent: false, method: 'PUT' });
  req.on('error', () => undefined);
  const c = captureOutgoing(owner, req, { limit: 10 });
  req.destroy();
  assert.equal(c.host, 'api.example.com');
  assert.equal(c.url, 'http://api.example.com:443/x');
  assert.equal(c.method, 'PUT');

  const secure = https.request({ host: 'Graph.Facebook.com', path: '/v21.0/1/events', method: 'POST' });
  secure.on('error', () => undefined);
  const sc = captureOutgoing({}, secure, { limit: 10 });
  secure.destroy();
  assert.equal(sc.url, 'https://graph.facebook.com/v21.0/1/events');
  assert.equal(sc.host, 'graph.facebook.com');

  const viaProxy = http.request({ host: '127.0.0.1', port: 1, path: 'http://Track.Vendor.io:8080/p?q=1', agent: false });
  viaProxy.on('error', () => undefined);
  const p = captureOutgoing({}, viaProxy, { limit: 10 });
  viaProxy.destroy();
  assert.equal(p.url, 'http://Track.Vendor.io:8080/p?q=1');
  assert.equal(p.host, 'track.vendor.io');

  let late = 0;
  const ended = http.request({ host: '127.0.0.1', port: 1, path: '/late', agent: false });
  ended.on('error', () => undefined);
  ended.end('gone');
  const l = captureOutgoing({}, ended, { limit: 10, onComplete: () => { late++; } });
  ended.destroy();
  assert.equal(late, 1);
  assert.equal(l.body.complete, false);

  const junk = captureOutgoing({}, {} as http.ClientRequest, { limit: 10 });
  assert.equal(junk.kind, 'egress');
  const junk2 = captureOutgoing({}, null as unknown as http.ClientRequest, { limit: 10 });
  assert.ok((junk2 as { error?: string }).error);
});
