// A newsletter sign-up (ESM, bare node:http). It knows nothing about instrumentation.
// POST /subscribe (url-encoded email, name, phone, consent) → HubSpot contact (node-fetch, plain
// email and name), Klaviyo profile (superagent, md5 of the email as external_id), Customer.io
// lookup (https.request GET with the email in the URL path).
// POST /echo returns a digest of the body as read with req.on('data'); POST /unread answers
// without reading the body; GET /health answers "ok".
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import fetch from 'node-fetch';
import superagent from 'superagent';

const MAX_BODY = 10 * 1024 * 1024;
const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex');

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function customerIoLookup(email) {
  const auth = Buffer.from('e2e-site-id:e2e-api-key').toString('base64');
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: 'track.customer.io',
      path: `/api/v1/customers/${encodeURIComponent(email)}/attributes`,
      method: 'GET',
      headers: { authorization: `Basic ${auth}`, accept: 'application/json' },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve(res.statusCode) : reject(new Error(`customer.io answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function subscribe(form) {
  const email = String(form.email || '').trim();
  const [firstname, ...rest] = String(form.name || '').trim().split(/\s+/);
  const calls = {
    hubspot: async () => {
      const res = await fetch('https://api.hubapi.com/crm/v3/objects/contacts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer pat-e2e-fake' },
        body: JSON.stringify({ properties: { email, firstname, lastname: rest.join(' '), hs_legal_basis: form.consent === 'yes' ? 'Freely given consent from contact' : 'none' } }),
      });
      if (!res.ok) throw new Error(`hubspot answered ${res.status}`);
      return res.json();
    },
    klaviyo: () => superagent
      .post('https://a.klaviyo.com/api/profiles')
      .set('authorization', 'Klaviyo-API-Key pk_e2e_fake')
      .set('revision', '2024-10-15')
      .send({ data: { type: 'profile', attributes: { external_id: md5(email.toLowerCase()), properties: { newsletter: true, consent: form.consent } } } }),
    customerio: () => customerIoLookup(email),
  };
  const names = Object.keys(calls);
  const results = await Promise.allSettled(names.map((n) => calls[n]()));
  const failed = names.filter((_, i) => results[i].status === 'rejected');
  for (const n of failed) {
    const reason = results[names.indexOf(n)].reason;
    console.error(`[subscribe] ${n} failed: ${reason && (reason.code || reason.name)}`);
  }
  return failed;
}

function echo(req, res) {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('error', () => {});
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] || null;
    let parsed = 'raw';
    if (contentType && contentType.includes('json') && !req.headers['content-encoding']) {
      try {
        const v = JSON.parse(raw.toString('utf8'));
        parsed = v && typeof v === 'object' ? Object.keys(v).sort() : typeof v;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'invalid json' }));
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sha256: createHash('sha256').update(raw).digest('hex'), contentType, length: raw.length, parsed }));
  });
}

const server = http.createServer(async (req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok');
  }
  if (req.method === 'POST' && path === '/echo') return echo(req, res);
  if (req.method === 'POST' && path === '/unread') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('unread');
  }
  if (req.method === 'POST' && path === '/subscribe') {
    try {
      const failed = await subscribe(await readForm(req));
      res.writeHead(failed.length ? 502 : 200, { 'content-type': 'text/plain' });
      return res.end(failed.length ? `failed: ${failed.join(',')}` : 'ok');
    } catch (e) {
      res.writeHead(e.status || 500, { 'content-type': 'text/plain' });
      return res.end('error');
    }
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
});
