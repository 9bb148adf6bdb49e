// Soak (issue 9): N requests (default 100 000), each with a new person, against an express app
// run under `--require @sst/otel-auto` (spans to the spool) and, for the baseline, without it.
// Prints and records: requests/s, registry bytes against its cap, RSS over time (flat after
// warm-up?), event-loop delay p99/max per second and over the run (perf_hooks.monitorEventLoopDelay).
//
//   npm run bench:soak                      # build, then 100k requests per mode
//   node bench/soak/run.mjs --requests 20000 --only sst --connections 16
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const REQUESTS = Number(arg('requests', 100_000));
const CONNECTIONS = Number(arg('connections', 16));
const ONLY = arg('only', 'none,sst').split(',');
/** --profile DIR: CPU profile of the app (node --cpu-prof), summarize with bench/http/profile-summary.mjs. */
const PROFILE_DIR = arg('profile', '');
/** --registry-mb N: registry.maxBytes (default: the config default, 64 MiB); a small cap shows the
 *  registry and RSS flat once the cap is reached within the run. */
const REGISTRY_MB = Number(arg('registry-mb', 0));
/** --root DIR: the package root to load the instrumentation from (default: this checkout). */
const PKG_ROOT = arg('root', ROOT);
/** Samples before this share of the requests are warm-up; RSS growth is measured after it. */
const WARMUP_SHARE = 0.2;

function vendor() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"events_received":1}'); });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

function person(i) {
  const id = `${i.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return JSON.stringify({
    email: `soak.user.${id}@example.org`,
    phone: `+1415${String(2000000 + (i % 7999999)).padStart(7, '0')}`,
    firstName: `Ann${id}`, lastName: `Lee${id}`,
    birthdate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    address: { city: 'Santa Rosa', zip: String(90000 + (i % 9999)) },
    plan: 'free',
  });
}

async function runMode(mode, vendorUrl) {
  const work = mkdtempSync(join(tmpdir(), `sst-soak-${mode}-`));
  const execArgv = [...(mode === 'sst' ? ['--require', join(PKG_ROOT, 'dist', 'instrumentation', 'index.js')] : []), ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [])];
  const config = {};
  if (REGISTRY_MB > 0) {
    writeFileSync(join(work, 'sst.json'), JSON.stringify({ registry: { maxBytes: REGISTRY_MB * 1048576 } }));
    config.SST_CONFIG = join(work, 'sst.json');
  }
  const child = fork(join(HERE, 'app.cjs'), [], {
    cwd: work, execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH, HOME: work, SOAK_VENDOR_URL: vendorUrl,
      SST_FINGERPRINT_KEY: 'soak-bench-key-0123456789abcdef', SST_SPOOL_DIR: join(work, 'spool'),
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process', SST_QUIET: 'true', ...config,
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const samples = [];
  let final;
  const port = await new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.type === 'ready') resolve(m.port);
      else if (m.type === 'sample') samples.push(m);
      else if (m.type === 'final') final = m;
    });
    child.on('exit', (c) => reject(new Error(`${mode}: app exited ${c}\n${stderr}`)));
  });
  let i = 0;
  const t0 = Date.now();
  const result = await new Promise((resolve, reject) => {
    const inst = autocannon({
      url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, amount: REQUESTS, timeout: 30,
      requests: [{ method: 'POST', path: '/signup', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: person(i++) }) }],
    }, (err, res) => (err ? reject(err) : resolve(res)));
    let last = 0;
    inst.on('response', () => {
      const done = inst.opts ? i : i;
      if (done - last >= REQUESTS / 10) { last = done; process.stdout.write(`  ${mode}: ${done} requests, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`); }
    });
  });
  const seconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // one more sample after the load, the queue drained
  child.send({ type: 'stop' });
  await new Promise((r) => child.once('exit', r));
  let spoolBytes = 0;
  try { for (const f of readdirSync(join(work, 'spool'))) spoolBytes += statSync(join(work, 'spool', f)).size; } catch { /* none */ }
  rmSync(work, { recursive: true, force: true });

  const warm = samples.filter((s) => s.handled >= REQUESTS * WARMUP_SHARE);
  const loaded = samples.filter((s) => s.handled > 0 && s.handled < REQUESTS);
  const mb = (b) => Math.round(b / 1048576 * 10) / 10;
  const rssAfterWarmup = warm.length ? mb(warm[0].rss) : null;
  const rssEnd = samples.length ? mb(samples[samples.length - 1].rss) : null;
  const rssMax = samples.length ? mb(Math.max(...samples.map((s) => s.rss))) : null;
  const maxWindow = loaded.length ? Math.max(...loaded.map((s) => s.eld.max)) : null;
  const p99s = loaded.map((s) => s.eld.p99).sort((a, b) => a - b);
  const reg = final?.registry ?? samples.at(-1)?.registry ?? null;
  const regMax = samples.reduce((m, s) => Math.max(m, s.registry?.bytes ?? 0), 0);
  return {
    mode, requests: REQUESTS, connections: CONNECTIONS, seconds: Math.round(seconds * 10) / 10,
    rps: Math.round(result.requests.average), errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    rssMB: { afterWarmup: rssAfterWarmup, end: rssEnd, max: rssMax, growthAfterWarmup: rssAfterWarmup !== null && rssEnd !== null ? Math.round((rssEnd - rssAfterWarmup) * 10) / 10 : null },
    eventLoopDelayMs: { ...final?.eld, worstSecondMax: maxWindow, medianSecondP99: p99s.length ? p99s[Math.floor(p99s.length / 2)] : null },
    registry: reg ? { values: reg.values, keys: reg.keys, bytesMB: mb(reg.bytes), maxBytesSeenMB: mb(regMax), capMB: mb(reg.maxBytes), dropped: reg.dropped } : null,
    spoolMB: mb(spoolBytes),
    rssSeriesMB: samples.map((s) => [s.handled, mb(s.rss)]),
    eldSeriesMs: samples.map((s) => [s.handled, s.eld.p99, s.eld.max]),
    stderr: stderr.split('\n').filter(Boolean).slice(0, 20),
  };
}

const v = await vendor();
const vendorUrl = `http://127.0.0.1:${v.address().port}/v21.0/123/events`;
const runs = [];
console.log(`soak: ${REQUESTS} requests per mode, ${CONNECTIONS} connections, ${cpus().length} cores, node ${process.version}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}${REGISTRY_MB ? `, registry cap ${REGISTRY_MB} MB` : ''}`);
for (const mode of ONLY) runs.push(await runMode(mode, vendorUrl));
v.close();

for (const r of runs) {
  console.log(`\n${r.mode}: ${r.requests} requests in ${r.seconds} s (${r.rps} req/s), errors ${r.errors}, non-2xx ${r.non2xx}, latency p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms max ${r.latencyMs.max} ms`);
  console.log(`  RSS MB: after warm-up ${r.rssMB.afterWarmup}, end ${r.rssMB.end}, max ${r.rssMB.max}, growth after warm-up ${r.rssMB.growthAfterWarmup}`);
  console.log(`  event-loop delay ms (whole run): p50 ${r.eventLoopDelayMs.p50} p99 ${r.eventLoopDelayMs.p99} p99.9 ${r.eventLoopDelayMs.p999} max ${r.eventLoopDelayMs.max}; worst 1-s window max ${r.eventLoopDelayMs.worstSecondMax}`);
  if (r.registry) console.log(`  registry: ${r.registry.values} values, ${r.registry.keys} keys, ${r.registry.bytesMB} MB (max seen ${r.registry.maxBytesSeenMB} MB, cap ${r.registry.capMB} MB); detection queue drops ${r.registry.dropped}; spool ${r.spoolMB} MB`);
  console.log(`  RSS series (requests → MB): ${r.rssSeriesMB.filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 12)) === 0).map(([n, m]) => `${n}→${m}`).join(' ')}`);
  if (r.stderr.length) console.log(`  stderr: ${r.stderr.join(' | ')}`);
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/T/, '-').slice(0, 19);
const out = join(ROOT, 'bench', 'results', `soak-${stamp}.json`);
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, loadAverageAtEnd: loadavg(), registryCapMB: REGISTRY_MB || 64, runs }, null, 1) + '\n');
console.log(`\nwrote ${out}`);
