#!/usr/bin/env node
// `npm run demo`: Budget Tracker (examples/budget-tracker, an express 5 service that never mentions
// the instrumentation) runs under `node --import @sst/otel-auto` against loopback fakes of every
// vendor it uses (Meta CAPI, Segment, SendGrid, OpenAI, HubSpot, a risk partner). A few dozen
// people sign up, log in, track expenses and ask for AI tips; then the nightly CRM sync runs. The
// service is stopped with SIGTERM, its span spool is loaded into the embedded store and
// `sst report` tells what personal data went where. Nothing leaves the machine.
//
// Environment (all optional): SST_DEMO_DIR (work dir, default .sst/demo), SST_DEMO_HTML (default
// .sst/report.html, or <SST_DEMO_DIR>/report.html), SST_DEMO_USERS (default 36, at most 80),
// SST_DEMO_BUILD=0 (never build; the test sets it after `npm run build`), SST_DEMO_PGURL (run the
// service on PostgreSQL instead of SQLite, in a schema that each run recreates: SST_DEMO_PG_SCHEMA,
// default budget_tracker_demo).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driveTraffic, makePeople } from './demo/traffic.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const exampleDir = join(root, 'examples', 'budget-tracker');
const demoDir = process.env.SST_DEMO_DIR ? resolve(process.env.SST_DEMO_DIR) : join(root, '.sst', 'demo');
const htmlFile = resolve(process.env.SST_DEMO_HTML ?? (process.env.SST_DEMO_DIR ? join(demoDir, 'report.html') : join(root, '.sst', 'report.html')));
const userCount = Math.min(80, Math.max(3, Number(process.env.SST_DEMO_USERS ?? 36) || 36));
const spoolDir = join(demoDir, 'spool');
const storeDir = join(demoDir, 'clickhouse');
const groundTruthFile = join(demoDir, 'ground-truth.json');
const ADMIN_TOKEN = 'demo-admin-token-7f3a9c';
const tty = Boolean(process.stdout.isTTY);
const rel = (p) => (p.startsWith(root + '/') ? relative(root, p) : p);
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// ------------------------------------------------------------------------------------------------
// build and package link

const SOURCE_DIRS = ['instrumentation', 'span-processor', 'export', 'clickhouse', 'cli', 'test'];

function newestSource(dir, newest = 0) {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return newest; }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') newest = newestSource(p, newest); } else if (/\.(ts|mts|ya?ml|sql|cjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const marker = join(root, 'dist', 'cli', 'sst.js');
  const harness = join(root, 'dist', 'test', 'e2e', 'harness', 'fakes.js');
  const have = existsSync(marker) && existsSync(harness);
  if (process.env.SST_DEMO_BUILD === '0') {
    if (!have) throw new Error('dist/ is missing and SST_DEMO_BUILD=0: run `npm run build` first');
    return;
  }
  if (have && SOURCE_DIRS.reduce((n, d) => newestSource(join(root, d), n), 0) <= statSync(marker).mtimeMs) return;
  console.log(have ? 'sources changed since the last build: building …' : 'building …');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status === 0) return;
  if (!have) process.exit(b.status ?? 1);
  console.log('(the build failed; running with the existing dist/)');
}

/** examples/budget-tracker/node_modules/@sst/otel-auto → the repo root: what npm's `file:../..` makes. */
function linkPackage() {
  const link = join(exampleDir, 'node_modules', '@sst', 'otel-auto');
  const target = relative(dirname(link), root); // ../../../..
  try {
    const st = lstatSync(link);
    if (st.isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === root) return;
    rmSync(link, { recursive: true, force: true });
  } catch { /* missing */ }
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
}

/** A fresh start that removes only what an earlier run left (SST_DEMO_DIR may point anywhere). */
function cleanDemoDir() {
  const ours = /^(spool|clickhouse|ground-truth\.json|service\.log|report\.html|budget-tracker\.db(-wal|-shm)?)$/;
  let names = [];
  try { names = readdirSync(demoDir); } catch { return; }
  for (const n of names.filter((x) => ours.test(x))) rmSync(join(demoDir, n), { recursive: true, force: true });
}

// ------------------------------------------------------------------------------------------------
// the service

const PG_SCHEMA = process.env.SST_DEMO_PG_SCHEMA || 'budget_tracker_demo';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(PG_SCHEMA)) throw new Error(`SST_DEMO_PG_SCHEMA "${PG_SCHEMA}" is not a plain lowercase identifier`);

/** SST_DEMO_PGURL: a fresh schema for the service's tables, selected through the URL's options. */
async function freshPgSchema(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE; CREATE SCHEMA ${PG_SCHEMA}`);
  } finally {
    await client.end();
  }
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${PG_SCHEMA}`)}`;
}

function startService(fakes, certs, harness, pgUrl) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? demoDir,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TZ: 'UTC',
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    SQLITE_FILE: join(demoDir, 'budget-tracker.db'),
    ...(pgUrl ? { PGURL: pgUrl } : {}),
    ADMIN_TOKEN,
    // Vendor credentials: fakes accept anything.
    META_ACCESS_TOKEN: 'EAAdemoFakeAccessToken0123456789', META_PIXEL_ID: '918273645501234',
    SEGMENT_WRITE_KEY: 'demoSegmentWriteKey0123456789',
    SENDGRID_API_KEY: 'SG.demo-fake-key.0123456789abcdef',
    OPENAI_API_KEY: 'sk-demo-fake-0123456789abcdef',
    HUBSPOT_TOKEN: 'pat-na1-demo-fake-0123',
    RISK_API_KEY: 'risk-demo-token',
    // The instrumentation: spans to the spool (the embedded store loads it), keyed fingerprints.
    OTEL_SERVICE_NAME: 'budget-tracker',
    SST_SPOOL: 'true',
    SST_SPOOL_DIR: spoolDir,
    SST_FINGERPRINT_KEY: harness.FINGERPRINT_KEY,
    // The fakes: every vendor hostname resolves to their loopback address; their CA is trusted.
    NODE_EXTRA_CA_CERTS: certs.caFile,
    SST_TEST_FAKE_ADDR: fakes.address,
  };
  const log = createWriteStream(join(demoDir, 'service.log'));
  const child = spawn(process.execPath, ['--require', harness.DNS_PRELOAD, '--import', '@sst/otel-auto', 'src/server.js'], {
    cwd: exampleDir, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (s) => { log.write(s); if (output.length < 1e6) output += s; };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise((res) => child.on('close', (code, signal) => { log.end(); res({ code, signal }); }));
  const ready = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`the service did not start within 30 s:\n${output.slice(-2000)}`)), 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+) \((\w+)\)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      res({ baseUrl: m[1], db: m[2] });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => { clearTimeout(timer); rej(new Error(`the service exited before listening (code ${code}, signal ${signal}):\n${output.slice(-2000)}`)); });
  });
  return { child, ready, exited, output: () => output };
}

async function stopService(svc) {
  const t0 = Date.now();
  svc.child.kill('SIGTERM');
  const timer = setTimeout(() => svc.child.kill('SIGKILL'), 15_000);
  const { code, signal } = await svc.exited;
  clearTimeout(timer);
  return { code, signal, ms: Date.now() - t0 };
}

// ------------------------------------------------------------------------------------------------
// the store, through the CLI's own entry point

function cli(harness) {
  const { main } = require(join(root, 'dist', 'cli', 'sst.js'));
  const env = { ...process.env, SST_FINGERPRINT_KEY: harness.FINGERPRINT_KEY, SST_SPOOL_DIR: spoolDir };
  return async (args, { quiet = false } = {}) => {
    let out = '';
    let err = '';
    const io = {
      out: (t) => { if (quiet) out += t; else process.stdout.write(t); },
      err: (t) => { if (quiet) err += t; else process.stderr.write(t); },
      errIsTty: Boolean(process.stderr.isTTY) && !quiet,
    };
    const code = await main(['--store', storeDir, ...args], io, env, root);
    return { code, out, err };
  };
}

// ------------------------------------------------------------------------------------------------

async function run() {
  buildIfNeeded();
  linkPackage();
  const harness = {
    ...require(join(root, 'dist/test/e2e/harness/hosts.js')),
    ...require(join(root, 'dist/test/e2e/harness/certs.js')),
    ...require(join(root, 'dist/test/e2e/harness/fakes.js')),
    DNS_PRELOAD: join(root, 'dist/test/e2e/harness/dns-to-fakes.cjs'),
  };
  cleanDemoDir();
  mkdirSync(spoolDir, { recursive: true });

  console.log('Budget Tracker (examples/budget-tracker) under `node --import @sst/otel-auto`; every vendor is a loopback fake.');
  const certs = harness.makeCerts([...harness.VENDOR_HOSTS, ...harness.FIRST_PARTY_HOSTS]);
  const fakes = new harness.FakeVendors(certs);
  await fakes.start();
  const pgUrl = process.env.SST_DEMO_PGURL ? await freshPgSchema(process.env.SST_DEMO_PGURL) : undefined;
  const svc = startService(fakes, certs, harness, pgUrl);
  let truth;
  let stopped;
  try {
    const { baseUrl, db } = await svc.ready;
    console.log(`service ${baseUrl} (${db}) · fakes on ${fakes.address}:443 for ${harness.VENDOR_HOSTS.length} vendor hosts`);
    const people = makePeople(userCount);
    let lastLine = '';
    const progress = (done, total, c) => {
      lastLine = `traffic: ${done}/${total} people signed up, logged in, added expenses · ${c.requests} requests · ${c.errors} server errors`;
      if (tty) process.stdout.write(`\r${lastLine}\x1b[K`);
    };
    truth = await driveTraffic(baseUrl, people, { adminToken: ADMIN_TOKEN, onProgress: progress });
    if (tty) process.stdout.write('\r\x1b[K');
    const u = truth.users;
    console.log(`traffic: ${u.length} people (${u.filter((x) => x.marketingConsent).length} accepted marketing) · ${u.reduce((n, x) => n + x.expenses, 0)} expenses · ${u.filter((x) => x.askedInsights).length} AI insights · ${u.filter((x) => x.upgraded).length} upgrades · CRM sync ${truth.crmSync.exported} contacts · ${truth.requests} requests, ${truth.serverErrors} server errors`);
  } finally {
    stopped = await stopService(svc);
    await fakes.stop();
  }
  const vendorCalls = fakes.requests.length;
  console.log(`service stopped (SIGTERM → exit ${stopped.code ?? stopped.signal} in ${stopped.ms} ms) · ${vendorCalls} calls reached the fakes: ${fakes.hosts().join(', ')}`);
  if (stopped.code !== 0) console.log(`(the service did not exit cleanly; its log: ${rel(join(demoDir, 'service.log'))})`);
  writeFileSync(groundTruthFile, JSON.stringify({
    service: 'budget-tracker', users: truth.users, crmSync: truth.crmSync, requests: truth.requests,
    serverErrors: truth.serverErrors, vendorCalls, vendorHosts: fakes.hosts(), exit: stopped,
  }, null, 2));

  if (!existsSync(join(root, 'node_modules', 'chdb'))) {
    console.log('\n(chdb, an optional dependency, is not installed: no lineage store, no report)');
    return { truth };
  }
  const sst = cli(harness);
  console.log('\n$ sst ingest');
  const ing = await sst(['ingest']);
  if (ing.code !== 0) throw new Error(`sst ingest failed (exit ${ing.code})`);

  console.log('\n$ sst report');
  const withHtml = await sst(['report', '--no-ingest', '--html', htmlFile], { quiet: true });
  let htmlNote;
  if (withHtml.code === 0 && existsSync(htmlFile)) {
    process.stdout.write(withHtml.out);
  } else {
    htmlNote = (withHtml.err.trim() || `exit ${withHtml.code}`).split('\n')[0];
    const plain = await sst(['report', '--no-ingest']);
    if (plain.code !== 0) throw new Error(`sst report failed (exit ${plain.code})`);
  }
  console.log(htmlNote ? `\nHTML report: not written (${htmlNote})` : `\nHTML report: ${htmlFile}`);

  const ex = truth.users.find((x) => x.marketingConsent && x.askedInsights) ?? truth.users[0];
  const store = `--store ${rel(storeDir)}`;
  console.log('\nTry next:');
  console.log(`  SST_FINGERPRINT_KEY=${harness.FINGERPRINT_KEY} node dist/cli/sst.js ${store} lineage --value ${ex.email}`);
  console.log(`  node dist/cli/sst.js ${store} shares --vendor openai --limit 5`);
  console.log(`  node dist/cli/sst.js ${store} sql "SELECT DestinationVendor AS vendor, arrayJoin(Categories) AS category, count() AS shares FROM otel.sst_shares GROUP BY vendor, category ORDER BY vendor, shares DESC"`);
  console.log(`\ndone in ${secs()} (ground truth for the test: ${rel(groundTruthFile)})`);
  return { truth };
}

run().catch((e) => {
  console.error(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
