// DB overhead benchmark: per-query cost of better-sqlite3 and pg statements (SELECT of 100 rows,
// INSERT with and without personal data) in four configurations, each in a fresh process, the
// order rotating every round, medians over the rounds:
//   none        no instrumentation
//   otel        plain OpenTelemetry (NodeSDK + upstream pg instrumentation; our better-sqlite3
//               spans, as there is no upstream one), spans discarded
//   sst         @sst/otel-auto with row scanning on (db.captureRows: true)
//   sst-norows  @sst/otel-auto with row scanning off (db.captureRows: false)
// Each measured iteration includes draining the SST span processor, so detection cost counts.
//
//   node bench/db/run.mjs [--rounds 3] [--time 1500] [--only none,sst] [--build dist]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback; };
const ROUNDS = Number(arg('rounds', 3));
const TIME = Number(arg('time', 1500));
const BUILD = resolve(ROOT, arg('build', 'dist'));
const CONFIGS = arg('only', 'none,otel,sst,sst-norows').split(',');

function runWorker(config) {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(HERE, 'worker.mjs'), config, BUILD], {
      cwd: ROOT, env: { ...process.env, BENCH_TIME_MS: String(TIME), SST_QUIET: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return rej(new Error(`${config} exited ${code}\n${err}`));
      res(JSON.parse(line));
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const runs = [];
let pgReason = null;
for (let r = 0; r < ROUNDS; r++) {
  const order = CONFIGS.map((_, i) => CONFIGS[(i + r) % CONFIGS.length]);
  for (const c of order) {
    const w = await runWorker(c);
    if (w.pgReason) pgReason = w.pgReason;
    runs.push({ round: r, ...w });
    process.stderr.write(`round ${r + 1}/${ROUNDS} ${c} done\n`);
  }
}

const tasks = [...new Set(runs.flatMap((r) => r.results.map((x) => x.task)))];
const medians = {};
for (const t of tasks) {
  medians[t] = {};
  for (const c of CONFIGS) {
    const xs = runs.filter((r) => r.config === c).map((r) => r.results.find((x) => x.task === t)).filter(Boolean);
    if (xs.length) medians[t][c] = { meanUs: median(xs.map((x) => x.meanUs)), p99Us: median(xs.map((x) => x.p99Us)) };
  }
}

const fmt = (v) => (v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const lines = [];
lines.push(`| task | ${CONFIGS.map((c) => `${c} mean µs (p99)`).join(' | ')} | ${CONFIGS.filter((c) => c !== 'none').map((c) => `${c} − none µs`).join(' | ')} |`);
lines.push(`|---|${CONFIGS.map(() => '---:').join('|')}|${CONFIGS.filter((c) => c !== 'none').map(() => '---:').join('|')}|`);
for (const t of tasks) {
  const m = medians[t];
  const base = m.none?.meanUs;
  const cells = CONFIGS.map((c) => (m[c] ? `${fmt(m[c].meanUs)} (${fmt(m[c].p99Us)})` : '-'));
  const deltas = CONFIGS.filter((c) => c !== 'none').map((c) => (m[c] && base !== undefined ? fmt(m[c].meanUs - base) : '-'));
  lines.push(`| ${t} | ${cells.join(' | ')} | ${deltas.join(' | ')} |`);
}
const meta = { date: new Date().toISOString(), node: process.versions.node, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', rounds: ROUNDS, timeMs: TIME, configs: CONFIGS, pgSkipped: pgReason };
console.log(lines.join('\n'));
if (pgReason) console.log(`\npg tasks skipped: ${pgReason}`);
mkdirSync(RESULTS, { recursive: true });
const stamp = meta.date.slice(0, 19).replace(/[:T]/g, '-');
const file = join(RESULTS, `db-${stamp}.json`);
writeFileSync(file, JSON.stringify({ meta, medians, runs }, null, 2) + '\n');
writeFileSync(join(RESULTS, 'db.md'), `# DB overhead benchmark\n\n${meta.date}, Node ${meta.node}, ${meta.cpus} × ${meta.cpu}, ${ROUNDS} rounds × ${TIME} ms per task, medians.\n\n${lines.join('\n')}\n`);
console.log(`\nwrote ${file}`);
