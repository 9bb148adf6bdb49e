// HTTP overhead benchmark (issue 8): the same express service under the same load in four
// configurations, measured in one run, interleaved (the order rotates every round), fresh process
// per measurement, medians over the rounds.
//   (a) none       no instrumentation
//   (b) otel       plain OpenTelemetry: NodeSDK + http + undici instrumentations, OTLP/HTTP protobuf
//   (c) sst        node --import @sst/otel-auto, same exporter and sink
//   (d) sst-off    (c) with SST_DISABLED=true
// The load generator (autocannon) and the sink + fake vendor run in their own processes.
//
//   node bench/http/run.mjs [--rounds 3] [--seconds 10] [--warmup 3] [--connections 16] [--only a,c]
//   node bench/http/run.mjs --profile c [--seconds 10]     CPU profile of one configuration
//   --sst <file>: the distribution's ESM entry for (c)/(d) (default: the package, i.e. dist/; e.g.
//   /tmp/sst-build-x/instrumentation/entry.mjs to measure an area build while dist/ is mid-rebuild)
//
// The app writes each signup to SQLite (better-sqlite3). Plain OpenTelemetry has no better-sqlite3
// instrumentation, so (b) stays http + undici; (c) also traces the insert (our better-sqlite3
// instrumentation and its store matching), i.e. (c) does strictly more work than (b).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const ROUNDS = Number(arg('rounds', 3));
const SECONDS = Number(arg('seconds', 10));
const WARMUP = Number(arg('warmup', 3));
const CONNECTIONS = Number(arg('connections', 16));
const PROFILE = arg('profile', '');
const SST_ENTRY = arg('sst', '@sst/otel-auto');

const CONFIGS = {
  a: { name: 'none', label: '(a) no instrumentation', args: [], env: {} },
  b: { name: 'otel', label: '(b) plain OpenTelemetry', args: ['--require', join(HERE, 'plain-otel.cjs')], env: {} },
  c: { name: 'sst', label: '(c) @sst/otel-auto', args: ['--import', SST_ENTRY], env: {} },
  d: { name: 'sst-off', label: '(d) @sst/otel-auto, SST_DISABLED=true', args: ['--import', SST_ENTRY], env: { SST_DISABLED: 'true' } },
};
const ONLY = (arg('only', PROFILE || 'a,b,c,d')).split(',').filter((k) => CONFIGS[k]);

/** Spawns a node process and resolves with it and the first stdout line starting with `ready`. */
function start(args, env, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`not ready in 20 s: ${args.join(' ')}\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) { clearTimeout(timer); resolve({ child, ports: line.split(' ').slice(1).map(Number), stderr: () => err }); }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 20000) err = err.slice(-10000); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${args.join(' ')}\n${err}`)); });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.removeAllListeners('exit');
    child.on('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGTERM');
  });
}

function runLoad(url, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'load.cjs'), url, String(seconds), String(CONNECTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`load exited ${code}`))));
  });
}

/** Resident set of a process (VmRSS) and its peak (VmHWM), in MB. */
function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

async function sinkStats(port, reset) {
  const r = await fetch(`http://127.0.0.1:${port}/stats${reset ? '/reset' : ''}`, { method: reset ? 'POST' : 'GET' });
  return r.json();
}

async function measure(key, services, extraArgs = []) {
  const cfg = CONFIGS[key];
  const [sinkPort, vendorPort] = services.ports;
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
    OTEL_SERVICE_NAME: 'bench-app',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    SST_FINGERPRINT_KEY: 'bench-key-bench-key-bench-key-0123456789',
    SST_QUIET: 'true',
    BENCH_VENDOR_URL: `http://graph.facebook.com:${vendorPort}/v21.0/1234567890/events`,
    ...cfg.env,
  };
  const app = await start([...extraArgs, '--require', join(HERE, 'vendor-dns.cjs'), ...cfg.args, join(HERE, 'app.cjs')], env);
  const url = `http://127.0.0.1:${app.ports[0]}`;
  try {
    if (WARMUP > 0) await runLoad(url, WARMUP);
    await sinkStats(sinkPort, true);
    const load = await runLoad(url, SECONDS);
    const mem = memory(app.child.pid);
    const sink = await sinkStats(sinkPort, false);
    if (load.non2xx || load.errors) throw new Error(`${cfg.name}: ${load.non2xx} non-2xx, ${load.errors} errors\n${app.stderr()}`);
    return { config: key, name: cfg.name, ...load, rssMB: round(mem.rss, 1), peakRssMB: round(mem.hwm, 1), exportedKB: round(sink.bytes / 1024, 0), sstAttributes: sink.sstAttributes };
  } finally {
    await stop(app.child);
  }
}

const round = (n, d) => Math.round(n * 10 ** d) / 10 ** d;
function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function table(medians, ratios, meta) {
  const rows = ONLY.map((k) => {
    const m = medians[k];
    return `| ${CONFIGS[k].label} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.rssMB.toFixed(0)} | ${m.exportedKB} |`;
  });
  const r = Object.entries(ratios).map(([k, v]) => `${k} = ${v}`).join(', ');
  return [
    `Run ${meta.date} on ${meta.cpu} (${meta.cpus} cores), Node ${meta.node}: ${meta.rounds} rounds × ${meta.seconds} s per`,
    `configuration (after ${meta.warmup} s warm-up), ${meta.connections} connections, interleaved; medians.`,
    '',
    '| configuration | req/s | p50 ms | p99 ms | RSS MB | exported KB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Ratios: ${r}`,
    '',
    `Command: \`${meta.command}\``,
    '',
  ].join('\n');
}

async function profile(services) {
  // Profiles are large: kept out of the repository.
  const dir = join(tmpdir(), 'sst-bench-profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const res = await measure(PROFILE, services, ['--cpu-prof', '--cpu-prof-dir', dir]);
  // The ESM loader thread writes its own (idle) profile: the main thread's is the largest.
  const file = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.cpuprofile'))
    .sort((x, y) => statSync(join(dir, y)).size - statSync(join(dir, x)).size)[0];
  console.log(JSON.stringify(res));
  console.log(`profile: ${join(dir, file)}`);
  const { summarize } = await import('./profile-summary.mjs');
  console.log(summarize(join(dir, file)));
}

async function main() {
  const services = await start([join(HERE, 'services.cjs')], { PATH: process.env.PATH });
  try {
    if (PROFILE) return await profile(services);
    const runs = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = ONLY.map((_, i) => ONLY[(i + r) % ONLY.length]);
      for (const key of order) {
        const res = await measure(key, services);
        res.round = r + 1;
        runs.push(res);
        console.log(`round ${r + 1} ${CONFIGS[key].label.padEnd(40)} ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  RSS ${res.rssMB} MB  exported ${res.exportedKB} KB  sst.* ${res.sstAttributes}`);
      }
    }
    const medians = {};
    for (const k of ONLY) {
      const mine = runs.filter((x) => x.config === k);
      medians[k] = {
        rps: median(mine.map((x) => x.rps)), p50: median(mine.map((x) => x.p50)), p99: median(mine.map((x) => x.p99)),
        rssMB: median(mine.map((x) => x.rssMB)), exportedKB: median(mine.map((x) => x.exportedKB)),
      };
    }
    const ratios = {};
    const ratio = (x, y) => round(x / y, 3);
    if (medians.c && medians.b) Object.assign(ratios, { 'c/b req/s': ratio(medians.c.rps, medians.b.rps), 'c/b p99': ratio(medians.c.p99, medians.b.p99) });
    if (medians.c && medians.a) Object.assign(ratios, { 'c/a req/s': ratio(medians.c.rps, medians.a.rps), 'c/a p99': ratio(medians.c.p99, medians.a.p99) });
    if (medians.b && medians.a) ratios['b/a req/s'] = ratio(medians.b.rps, medians.a.rps);
    if (medians.d && medians.a) ratios['d/a req/s'] = ratio(medians.d.rps, medians.a.rps);
    const now = new Date();
    const meta = {
      date: now.toISOString(), node: process.versions.node, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown',
      rounds: ROUNDS, seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS,
      command: `node bench/http/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    };
    console.log('\n' + table(medians, ratios, meta));
    mkdirSync(RESULTS, { recursive: true });
    const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
    writeFileSync(join(RESULTS, `http-${stamp}.json`), JSON.stringify({ meta, medians, ratios, runs }, null, 2) + '\n');
    writeFileSync(join(RESULTS, 'http.md'), `# HTTP overhead benchmark\n\n${table(medians, ratios, meta)}`);
    console.log(`wrote bench/results/http-${stamp}.json and bench/results/http.md`);
  } finally {
    await stop(services.child);
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
