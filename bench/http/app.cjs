'use strict';
// The benchmarked service: an ordinary express signup endpoint that knows nothing about
// instrumentation. Per request: a JSON body with a person's data, one SQLite insert (better-sqlite3,
// a file database in WAL mode), one outbound vendor call carrying the SHA-256 of the email (a Meta
// Conversions API event), a JSON response.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');
const express = require('express');
const Database = require('better-sqlite3');

const vendorUrl = process.env.BENCH_VENDOR_URL;
// The database file lives in memory (tmpfs) where there is one: every configuration does the same
// SQLite work, but the disk's fsync stalls (100-340 ms a few times a minute on this VM, at WAL
// checkpoints) would land on whichever measurement they hit and decide its p99. BENCH_DB_DIR overrides.
const dbDir = process.env.BENCH_DB_DIR || (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
const dbFile = path.join(dbDir, `sst-bench-db-${process.pid}.sqlite`);

/**
 * What stalls this thread, for the runner to set beside a measurement's latency tail: the event
 * loop's delay (how late a 5 ms timer fires: JS that ran long, GC, or the OS not scheduling the
 * thread) and V8's GC pauses on this thread. On SIGUSR2 it prints one `loop {json}` line covering
 * the time since the last SIGUSR2 and starts over; no request is added, so no span either.
 */
function watchStalls() {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  let since = performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      if (e.duration > gc.maxMs) gc.maxMs = e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  delay.enable();
  process.on('SIGUSR2', () => {
    // the histogram holds whole timer intervals: the delay is what exceeds the 5 ms resolution
    const ms = (ns) => Math.max(0, Math.round((ns - 5e6) / 1e4) / 100);
    const now = performance.now();
    const out = {
      seconds: Math.round(now - since) / 1000,
      delayP50Ms: ms(delay.percentile(50)), delayP99Ms: ms(delay.percentile(99)), delayMaxMs: ms(delay.max),
      gcCount: gc.count, gcMsPerSecond: Math.round((gc.totalMs * 1000 / (now - since)) * 100) / 100, gcMaxMs: Math.round(gc.maxMs * 100) / 100,
    };
    process.stdout.write(`loop ${JSON.stringify(out)}\n`);
    delay.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    since = now;
  });
}

async function main() {
  watchStalls();
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS signups (id TEXT PRIMARY KEY, email TEXT, phone TEXT, first_name TEXT, last_name TEXT, city TEXT, zip TEXT, created_at INTEGER)');
  const insert = db.prepare('INSERT INTO signups (id, email, phone, first_name, last_name, city, zip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  process.on('exit', () => {
    try { db.close(); } catch { /* closed */ }
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) { try { fs.unlinkSync(f); } catch { /* gone */ } }
  });
  const app = express();
  app.use(express.json({ limit: '100kb' }));

  app.post('/signup', async (req, res, next) => {
    try {
      const p = req.body;
      const id = crypto.randomUUID();
      insert.run(id, p.email, p.phone, p.firstName, p.lastName, p.address.city, p.address.zip, Date.now());
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
