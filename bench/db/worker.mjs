// One configuration of the DB benchmark in its own process (instrumentation patches are
// process-wide): sets up the instrumentation first, then loads the drivers and measures each
// task with tinybench. Prints one JSON line with the results.
//   node bench/db/worker.mjs <none|otel|sst|sst-norows> <build dir>
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';

const require = createRequire(import.meta.url);
const [config, build] = process.argv.slice(2);
const TIME = Number(process.env.BENCH_TIME_MS || 1500);
const PGURL = process.env.PGURL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Discards spans: the cost measured is making and annotating them, not shipping them. */
const discard = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };

let drain = () => {};
let shutdown = async () => {};
if (config === 'otel') {
  // Plain OpenTelemetry: NodeSDK, the upstream pg instrumentation, our better-sqlite3 spans
  // (there is no upstream one), no SST span processor.
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
  const { BetterSqlite3Instrumentation } = require(join(build, 'instrumentation/db/better-sqlite3.js'));
  const sdk = new NodeSDK({
    serviceName: 'bench-db', spanProcessors: [new BatchSpanProcessor(discard)],
    instrumentations: [new PgInstrumentation(), new BetterSqlite3Instrumentation({ capture: { captureRows: false } })],
  });
  sdk.start();
  shutdown = () => sdk.shutdown();
} else if (config === 'sst' || config === 'sst-norows') {
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { start } = require(join(build, 'instrumentation/api.js'));
  const h = start({
    config: { db: { captureRows: config === 'sst' } },
    env: { SST_FINGERPRINT_KEY: 'bench-db-key-0123456789', OTEL_TRACES_EXPORTER: 'none', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg,better-sqlite3' },
    exportProcessors: [new BatchSpanProcessor(discard)], handleExit: false, esmHooks: false,
  });
  if (!h) throw new Error('sst did not start');
  // Span work is queued and drained off the request path; drained per iteration here so its
  // cost is inside the measured time instead of piling up behind a tight loop.
  drain = () => h.processor.drain();
  shutdown = () => h.shutdown();
}

const Database = require('better-sqlite3');
const pg = require('pg');

const dir = mkdtempSync(join(tmpdir(), 'sst-bench-db-'));
const sqlite = new Database(join(dir, 'bench.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, phone TEXT, city TEXT, plan TEXT)');
const people = (i) => [`person.${i}@example.com`, `Person Number${i}`, `+1 415 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`, 'Springfield', i % 3 ? 'pro' : 'free'];
const seed = sqlite.prepare('INSERT INTO users (email, name, phone, city, plan) VALUES (?, ?, ?, ?, ?)');
sqlite.transaction(() => { for (let i = 0; i < 1000; i++) seed.run(...people(i)); })();
sqlite.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT, qty INTEGER)');
const selectUsers = sqlite.prepare('SELECT id, email, name, phone, city FROM users WHERE id > ? ORDER BY id LIMIT 100');
const insertUser = sqlite.prepare('INSERT INTO users (email, name, phone, city, plan) VALUES (?, ?, ?, ?, ?)');
const insertItem = sqlite.prepare('INSERT INTO items (sku, qty) VALUES (?, ?)');

let pool;
let pgReason = null;
const table = `bench_users_${process.pid}`;
try {
  pool = new pg.Pool({ connectionString: PGURL, max: 1 });
  await pool.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, email text, name text, phone text, city text, plan text)`);
  await pool.query(`INSERT INTO ${table} (email, name, phone, city, plan) SELECT 'person.' || g || '@example.com', 'Person Number' || g, '+1 415 555 ' || (1000 + g), 'Springfield', 'pro' FROM generate_series(1, 1000) g`);
} catch (e) {
  pgReason = `PostgreSQL not reachable at ${PGURL}: ${e.message}`;
  pool = undefined;
}

let n = 0;
const bench = new Bench({ time: TIME, warmupTime: 300 });
bench.add('sqlite SELECT 100 rows', () => { selectUsers.all(n++ % 800); drain(); });
bench.add('sqlite INSERT (personal)', () => { insertUser.run(...people(n++)); drain(); });
bench.add('sqlite INSERT (no personal data)', () => { insertItem.run(`SKU-${n++}`, 3); drain(); });
if (pool) {
  bench.add('pg SELECT 100 rows', async () => { await pool.query(`SELECT id, email, name, phone, city FROM ${table} WHERE id > $1 ORDER BY id LIMIT 100`, [n++ % 800]); drain(); });
  bench.add('pg INSERT (personal)', async () => { await pool.query(`INSERT INTO ${table} (email, name, phone, city, plan) VALUES ($1, $2, $3, $4, $5)`, people(n++)); drain(); });
}
await bench.run();
const results = bench.tasks.map((t) => ({
  task: t.name,
  meanUs: t.result.latency.mean * 1000,
  p50Us: t.result.latency.p50 * 1000,
  p99Us: t.result.latency.p99 * 1000,
  rme: t.result.latency.rme,
  samples: t.result.latency.samples?.length ?? 0,
}));
if (pool) { await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {}); await pool.end(); }
sqlite.close();
rmSync(dir, { recursive: true, force: true });
await shutdown();
process.stdout.write(JSON.stringify({ config, results, pgReason }) + '\n');
