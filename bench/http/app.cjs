'use strict';
// The benchmarked service: an ordinary express signup endpoint that knows nothing about
// instrumentation. Per request: a JSON body with a person's data, one write, one outbound vendor
// call carrying the SHA-256 of the email (a Meta Conversions API event), a JSON response.
// The write is an append to a file through one open handle (a thread-pool round trip standing in
// for a database insert: neither better-sqlite3 nor pg is installed here).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const express = require('express');

const vendorUrl = process.env.BENCH_VENDOR_URL;
const dbFile = path.join(os.tmpdir(), `sst-bench-db-${process.pid}.jsonl`);

async function main() {
  const db = await fs.promises.open(dbFile, 'a');
  process.on('exit', () => { try { fs.unlinkSync(dbFile); } catch { /* gone */ } });
  const app = express();
  app.use(express.json({ limit: '100kb' }));

  app.post('/signup', async (req, res, next) => {
    try {
      const p = req.body;
      const id = crypto.randomUUID();
      await db.write(JSON.stringify({ id, email: p.email, phone: p.phone, first: p.firstName, last: p.lastName, city: p.address.city, zip: p.address.zip }) + '\n');
      const em = crypto.createHash('sha256').update(p.email.trim().toLowerCase()).digest('hex');
      const r = await fetch(vendorUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          data: [{
            event_name: 'CompleteRegistration', event_time: Math.floor(Date.now() / 1000), action_source: 'website',
            event_id: id, user_data: { em: [em], client_user_agent: req.get('user-agent') || '' },
          }],
        }),
      });
      const vendor = await r.json();
      res.json({ id, status: 'registered', eventsReceived: vendor.events_received });
    } catch (e) {
      next(e);
    }
  });
  app.get('/health', (_req, res) => res.json({ ok: true }));

  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`ready ${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
