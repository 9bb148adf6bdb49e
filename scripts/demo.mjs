#!/usr/bin/env node
// `npm run demo`: an unmodified sign-up service (test/e2e/apps/express-register.cjs: Meta CAPI
// through facebook-nodejs-business-sdk, Segment, PostHog, SendGrid, GA4, Google Data Manager, a risk
// partner, the company's own accounts service) runs under `node --import @sst/otel-auto`, gets a
// few sign-ups, and the terminal shows what it collected and whom it shared it with, as which
// disguise, from the spans alone. Every vendor is a loopback fake; nothing leaves the machine.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
if (!existsSync(join(root, 'dist', 'test', 'e2e', 'harness', 'run-app.js'))) {
  console.log('building …');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const { runApp } = require(join(root, 'dist/test/e2e/harness/run-app.js'));
const { FINGERPRINT_KEY } = require(join(root, 'dist/test/e2e/harness/hosts.js'));

const PEOPLE = [
  ['Marisol', 'Quintero', 'Marisol.Quintero@Gmail.com', '(415) 555-0148', '1988-04-23', 'female', 'Santa Rosa', '95404', 85000],
  ['Tobias', 'Lindgren', 'tobias.lindgren@fastmail.com', '+1 206 555 0199', '1979-11-02', 'male', 'Seattle', '98101', 132000],
  ['Amara', 'Okafor', ' Amara.Okafor@Yahoo.com ', '(312) 555-0107', '1995-06-30', 'female', 'Chicago', '60601', 61000],
  ['Kenji', 'Watanabe', 'kenji.w+shop@gmail.com', '646-555-0123', '1990-02-14', 'male', 'New York', '10001', 97000],
  ['Lucía', 'Fernández', 'lucia.fernandez@example.es', '(305) 555-0176', '1986-09-09', 'female', 'Miami', '33101', 74000],
];

const cell = (s, n) => { s = String(s); return s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n); };
const strs = (v) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

// The app exports OTLP to the harness and also spools (SST_SPOOL=true) for the lineage store.
const app = await runApp({ app: 'express-register.cjs', args: 'import', env: { SST_SPOOL: 'true' }, config: { firstPartyHosts: ['accounts.internal.example'] } });
try {
  let i = 0;
  for (const [firstName, lastName, email, phone, birthdate, gender, city, zip, income] of PEOPLE) {
    const r = await app.send('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `_fbp=fb.1.1732611045123.${4827165930 + i}` },
      body: JSON.stringify({ email, phone, firstName, lastName, birthdate, gender, city, zip, income, plan: 'free' }),
    });
    process.stdout.write(`\rsign-ups sent: ${++i}/${PEOPLE.length} (last answered ${r.status})`);
  }
  process.stdout.write('\n');
  await new Promise((r) => setTimeout(r, 1500)); // the Segment batch leaves after the responses
} finally {
  await app.stop();
}

const spans = app.spans();
const collect = spans.filter((s) => s.attributes['sst.flow'] === 'collect');
const shares = spans.filter((s) => s.attributes['sst.flow'] === 'share');
const subjects = new Set(collect.flatMap((s) => strs(s.attributes['sst.subjects'])));
const collected = new Set(collect.flatMap((s) => strs(s.attributes['sst.categories'])));
console.log(`\ncollected: ${collect.length} requests, ${subjects.size} people, categories: ${[...collected].sort().join(', ')}`);

const byHost = new Map();
for (const s of shares) {
  const a = s.attributes;
  const h = String(a['sst.destination.host']);
  const e = byHost.get(h) ?? { vendor: a['sst.destination.vendor'], kind: a['sst.destination.kind'], third: a['sst.destination.third_party'], calls: 0, cats: new Set(), tr: new Set(), subj: new Set() };
  e.calls++;
  strs(a['sst.categories']).forEach((c) => e.cats.add(c));
  strs(a['sst.transforms']).forEach((t) => e.tr.add(t));
  strs(a['sst.subjects']).forEach((t) => e.subj.add(t));
  byHost.set(h, e);
}
console.log(`shared: ${shares.length} calls to ${byHost.size} destinations\n`);
console.log(`${cell('destination', 28)} ${cell('vendor', 20)} ${cell('kind', 12)} ${cell('3rd', 4)} ${cell('calls', 5)} ${cell('people', 6)} ${cell('categories', 46)} transforms`);
for (const [h, e] of [...byHost].sort((x, y) => y[1].calls - x[1].calls)) {
  console.log(`${cell(h, 28)} ${cell(e.vendor, 20)} ${cell(e.kind, 12)} ${cell(e.third ? 'yes' : 'no', 4)} ${cell(e.calls, 5)} ${cell(e.subj.size, 6)} ${cell([...e.cats].sort().join(','), 46)} ${[...e.tr].sort().join(', ')}`);
}
const quiet = [...new Set(app.fakes.hosts())].filter((h) => !byHost.has(h));
if (quiet.length) console.log(`\ncalled without personal data (no share): ${quiet.join(', ')}`);
console.log('\nSpans carry keyed fingerprint ids only; the values above never left the app.');

// The same spans in the lineage store (embedded ClickHouse), through the `sst` CLI.
const demoDir = join(root, '.sst', 'demo');
rmSync(demoDir, { recursive: true, force: true });
mkdirSync(join(demoDir, 'spool'), { recursive: true });
app.spoolFiles.forEach((f, i) => writeFileSync(join(demoDir, 'spool', `demo-${i}.jsonl`), f.text));
const sst = (...args) => spawnSync(process.execPath, [join(root, 'dist/cli/sst.js'), '--store', join(demoDir, 'clickhouse'), ...args], {
  cwd: root, stdio: 'inherit', env: { ...process.env, SST_FINGERPRINT_KEY: FINGERPRINT_KEY, SST_SPOOL_DIR: join(demoDir, 'spool') },
});
if (!existsSync(join(root, 'node_modules', 'chdb'))) {
  console.log('\n(chdb, an optional dependency, is not installed: skipping the lineage store part)');
} else {
  console.log('\n$ sst ingest && sst report');
  sst('ingest');
  sst('report', '--no-ingest');
  const rel = (p) => p.slice(root.length + 1);
  const env = `SST_FINGERPRINT_KEY=${FINGERPRINT_KEY}`;
  const cli = `node dist/cli/sst.js --store ${rel(join(demoDir, 'clickhouse'))}`;
  console.log('\nTry next:');
  console.log(`  ${env} ${cli} lineage --value ${PEOPLE[0][2].trim()}`);
  console.log(`  ${cli} shares --vendor meta --since 1h`);
  console.log(`  ${cli} sql "SELECT SstDestinationVendor AS vendor, count() AS calls FROM otel_traces WHERE SstFlow = 'share' GROUP BY vendor ORDER BY calls DESC"`);
}
