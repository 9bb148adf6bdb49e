// How long a configuration takes to reach its steady CPU cost: one app process under a constant
// load, its CPU per request printed for every window of a few seconds, by thread: the main thread,
// the busiest other thread (the analysis thread when there is one), and the rest (V8's helper
// threads: JIT compilation, parallel GC; libuv). The HTTP benchmark's warm-up (run.mjs --warmup) is
// chosen from this curve.
//   node bench/http/warmup.mjs [--config c|b|a|e] [--rate 450] [--seconds 60] [--window 5]
// --rate 0 is a closed loop (wrk if installed, else autocannon); CPU per request then divides by the
// requests the load generator reports for the whole run, spread evenly, so prefer a fixed rate.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HERE, appEnv, start, startApp, stop, threadCpuSeconds } from './processes.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const CONFIG = arg('config', 'c');
const RATE = Number(arg('rate', 450));
const SECONDS = Number(arg('seconds', 60));
const WINDOW = Number(arg('window', 5));
const PRELOAD = {
  a: [],
  b: ['--require', join(HERE, 'plain-otel.cjs')],
  c: ['--import', '@sst/otel-auto'],
  e: ['--import', '@sst/otel-auto'],
};
if (!PRELOAD[CONFIG]) throw new Error(`--config ${CONFIG}: one of ${Object.keys(PRELOAD).join(', ')}`);

const services = await start([join(HERE, 'services.cjs')], { PATH: process.env.PATH });
const [sinkPort, vendorPort] = services.ports;
const env = appEnv(sinkPort, vendorPort, CONFIG === 'e' ? { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' } : {});
const app = await startApp(PRELOAD[CONFIG], env);
const pid = String(app.child.pid);
const haveWrk = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
const loadArgs = [join(HERE, 'load.cjs'), `http://127.0.0.1:${app.ports[0]}`, String(SECONDS), '16', ...(RATE > 0 ? [String(RATE)] : [])];
const loader = spawn(process.execPath, loadArgs, {
  stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_LOADER: RATE > 0 || !haveWrk ? 'autocannon' : 'wrk' },
});
let loadOut = '';
loader.stdout.on('data', (d) => { loadOut += d; });
const loaded = new Promise((resolve) => loader.on('exit', resolve));

console.log(`configuration ${CONFIG}, ${RATE > 0 ? `${RATE} req/s` : 'closed loop'}, CPU µs per request by window`);
console.log('  until   main  busiest other thread  rest   process');
const windows = [];
let before = threadCpuSeconds(pid);
for (let t = WINDOW; t <= SECONDS; t += WINDOW) {
  await new Promise((r) => setTimeout(r, WINDOW * 1000));
  const now = threadCpuSeconds(pid);
  let all = 0;
  let busiest = 0;
  for (const [tid, cpu] of now) {
    const used = cpu - (before.get(tid) ?? 0);
    all += used;
    if (tid !== pid && used > busiest) busiest = used;
  }
  const main = (now.get(pid) ?? 0) - (before.get(pid) ?? 0);
  windows.push({ t, main, busiest, rest: all - main - busiest, all });
  before = now;
}
await loaded;
const requests = JSON.parse(loadOut.trim().split('\n').pop()).requests;
// At a fixed rate every window served RATE × WINDOW requests; closed loop: the run's mean.
const perWindow = RATE > 0 ? RATE * WINDOW : requests / windows.length;
const us = (s) => String(Math.round((s * 1e6) / perWindow)).padStart(6);
for (const w of windows) console.log(`  ${String(w.t).padStart(3)} s ${us(w.main)} ${us(w.busiest)}               ${us(w.rest)} ${us(w.all)}`);
// The app first, so its last export still finds the sink.
await stop(app.child);
await stop(services.child);
