// What one traced better-sqlite3 INSERT costs, per thread, without HTTP around it (issue 8): the
// HTTP benchmark's (c) minus (e) mixes the DB flow with how the machine schedules a busier process;
// this isolates it. A child process runs the HTTP benchmark's INSERT (file database, WAL) inside a
// root span, 20k times in slices of 500 (the event loop turns between slices, so the hand-off and
// the analysis thread run as in a service), under one of three preloads:
//   full       node --import @sst/otel-auto (the DB span, its capture, the store flow)
//   http-only  the same with OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,undici (no DB span: the root
//              span and its hand-off only)
//   disabled   SST_DISABLED=true (nothing: the INSERT itself)
// It prints CPU µs per INSERT of the app's thread (from /proc, 10 ms ticks) and of the process
// (process.cpuUsage) measured 1.5 s after the loop, once the analysis thread has caught up. Nothing is
// registered at ingress here, so the store flow also registers the row's people.
//   node bench/db-span-cost.cjs [entry.mjs] [rounds]   (entry: dist/instrumentation/entry.mjs)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N = 20000;

async function child() {
  const Database = require('better-sqlite3');
  const { trace, context } = require('@opentelemetry/api');
  const file = path.join(os.tmpdir(), `sst-db-span-cost-${process.pid}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS signups (id TEXT PRIMARY KEY, email TEXT, phone TEXT, first_name TEXT, last_name TEXT, city TEXT, zip TEXT, created_at INTEGER)');
  const insert = db.prepare('INSERT INTO signups (id, email, phone, first_name, last_name, city, zip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const mainTicks = () => {
    const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
  const tracer = trace.getTracer('db-span-cost');
  let n = 0;
  const slice = (k) => {
    for (let i = 0; i < k; i++) {
      const span = tracer.startSpan('request');
      context.with(trace.setSpan(context.active(), span), () => {
        n++;
        insert.run(`id-${n}`, `user${n}@example.com`, `+1415555${String(n % 10000).padStart(4, '0')}`, 'Maria', `Lopez${n % 1000}`, 'Springfield', '94110', Date.now());
      });
      span.end();
    }
  };
  const turn = () => new Promise((r) => setImmediate(r));
  slice(5000);
  await new Promise((r) => setTimeout(r, 1500));
  const m0 = mainTicks();
  const c0 = cpu();
  for (let j = 0; j < N / 500; j++) { slice(500); await turn(); }
  const m1 = mainTicks();
  await new Promise((r) => setTimeout(r, 1500));
  const c1 = cpu();
  const hz = 100; // USER_HZ
  process.stdout.write(JSON.stringify({ main: ((m1 - m0) / hz) * 1e6 / N, process: (c1 - c0) / N }) + '\n');
  db.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) { try { fs.unlinkSync(f); } catch { /* gone */ } }
  process.exit(0);
}

if (process.argv[2] === '--child') {
  child().catch((e) => { console.error(e); process.exit(1); });
} else {
  const root = path.join(__dirname, '..');
  const entry = path.resolve(process.argv[2] || path.join(root, 'dist', 'instrumentation', 'entry.mjs'));
  const rounds = Number(process.argv[3] || 3);
  const configs = {
    full: {},
    'http-only': { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' },
    disabled: { SST_DISABLED: 'true' },
  };
  const base = {
    PATH: process.env.PATH, HOME: process.env.HOME, SST_QUIET: 'true', OTEL_TRACES_EXPORTER: 'none',
    SST_FINGERPRINT_KEY: 'bench-key-bench-key-bench-key-0123456789',
  };
  const res = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(configs);
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      const out = spawnSync(process.execPath, ['--import', entry, __filename, '--child'], { cwd: root, env: { ...base, ...configs[name] }, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      res[name].push(JSON.parse(out.stdout.trim().split('\n').pop()));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`CPU µs per INSERT (medians of ${rounds} rounds of ${N}; ${entry}):`);
  console.log('| preload | app thread | process |');
  console.log('|---|---:|---:|');
  for (const name of Object.keys(configs)) {
    console.log(`| ${name} | ${median(res[name].map((x) => x.main)).toFixed(1)} | ${median(res[name].map((x) => x.process)).toFixed(1)} |`);
  }
}
