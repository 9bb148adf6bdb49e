// HTTP overhead benchmark (issue 8): the same express service in seven configurations, measured in
// one run, interleaved (the order rotates every round), fresh process per measurement, medians over
// the rounds. Two phases:
//   saturation  closed loop (wrk when installed, else autocannon; --loader; --connections):
//               throughput. Its latencies are the queue of a saturated closed loop
//               (≈ connections / throughput), not a latency measurement.
//   fixed rate  open loop at one rate for every configuration (--rate, default --rate-fraction of
//               the slowest configuration's saturated req/s in this run): latency at equal load,
//               counted from each request's due time (see load.cjs).
//   (a) none       no instrumentation
//   (b) otel       plain OpenTelemetry: NodeSDK + http + undici instrumentations, OTLP/HTTP protobuf
//   (c) sst        node --import @sst/otel-auto, same exporter and sink (the full product)
//   (d) sst-off    (c) with SST_DISABLED=true
//   (e) sst-http   (c) with OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,undici: the instrumentation set
//                  of (b), i.e. without our better-sqlite3 instrumentation (like for like)
//   (f) sst-inline (c) with SST_ANALYSIS_THREAD=false: analysis and export on the app's thread
//                  (what the analysis thread buys, side by side)
//   (g) dd-iast    dd-trace with IAST on every request: the outside reference (saturation only)
//   (h) sst-nice   (c) with SST_ANALYSIS_NICE=10: nice steps only, never SCHED_IDLE (the default
//                  before session 9; not in the default set, --only b,c,h)
//   (x) sst-other  (c) from another build, `--compare <entry.mjs>`: two builds side by side in one
//                  interleaved run (not in the default set, --only b,c,x)
// The load generator and the sink + fake vendor run in their own processes; their CPU per request
// is reported beside the app's (they share its machine).
//
//   node bench/http/run.mjs [--rounds 3] [--seconds 8] [--rate-seconds 30] [--warmup 20]
//        [--connections 16] [--rate N | --rate-fraction 0.5] [--phase both|saturation|rate] [--only a,b,c]
//        [--loader wrk|autocannon]
//   node bench/http/run.mjs --profile c [--seconds 10] [--rate N]   CPU profile of one configuration's
//        main thread (saturated, or at a fixed rate)
//   --sst <file>: the distribution's ESM entry for (c)/(d)/(e) (default: the package, i.e. dist/;
//   e.g. /tmp/sst-build-x/instrumentation/entry.mjs to measure an area build while dist/ is mid-rebuild)
//   --compare <file>: the ESM entry of another build, measured as configuration (x) in the same rounds
//   --phase rate needs --rate.
//
// The app writes each signup to SQLite (better-sqlite3). Plain OpenTelemetry has no better-sqlite3
// instrumentation, so (b) stays http + undici; (c) also traces the insert (our better-sqlite3
// instrumentation and its store matching), i.e. (c) does strictly more work than (b): c/b prices
// the product, e/b the same instrumentation set.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HERE, ROOT, appEnv, cpuSeconds, loopStats, machineTicks, start, startApp, stop, threadCpuSeconds } from './processes.mjs';

const RESULTS = join(ROOT, 'bench', 'results');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const ROUNDS = Number(arg('rounds', 3));
const SECONDS = Number(arg('seconds', 8));
// 30 s at 440 req/s = 13 200 latencies: p99 is the 132nd slowest. With 10 s (4400, the 44th) one
// GC pause or VM hiccup moved a round's p99 by half: c/b per round ranged 1.07-2.00 in one run;
// with 30 s, (b)'s p99 stayed within 11.3-11.9 ms in four rounds of five.
const RATE_SECONDS = Number(arg('rate-seconds', 30));
// Measured after the JIT has warmed up, as a service runs for hours: V8 compiles the analysis code
// (two isolates, a large code base) for ~15-20 s at 450 req/s, plain OpenTelemetry for ~5-10 s. With
// a 3 s warm-up (sessions 4-6) the window caught (c) mid-compilation: 1.4-2× its steady CPU per
// request. What the warm-up costs is reported beside (CPU µs/req during warm-up).
const WARMUP = Number(arg('warmup', 20));
const CONNECTIONS = Number(arg('connections', 16));
const FIXED_RATE = Number(arg('rate', 0));
const RATE_FRACTION = Number(arg('rate-fraction', 0.5));
const PHASE = arg('phase', 'both');
const PROFILE = arg('profile', '');
const SST_ENTRY = arg('sst', '@sst/otel-auto');
const COMPARE_ENTRY = arg('compare', '');
// The saturation phase's load generator runs on the app's machine: wrk (one C thread) leaves the app
// most of the CPU that autocannon (JavaScript) would take; autocannon when wrk is not installed.
const HAVE_WRK = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
const LOADER = arg('loader', HAVE_WRK ? 'wrk' : 'autocannon');
if (!['wrk', 'autocannon'].includes(LOADER)) throw new Error(`--loader ${LOADER}: wrk or autocannon`);
if (LOADER === 'wrk' && !HAVE_WRK) throw new Error('--loader wrk: wrk is not installed (apt-get install wrk), or use --loader autocannon');
if (!['both', 'saturation', 'rate'].includes(PHASE)) throw new Error(`--phase ${PHASE}: both, saturation or rate`);
if (PHASE === 'rate' && !(FIXED_RATE > 0)) throw new Error('--phase rate needs --rate N (requests per second)');

const CONFIGS = {
  a: { name: 'none', label: '(a) no instrumentation', args: [], env: {} },
  b: { name: 'otel', label: '(b) plain OpenTelemetry (http + undici)', args: ['--require', join(HERE, 'plain-otel.cjs')], env: {} },
  c: { name: 'sst', label: '(c) @sst/otel-auto (full: http + undici + better-sqlite3)', args: ['--import', SST_ENTRY], env: {} },
  d: { name: 'sst-off', label: '(d) @sst/otel-auto, SST_DISABLED=true', args: ['--import', SST_ENTRY], env: { SST_DISABLED: 'true' } },
  e: {
    name: 'sst-http', label: '(e) @sst/otel-auto, http + undici only (as b)', args: ['--import', SST_ENTRY],
    env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' },
  },
  f: {
    name: 'sst-inline', label: '(f) @sst/otel-auto, full, SST_ANALYSIS_THREAD=false', args: ['--import', SST_ENTRY],
    env: { SST_ANALYSIS_THREAD: 'false' },
  },
  // Not in the default set: the analysis thread kept out of SCHED_IDLE, which (c) enters where it
  // may leave it again (root here); what the class buys at a fixed rate (`--only b,c,h`).
  h: {
    name: 'sst-nice', label: '(h) @sst/otel-auto, full, SST_ANALYSIS_NICE=10 (nice only)', args: ['--import', SST_ENTRY],
    env: { SST_ANALYSIS_NICE: '10' },
  },
  // Not in the default set: (c) from another build (`--compare <dir>/instrumentation/entry.mjs`,
  // e.g. scripts/build-area.sh's output), measured in the same rounds as (c): a change's effect on
  // the whole service, with the VM's drift shared by both.
  x: {
    name: 'sst-other', label: `(x) @sst/otel-auto from ${COMPARE_ENTRY || '(no --compare)'}`, args: ['--import', COMPARE_ENTRY],
    env: {},
  },
  // The outside reference the issue names: Datadog's tracer with IAST (taint tracking) on every
  // request, not the default sample of 30 % of requests and 2 at a time, since the product here
  // analyses every request. Traces go to the same sink (it answers the agent API); telemetry,
  // remote configuration, profiling and the crash tracker are off, so nothing leaves loopback.
  g: {
    name: 'dd-iast', label: '(g) dd-trace 5 with IAST on every request (outside reference)', args: ['--require', 'dd-trace/init'],
    env: (sinkPort) => ({
      DD_TRACE_AGENT_URL: `http://127.0.0.1:${sinkPort}`, DD_SERVICE: 'bench-app', DD_IAST_ENABLED: 'true',
      DD_IAST_REQUEST_SAMPLING: '100', DD_IAST_MAX_CONCURRENT_REQUESTS: '1000', DD_IAST_DEDUPLICATION_ENABLED: 'true',
      DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false', DD_REMOTE_CONFIGURATION_ENABLED: 'false', DD_PROFILING_ENABLED: 'false',
      DD_CRASHTRACKING_ENABLED: 'false', DD_TRACE_STARTUP_LOGS: 'false', DD_RUNTIME_METRICS_ENABLED: 'false',
    }),
    // Too slow for the fixed rate the others share (it would fall behind and queue): saturation only.
    saturationOnly: true,
    envText: 'DD_IAST_ENABLED=true DD_IAST_REQUEST_SAMPLING=100 DD_IAST_MAX_CONCURRENT_REQUESTS=1000 (telemetry, remote config, profiling, crash tracking off)',
  },
};
// --report <json>: only re-render the tables of an earlier run (e.g. after the report's format changed).
const REPORT_FILE = arg('report', '');
const REPORTED = REPORT_FILE ? JSON.parse(readFileSync(REPORT_FILE, 'utf8')) : null;
const ONLY = (REPORTED ? Object.keys(REPORTED.meta.configurations).join(',') : arg('only', PROFILE || 'a,b,c,d,e,f,g')).split(',').filter((k) => CONFIGS[k]);
if (ONLY.includes('x') && !COMPARE_ENTRY && !REPORTED) throw new Error('configuration x needs --compare <entry.mjs> (the other build)');
// A re-rendered run keeps its own labels ((x) names the build it compared).
if (REPORTED) for (const k of ONLY) CONFIGS[k].label = REPORTED.meta.configurations[k]?.label ?? CONFIGS[k].label;
/** Configurations of the fixed-rate phase. */
const AT_RATE = ONLY.filter((k) => !CONFIGS[k].saturationOnly);

/** One load run: closed loop at saturation (rate 0) or open loop at `rate` requests per second. */
function runLoad(url, seconds, rate = 0) {
  return new Promise((resolve, reject) => {
    const args = [join(HERE, 'load.cjs'), url, String(seconds), String(CONNECTIONS)];
    if (rate > 0) args.push(String(rate));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_LOADER: LOADER } });
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

/** One measurement in a fresh app process: warm-up with the same load shape, then measured. */
async function measure(key, services, { rate = 0, seconds = SECONDS, extraArgs = [] } = {}) {
  const cfg = CONFIGS[key];
  const [sinkPort, vendorPort] = services.ports;
  const env = appEnv(sinkPort, vendorPort, typeof cfg.env === 'function' ? cfg.env(sinkPort) : cfg.env);
  const app = await startApp(cfg.args, env, extraArgs);
  const url = `http://127.0.0.1:${app.ports[0]}`;
  try {
    const warm0 = cpuSeconds(app.child.pid);
    const warm = WARMUP > 0 ? await runLoad(url, WARMUP, rate) : null;
    await sinkStats(sinkPort, true);
    await loopStats(app);
    const cpu0 = cpuSeconds(app.child.pid);
    const threads0 = threadCpuSeconds(app.child.pid);
    const around0 = cpuSeconds(services.child.pid).all;
    const machine0 = machineTicks();
    const load = await runLoad(url, seconds, rate);
    const machine1 = machineTicks();
    const cpu1 = cpuSeconds(app.child.pid);
    const busiestOther = busiestOtherThread(threads0, threadCpuSeconds(app.child.pid), app.child.pid);
    const around1 = cpuSeconds(services.child.pid).all;
    const loop = await loopStats(app);
    const mem = memory(app.child.pid);
    const sink = await sinkStats(sinkPort, false);
    // A request or two lost to the VM (a reset socket, a timeout in a stall) is noted and the
    // measurement kept: a 25-minute run is not thrown away for it. More than 1 % means the
    // configuration is broken, and the run stops with the app's own words.
    const failed = (load.non2xx || 0) + (load.errors || 0);
    if (failed > 0.01 * load.requests) throw new Error(`${cfg.name}: ${load.non2xx} non-2xx, ${load.errors} errors of ${load.requests} requests\n${app.stderr()}`);
    if (failed > 0) console.log(`warning: ${cfg.name}: ${load.non2xx} non-2xx responses, ${load.errors} request errors of ${load.requests}; measurement kept, marked in the report`);
    return {
      config: key, name: cfg.name, ...load, failed, rssMB: round(mem.rss, 1), peakRssMB: round(mem.hwm, 1),
      exportedKB: round(sink.bytes / 1024, 0), exportedBytesPerRequest: round(sink.bytes / load.requests, 0),
      sstAttributes: sink.sstAttributes, dbSpans: sink.dbSpans, iastSpans: sink.iastSpans,
      cpuUsPerRequest: round(((cpu1.all - cpu0.all) * 1e6) / load.requests, 0),
      mainCpuUsPerRequest: round(((cpu1.main - cpu0.main) * 1e6) / load.requests, 0),
      // The busiest thread besides the main one: (c)'s analysis thread; a V8 helper elsewhere.
      otherThreadCpuUsPerRequest: round((busiestOther * 1e6) / load.requests, 0),
      // The warm-up's CPU per request, from the app listening (its JIT compiling) to the measurement.
      warmupCpuUsPerRequest: warm ? round(((cpu0.all - warm0.all) * 1e6) / warm.requests, 0) : null,
      // What else the machine spent per request: the sink and fake vendor, and the load generator.
      servicesCpuUsPerRequest: round(((around1 - around0) * 1e6) / load.requests, 0),
      // What stalled the app's thread during the measurement (app.cjs watchStalls): event-loop delay
      // beyond its 5 ms timer, and V8's GC pauses on that thread.
      loopDelayP99: loop?.delayP99Ms ?? null, loopDelayMax: loop?.delayMaxMs ?? null,
      gcMsPerSecond: loop?.gcMsPerSecond ?? null, gcMax: loop?.gcMaxMs ?? null,
      // The share of the machine's CPU time the hypervisor gave to other guests during the
      // measurement: a VM's slow moments, which no configuration causes, show here.
      stealPct: machine0 && machine1 && machine1.total > machine0.total
        ? round((100 * (machine1.steal - machine0.steal)) / (machine1.total - machine0.total), 1) : null,
    };
  } finally {
    await stop(app.child);
  }
}

/** CPU seconds of the busiest thread other than the main one between two per-thread readings. */
function busiestOtherThread(before, after, pid) {
  let most = 0;
  for (const [tid, cpu] of after) if (tid !== String(pid)) most = Math.max(most, cpu - (before.get(tid) ?? 0));
  return most;
}

const round = (n, d) => Math.round(n * 10 ** d) / 10 ** d;
function median(values) {
  const xs = values.filter((x) => x != null);
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const FIELDS = ['rps', 'p50', 'p90', 'p99', 'max', 'rssMB', 'exportedKB', 'exportedBytesPerRequest', 'dbSpans', 'cpuUsPerRequest', 'mainCpuUsPerRequest', 'otherThreadCpuUsPerRequest', 'servicesCpuUsPerRequest', 'loaderCpuUsPerRequest', 'warmupCpuUsPerRequest', 'loopDelayP99', 'loopDelayMax', 'gcMsPerSecond', 'gcMax', 'stealPct'];
function mediansOf(runs) {
  const out = {};
  for (const k of ONLY) {
    const mine = runs.filter((x) => x.config === k);
    if (mine.length === 0) continue;
    out[k] = Object.fromEntries(FIELDS.map((f) => [f, median(mine.map((x) => x[f]))]));
  }
  return out;
}

/** Interleaved rounds: every round measures every configuration, the order rotating. */
async function rounds(services, phase, opts, runs = []) {
  const keys = opts.rate ? AT_RATE : ONLY;
  for (let r = 0; r < ROUNDS; r++) {
    const order = keys.map((_, i) => keys[(i + r) % keys.length]);
    for (const key of order) {
      const res = await measure(key, services, opts);
      res.round = r + 1;
      runs.push(res);
      console.log(`${phase.padEnd(10)} round ${r + 1} ${CONFIGS[key].label.padEnd(58)} ${res.rps.toFixed(0).padStart(5)} req/s  p50 ${res.p50}  p90 ${res.p90}  p99 ${res.p99}  max ${res.max} ms  loop delay p99 ${res.loopDelayP99} max ${res.loopDelayMax} ms  GC ${res.gcMsPerSecond} ms/s max ${res.gcMax} ms  RSS ${res.rssMB} MB  exported ${res.exportedKB} KB  sst.* ${res.sstAttributes}  db spans ${res.dbSpans}${res.iastSpans ? `  IAST-analysed ${res.iastSpans}` : ''}  CPU ${res.cpuUsPerRequest} µs/req (main thread ${res.mainCpuUsPerRequest}, busiest other ${res.otherThreadCpuUsPerRequest}; sink+vendor ${res.servicesCpuUsPerRequest}, load generator ${res.loaderCpuUsPerRequest})  steal ${res.stealPct ?? '?'} %`);
    }
  }
  return runs;
}

const PAIRS = [['c', 'b'], ['e', 'b'], ['f', 'b'], ['c', 'a'], ['e', 'a'], ['b', 'a'], ['d', 'a'], ['c', 'e'], ['c', 'f'], ['g', 'b'], ['c', 'g'], ['h', 'b'], ['h', 'c'], ['x', 'b'], ['x', 'c']];

/** Ratios of the medians, and the same ratio within each round (how much it moves). */
function ratios(sat, rate) {
  const out = [];
  const r3 = (x, y) => (x != null && y ? round(x / y, 3) : null);
  /** Each round's pair of measurements of x and y, mapped by `f` (null where one is missing). */
  const eachRound = (runs, x, y, f) => [...new Set(runs.map((r) => r.round))].map((n) => {
    const a = runs.find((r) => r.round === n && r.config === x);
    const b = runs.find((r) => r.round === n && r.config === y);
    return a && b ? f(a, b) : null;
  });
  const perRound = (runs, x, y, field) => eachRound(runs, x, y, (a, b) => round(a[field] / b[field], 2));
  // The machine's steal during the two measurements of each round, "x/y" in %: a round whose ratio
  // stands out can be told apart from a VM that was busy elsewhere.
  const stealPerRound = (runs, x, y) => eachRound(runs, x, y, (a, b) =>
    (a.stealPct != null && b.stealPct != null ? `${fmt(a.stealPct, 0)}/${fmt(b.stealPct, 0)}` : null));
  for (const [x, y] of PAIRS) {
    if (!ONLY.includes(x) || !ONLY.includes(y)) continue;
    out.push({
      pair: `${x}/${y}`,
      rps: r3(sat?.medians[x]?.rps, sat?.medians[y]?.rps),
      rateP50: r3(rate?.medians[x]?.p50, rate?.medians[y]?.p50),
      rateP90: r3(rate?.medians[x]?.p90, rate?.medians[y]?.p90),
      rateP99: r3(rate?.medians[x]?.p99, rate?.medians[y]?.p99),
      rpsPerRound: sat ? perRound(sat.runs, x, y, 'rps') : [],
      stealPerRound: sat ? stealPerRound(sat.runs, x, y) : [],
      rateP99PerRound: rate ? perRound(rate.runs, x, y, 'p99') : [],
    });
    // The median of the per-round ratios: each compares two measurements minutes apart at most, so
    // a VM whose speed drifts within the run moves it less than the ratio of the medians.
    const row = out[out.length - 1];
    row.rpsRoundMedian = median(row.rpsPerRound);
    row.rateP99RoundMedian = median(row.rateP99PerRound);
  }
  return out;
}

/** Per-round ratios; a configuration absent from a phase (g at the fixed rate) has none. */
const perRoundText = (xs) => (xs.some((x) => x != null) ? xs.map((x) => fmt(x, 2)).join(', ') : '–');
const fmt = (v, d = 0) => (v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(d));

function report(sat, rate, ratioRows, meta) {
  const lines = [
    `Run ${meta.date} on ${meta.cpu} (${meta.cpus} cores), Node ${meta.node}; load average ${meta.loadBefore} before, ${meta.loadAfter} after;`,
    `${meta.rounds} rounds, configurations interleaved (order rotating), a fresh app process per measurement, medians; ${meta.minutes} min in all.`,
    '',
  ];
  if (sat) {
    lines.push(
      `**Saturation** (throughput): closed loop (${meta.loader}), ${meta.connections} connections, ${meta.warmup} s warm-up then ${meta.seconds} s.`,
      'Its latencies are the queue of a saturated closed loop (≈ connections / throughput), not service latency.',
      '',
      '| configuration | req/s | p50 ms | p99 ms | RSS MB | exported KB | bytes/req | DB spans | CPU µs/req, process | CPU µs/req, main thread | CPU µs/req, sink + vendor | CPU µs/req, load generator | CPU µs/req, process, during warm-up | CPU steal % |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...ONLY.map((k) => {
        const m = sat.medians[k] ?? {};
        return `| ${CONFIGS[k].label} | ${fmt(m.rps)} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${fmt(m.rssMB)} | ${fmt(m.exportedKB)} | ${fmt(m.exportedBytesPerRequest)} | ${fmt(m.dbSpans)} | ${fmt(m.cpuUsPerRequest)} | ${fmt(m.mainCpuUsPerRequest)} | ${fmt(m.servicesCpuUsPerRequest)} | ${fmt(m.loaderCpuUsPerRequest)} | ${fmt(m.warmupCpuUsPerRequest)} | ${fmt(m.stealPct, 1)} |`;
      }),
      '',
    );
  }
  if (rate) {
    lines.push(
      `**Fixed rate** (latency at equal load): open loop at ${meta.rate} req/s for every configuration (${meta.rateSource}),`,
      `${meta.warmup} s warm-up at that rate then ${meta.rateSeconds} s; latency from each request's due time, in ms;`,
      'achieved = requests / (first due time → last response), "fell behind" below 95 % of the rate.',
      'Loop delay: how late the app\'s 5 ms event-loop timer fired (JS running long, GC, or the thread not scheduled), ms;',
      'GC: V8\'s pauses on the app\'s thread (ms per second of measurement, and the longest).',
      '',
      '| configuration | achieved req/s | p50 | p90 | p99 | max | loop delay p99 | loop delay max | GC ms/s | GC max | RSS MB | exported KB | bytes/req | DB spans | CPU µs/req, process | CPU µs/req, main thread | CPU µs/req, busiest other thread | CPU steal % |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...AT_RATE.map((k) => {
        const m = rate.medians[k] ?? {};
        const behind = m.rps < 0.95 * meta.rate ? ' (fell behind)' : '';
        return `| ${CONFIGS[k].label} | ${fmt(m.rps)}${behind} | ${fmt(m.p50, 1)} | ${fmt(m.p90, 1)} | ${fmt(m.p99, 1)} | ${fmt(m.max, 1)} | ${fmt(m.loopDelayP99, 1)} | ${fmt(m.loopDelayMax, 1)} | ${fmt(m.gcMsPerSecond, 1)} | ${fmt(m.gcMax, 1)} | ${fmt(m.rssMB)} | ${fmt(m.exportedKB)} | ${fmt(m.exportedBytesPerRequest)} | ${fmt(m.dbSpans)} | ${fmt(m.cpuUsPerRequest)} | ${fmt(m.mainCpuUsPerRequest)} | ${fmt(m.otherThreadCpuUsPerRequest)} | ${fmt(m.stealPct, 1)} |`;
      }),
      '',
    );
  }
  if (sat || rate) lines.push('CPU steal %: the share of the whole machine\'s CPU time (/proc/stat) that the hypervisor gave to other guests during the measurement; no configuration causes it.', '');
  const failures = [...(sat?.runs ?? []).map((r) => ['saturation', r]), ...(rate?.runs ?? []).map((r) => [`${meta.rate} req/s`, r])]
    .filter(([, r]) => r.failed > 0);
  if (failures.length) {
    lines.push(`Measurements kept with failed requests: ${failures.map(([ph, r]) => `${CONFIGS[r.config]?.label.split(' ')[0] ?? r.config} round ${r.round} (${ph}): ${r.failed} of ${r.requests}`).join('; ')}.`, '');
  }
  if (meta.error) lines.push(`**The run stopped early:** ${meta.error}. The tables hold the measurements made until then.`, '');
  lines.push(
    'Ratios of the medians (throughput: saturation req/s; p50 / p99: fixed rate). Targets: c/b req/s ≥ 0.90, c/b p99 ≤ 1.15.',
    '',
    '| ratio | req/s | p50 @ rate | p90 @ rate | p99 @ rate | req/s per round | median of those | CPU steal % per round (x/y, saturation) | p99 @ rate per round | median of those |',
    '|---|---:|---:|---:|---:|---|---:|---|---|---:|',
    ...ratioRows.map((r) => `| ${r.pair} | ${fmt(r.rps, 3)} | ${fmt(r.rateP50, 3)} | ${fmt(r.rateP90, 3)} | ${fmt(r.rateP99, 3)} | ${perRoundText(r.rpsPerRound)} | ${fmt(r.rpsRoundMedian, 2)} | ${(r.stealPerRound ?? []).some((x) => x != null) ? r.stealPerRound.map((x) => x ?? '–').join(', ') : '–'} | ${perRoundText(r.rateP99PerRound)} | ${fmt(r.rateP99RoundMedian, 2)} |`),
    '',
    'c/b: the product against plain OTel (c also traces and matches the SQLite insert, which b cannot); e/b: like for like',
    '(same instrumentations); d/a ≈ 1 is the sanity check of a run; g/b: Datadog\'s tracer with IAST taint tracking on',
    'every request against plain OTel (the outside reference), c/g: the product against it; h/b, h/c: (c) with the analysis thread kept out of SCHED_IDLE (nice steps only); x/c: (c) from the build given with --compare against this one.',
    '',
    `Command: \`${meta.command}\``,
    '',
  );
  return lines.join('\n');
}

async function profile(services) {
  // Profiles are large: kept out of the repository.
  const dir = join(tmpdir(), 'sst-bench-profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  // Saturated by default; with --rate N at that fixed rate (the main thread's cost per request without CPU contention).
  const res = await measure(PROFILE, services, { rate: FIXED_RATE > 0 ? FIXED_RATE : 0, extraArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  // The ESM loader thread writes its own (idle) profile: the main thread's is the largest.
  const file = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.cpuprofile'))
    .sort((x, y) => statSync(join(dir, y)).size - statSync(join(dir, x)).size)[0];
  console.log(JSON.stringify(res));
  console.log(`profile: ${join(dir, file)}`);
  const { summarize } = await import('./profile-summary.mjs');
  console.log(summarize(join(dir, file)));
}

const loadAverage = () => { try { return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '); } catch { return '?'; } };

async function main() {
  if (REPORTED) {
    const text = report(REPORTED.saturation, REPORTED.fixedRate, ratios(REPORTED.saturation, REPORTED.fixedRate), REPORTED.meta);
    console.log(text);
    writeFileSync(join(RESULTS, 'http.md'), `# HTTP overhead benchmark\n\n${text}`);
    console.log(`wrote bench/results/http.md from ${REPORT_FILE}`);
    return;
  }
  const began = Date.now();
  const loadBefore = loadAverage();
  const services = await start([join(HERE, 'services.cjs')], { PATH: process.env.PATH });
  try {
    if (PROFILE) return await profile(services);
    let sat = null;
    let rate = null;
    let rateValue = FIXED_RATE;
    let rateSource = '--rate';
    const satRuns = [];
    const rateRuns = [];
    let error = null;
    try {
      if (PHASE !== 'rate') {
        await rounds(services, 'saturation', { seconds: SECONDS }, satRuns);
        sat = { runs: satRuns, medians: mediansOf(satRuns) };
      }
      if (PHASE !== 'saturation') {
        if (!(rateValue > 0)) {
          const [slowest, rps] = Object.entries(sat.medians).filter(([k]) => AT_RATE.includes(k)).map(([k, m]) => [k, m.rps]).sort((x, y) => x[1] - y[1])[0];
          rateValue = Math.max(1, Math.round(RATE_FRACTION * rps));
          rateSource = `${RATE_FRACTION} × the slowest saturated median, ${CONFIGS[slowest].label.split(' ')[0]} ${rps.toFixed(0)} req/s`;
        }
        console.log(`fixed rate: ${rateValue} req/s (${rateSource})`);
        rate = { runs: rateRuns, medians: null };
        await rounds(services, `${rateValue}/s`, { rate: rateValue, seconds: RATE_SECONDS }, rateRuns);
      }
    } catch (e) {
      // What was measured before the failure is still written, marked as a partial run.
      error = String(e?.message ?? e).split('\n')[0];
      console.error(e);
      process.exitCode = 1;
      if (satRuns.length === 0 && rateRuns.length === 0) return;
      if (!sat && satRuns.length > 0) sat = { runs: satRuns, medians: mediansOf(satRuns) };
    }
    if (rate) rate.medians = mediansOf(rateRuns);
    if (rate && rateRuns.length === 0) rate = null;
    const ratioRows = ratios(sat, rate);
    const now = new Date();
    const meta = {
      date: now.toISOString(), node: process.versions.node, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown',
      loader: LOADER, rounds: ROUNDS, seconds: SECONDS, rateSeconds: RATE_SECONDS, warmup: WARMUP, connections: CONNECTIONS,
      rate: rateValue, rateSource, loadBefore, loadAfter: loadAverage(), minutes: round((Date.now() - began) / 60000, 1),
      configurations: Object.fromEntries(ONLY.map((k) => [k, { label: CONFIGS[k].label, env: CONFIGS[k].envText ?? CONFIGS[k].env }])),
      command: `node bench/http/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
      ...(error ? { error } : {}),
    };
    const text = report(sat, rate, ratioRows, meta);
    console.log('\n' + text);
    mkdirSync(RESULTS, { recursive: true });
    const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-') + (error ? '-partial' : '');
    writeFileSync(join(RESULTS, `http-${stamp}.json`), JSON.stringify({
      meta, saturation: sat && { medians: sat.medians, runs: sat.runs }, fixedRate: rate && { medians: rate.medians, runs: rate.runs }, ratios: ratioRows,
    }, null, 2) + '\n');
    writeFileSync(join(RESULTS, 'http.md'), `# HTTP overhead benchmark\n\n${text}`);
    console.log(`wrote bench/results/http-${stamp}.json and bench/results/http.md`);
  } finally {
    await stop(services.child);
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
