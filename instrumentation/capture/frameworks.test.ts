// The ingress hook under real frameworks: each app must parse exactly what it parses without it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { bodyBytes, captureIncoming } from './index';
import { listen, recorder, send, type Recorder, type Reply, type Sent, closeAll, LIMIT } from './harness.test';

after(closeAll);
import type { IngressCapture } from '../../span-processor/types';

/* eslint-disable @typescript-eslint/no-explicit-any -- the frameworks ship without types here */
const express: any = require('express');
const multer: any = require('multer');
const Fastify: any = require('fastify');
const Koa: any = require('koa');

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function hooked(handler: Handler, rec: Recorder | null, limit: number): Handler {
  return (req, res) => {
    if (rec) rec.captures.push(captureIncoming(rec.owner, req, { limit, onComplete: rec.onComplete }));
    handler(req, res);
  };
}

/** Runs the same request against the app without and with the hook; returns both replies. */
async function compare(make: (rec: Recorder | null) => Promise<{ port: number; close: () => Promise<void> }>,
  sent: Sent): Promise<{ base: Reply; withCapture: Reply; rec: Recorder }> {
  const plain = await make(null);
  const base = await send(plain.port, sent);
  await plain.close();
  const rec = recorder();
  const s = await make(rec);
  const withCapture = await send(s.port, sent);
  await rec.completed();
  await s.close();
  return { base, withCapture, rec };
}

function expressApp(limit: number) {
  return async (rec: Recorder | null) => {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    const router = express.Router();
    router.post('/items', (req: any, res: any) => { res.json({ url: req.url, body: req.body }); });
    app.use('/api', router);
    const upload = multer({ storage: multer.memoryStorage() });
    app.post('/upload', upload.single('doc'), (req: any, res: any) => {
      res.json({ fields: req.body, file: req.file && { name: req.file.originalname, data: req.file.buffer.toString('base64') } });
    });
    return listen(http.createServer(hooked(app, rec, limit)));
  };
}

function jsonBody(obj: unknown): Sent {
  const body = Buffer.from(JSON.stringify(obj));
  return { path: '/api/items?z=1', body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } };
}

const PERSON = { email: 'jane.doe@example.com', phone: '+1 415 555 0100', note: 'é ünïcode ✓' };

test('express.json: same parsed body; capture complete; target before router rewrite', LIMIT, async () => {
  const sent = jsonBody(PERSON);
  const { base, withCapture, rec } = await compare(expressApp(1 << 20), sent);
  assert.deepEqual(JSON.parse(withCapture.body.toString()), JSON.parse(base.body.toString()));
  assert.deepEqual(JSON.parse(withCapture.body.toString()), { url: '/items?z=1', body: PERSON });
  const c = rec.captures[0] as IngressCapture;
  assert.ok(bodyBytes(c.body).equals(sent.body as Buffer));
  assert.equal(c.body.complete, true);
  assert.equal(c.target, '/api/items?z=1');
  assert.equal(c.headers['content-type'], 'application/json');
});

test('express.json over the limit: app parses the whole body, capture truncated', LIMIT, async () => {
  const big = { ...PERSON, pad: 'x'.repeat(50_000) };
  const sent = jsonBody(big);
  const { withCapture, rec } = await compare(expressApp(64), sent);
  assert.deepEqual(JSON.parse(withCapture.body.toString()).body, big);
  const c = rec.captures[0];
  assert.equal(c.body.bytes, 64);
  assert.equal(c.body.truncated, true);
  assert.ok(bodyBytes(c.body).equals((sent.body as Buffer).subarray(0, 64)));
});

test('express.urlencoded: same parsed form', LIMIT, async () => {
  const body = Buffer.from('email=jane%40example.com&name=Jane+Doe');
  const sent: Sent = { path: '/api/items', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) } };
  const { base, withCapture, rec } = await compare(expressApp(1 << 20), sent);
  assert.equal(withCapture.body.toString(), base.body.toString());
  assert.deepEqual(JSON.parse(withCapture.body.toString()).body, { email: 'jane@example.com', name: 'Jane Doe' });
  assert.ok(bodyBytes(rec.captures[0].body).equals(body));
});

test('multer multipart: same fields and file bytes', LIMIT, async () => {
  const boundary = '----sstboundary42';
  const fileData = Buffer.from([0, 1, 2, 255, 254, 13, 10, 45, 45]);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\njane@example.com\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    fileData,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const sent: Sent = { path: '/upload', body: [body.subarray(0, 50), body.subarray(50)], headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  const { base, withCapture, rec } = await compare(expressApp(1 << 20), sent);
  const parsed = JSON.parse(withCapture.body.toString());
  assert.deepEqual(parsed, JSON.parse(base.body.toString()));
  assert.equal(parsed.fields.email, 'jane@example.com');
  assert.ok(Buffer.from(parsed.file.data, 'base64').equals(fileData));
  assert.ok(bodyBytes(rec.captures[0].body).equals(body));
  assert.equal(rec.captures[0].body.complete, true);
});

test('fastify (serverFactory): same parsed JSON', LIMIT, async () => {
  const make = async (rec: Recorder | null) => {
    let server: http.Server | undefined;
    const app = Fastify({ serverFactory: (handler: Handler) => (server = http.createServer(hooked(handler, rec, 1 << 20))) });
    app.post('/f', async (request: any) => ({ got: request.body }));
    await app.ready();
    const running = await listen(server as http.Server);
    return { port: running.port, close: async () => { await running.close(); await app.close(); } };
  };
  const body = Buffer.from(JSON.stringify(PERSON));
  const sent: Sent = { path: '/f', body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } };
  const { base, withCapture, rec } = await compare(make, sent);
  assert.equal(withCapture.body.toString(), base.body.toString());
  assert.deepEqual(JSON.parse(withCapture.body.toString()), { got: PERSON });
  assert.ok(bodyBytes(rec.captures[0].body).equals(body));
  assert.equal(rec.captures[0].body.complete, true);
});

test('koa reading ctx.req: same bytes', LIMIT, async () => {
  const make = async (rec: Recorder | null) => {
    const app = new Koa();
    app.use(async (ctx: any) => {
      const parts: Buffer[] = [];
      for await (const c of ctx.req) parts.push(c as Buffer);
      ctx.body = Buffer.concat(parts);
    });
    return listen(http.createServer(hooked(app.callback(), rec, 1 << 20)));
  };
  const body = Buffer.from('name=Jane&card=4111111111111111'.repeat(500));
  const { base, withCapture, rec } = await compare(make, { path: '/k', body: [body.subarray(0, 7000), body.subarray(7000)] });
  assert.ok(withCapture.body.equals(base.body));
  assert.ok(withCapture.body.equals(body));
  assert.ok(bodyBytes(rec.captures[0].body).equals(body));
  assert.equal(rec.captures[0].body.complete, true);
});
