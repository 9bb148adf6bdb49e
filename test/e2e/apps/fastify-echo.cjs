'use strict';
// A fastify 5 service with one job: POST /echo answers a digest of the body as the framework
// handed it to the app (JSON through the app's own parser, anything else as a buffer).
// Used to prove the instrumentation does not change what an app receives.
const crypto = require('node:crypto');
const Fastify = require('fastify');

const BODY_LIMIT = 10 * 1024 * 1024;
const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });

app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
  req.rawBody = body;
  try {
    done(null, JSON.parse(body.toString('utf8')));
  } catch {
    const err = new Error('invalid json');
    err.statusCode = 400;
    done(err, undefined);
  }
});
app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
  req.rawBody = body;
  done(null, body);
});

app.get('/health', async (_req, reply) => reply.type('text/plain').send('ok'));

app.post('/echo', async (req) => {
  const raw = req.raw.rawBody || req.rawBody || Buffer.alloc(0);
  const parsed = Buffer.isBuffer(req.body) ? 'raw' : req.body && typeof req.body === 'object' ? Object.keys(req.body).sort() : null;
  return { sha256: crypto.createHash('sha256').update(raw).digest('hex'), contentType: req.headers['content-type'] || null, length: raw.length, parsed };
});

app.post('/unread', async (_req, reply) => reply.type('text/plain').send('unread'));

app.setErrorHandler((err, _req, reply) => {
  reply.status(err.statusCode || 500).send({ error: err.code || err.message });
});

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  process.stdout.write(`READY ${app.server.address().port}\n`);
}, (e) => {
  console.error('[fastify] listen failed:', e.message);
  process.exitCode = 1;
});

process.on('SIGTERM', () => {
  app.close().catch((e) => console.error('[fastify] close failed:', e.message));
});
