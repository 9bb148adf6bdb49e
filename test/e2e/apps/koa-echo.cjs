'use strict';
// A koa 3 service with one job: POST /echo reads the body itself (gunzipping a gzip body, parsing
// JSON) and answers a digest of what it read. Used to prove the instrumentation does not change
// what an app receives.
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const Koa = require('koa');

const MAX_BODY = 10 * 1024 * 1024;

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY) throw Object.assign(new Error('too large'), { status: 413, expose: true });
    chunks.push(c);
  }
  const raw = Buffer.concat(chunks);
  if ((req.headers['content-encoding'] || '').toLowerCase() === 'gzip') {
    try {
      return zlib.gunzipSync(raw);
    } catch {
      throw Object.assign(new Error('bad gzip'), { status: 400, expose: true });
    }
  }
  return raw;
}

const app = new Koa();
app.silent = true;

app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/health') {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/unread') {
    ctx.type = 'text/plain';
    ctx.body = 'unread';
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/echo') {
    let raw;
    try {
      raw = await readBody(ctx.req);
    } catch (e) {
      ctx.status = e.status || 400;
      ctx.body = { error: e.expose ? e.message : 'aborted' };
      return;
    }
    let parsed = 'raw';
    if (ctx.is('json')) {
      try {
        const v = JSON.parse(raw.toString('utf8'));
        parsed = v && typeof v === 'object' ? Object.keys(v).sort() : typeof v;
      } catch {
        ctx.status = 400;
        ctx.body = { error: 'invalid json' };
        return;
      }
    }
    ctx.body = { sha256: crypto.createHash('sha256').update(raw).digest('hex'), contentType: ctx.get('content-type') || null, length: raw.length, parsed };
    return;
  }
  ctx.status = 404;
  ctx.body = 'not found';
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
});
