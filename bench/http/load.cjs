'use strict';
// Load generator, in its own process: POSTs signups with a different person each time (a pool of
// 20k people, cycled) and prints one JSON line with the result.
//   node load.cjs <url> <seconds> <connections>          closed loop at saturation (autocannon)
//   node load.cjs <url> <seconds> <connections> <rate>   open loop at a fixed rate (paced, below)
//
// Why a paced generator and not autocannon's overallRate: autocannon spends each connection's
// per-second quota back to back and then idles until the next second, so "50 % load" is half a
// second at saturation and half a second idle: its p99 would still be the saturation queue. Here
// request i is due at t0 + i / rate whatever happened before (open loop), and its latency is
// counted from that due time, so a stall of the app (or of the generator) delays the requests due
// meanwhile and shows in the tail instead of being omitted (coordinated omission, as wrk2 does).
const http = require('node:http');
const { spawn } = require('node:child_process');
const { readFileSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const [url, seconds, connections, rate] = [process.argv[2], Number(process.argv[3] || 10), Number(process.argv[4] || 16), Number(process.argv[5] || 0)];
const FIRST = ['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Sofia', 'Omar', 'Chloé', 'Kenji', 'Priya', 'Mateo'];
const LAST = ['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Haddad', 'Dubois', 'Tanaka', 'Patel', 'Silva'];
const CITY = [['San Francisco', '94105'], ['Austin', '78701'], ['Brooklyn', '11201'], ['Seattle', '98101'], ['Chicago', '60601']];
const POOL = 20000;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) bench';
const bodies = [];
for (let i = 0; i < POOL; i++) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  const [city, zip] = CITY[i % CITY.length];
  bodies.push(JSON.stringify({
    firstName: first, lastName: last,
    email: `${first}.${last}.${i}@example.com`,
    phone: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}`,
    address: { line1: `${100 + (i % 900)} Market St`, city, zip, country: 'US' },
    marketingOptIn: i % 2 === 0,
    plan: 'pro',
  }));
}
let next = Math.floor(Math.random() * POOL);

/** CPU seconds this process and its reaped children (wrk) have used: the load generator's share
 *  of the machine, which on a one-machine benchmark is taken from the app. */
function loaderCpuSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ').map(Number);
    return (x[11] + x[12] + x[13] + x[14]) / 100; // utime stime cutime cstime, USER_HZ ticks
  } catch {
    return NaN;
  }
}
const cpuAtStart = loaderCpuSeconds();

function print(result) {
  const loaderCpuUsPerRequest = Math.round(((loaderCpuSeconds() - cpuAtStart) * 1e6) / result.requests);
  process.stdout.write(JSON.stringify({ ...result, loaderCpuUsPerRequest }) + '\n');
}

/**
 * The saturation phase driven by wrk (BENCH_LOADER=wrk) instead of autocannon: the same bodies and
 * connections from one C thread, which takes a fraction of the CPU autocannon's JS does (both run
 * on the app's machine here, so what the load generator burns is taken from the app).
 */
function saturateWithWrk() {
  const file = join(tmpdir(), `sst-bench-bodies-${process.pid}.txt`);
  writeFileSync(file, bodies.join('\n') + '\n');
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', join(__dirname, 'wrk-signup.lua'), url, '--', file, String(next)];
  const child = spawn(process.env.BENCH_WRK || 'wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.on('error', (e) => { console.error(`wrk: ${e.message}`); process.exit(1); });
  child.on('exit', (code) => {
    rmSync(file, { force: true });
    const line = out.split('\n').find((l) => l.startsWith('WRK '));
    if (code !== 0 || !line) { console.error(`wrk exited ${code}:\n${out}`); process.exit(1); }
    const w = JSON.parse(line.slice(4));
    const ms = (us) => r2(us / 1000);
    print({
      mode: 'saturation', loader: 'wrk', rps: w.requests / (w.durationUs / 1e6), p50: ms(w.p50Us), p90: ms(w.p90Us), p99: ms(w.p99Us), max: ms(w.maxUs),
      requests: w.requests, non2xx: w.status, errors: w.connect + w.read + w.write, timeouts: w.timeout,
    });
  });
  process.on('SIGTERM', () => child.kill('SIGINT'));
}

function saturate() {
  if (process.env.BENCH_LOADER === 'wrk') return saturateWithWrk();
  const inst = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{
      method: 'POST',
      path: '/signup',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % POOL] }),
    }],
  }, (err, r) => {
    if (err) { console.error(err); process.exit(1); }
    print({
      mode: 'saturation', loader: 'autocannon', rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max,
      requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    });
  });
  process.on('SIGTERM', () => inst.stop());
}

const percentile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const r2 = (n) => Math.round(n * 100) / 100;

function paced() {
  const target = new URL('/signup', url);
  // Enough sockets that a slow request never holds back the next due one; more in flight than
  // this means the app is not keeping up, and the wait shows in the latency from the due time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(connections, 64) });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const fromDue = new Float64Array(total);
  const fromSend = new Float64Array(total);
  let issued = 0;
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  let maxInFlight = 0;
  let t0 = 0;

  function send(i) {
    const due = t0 + i * interval;
    const sent = performance.now();
    const body = bodies[next++ % POOL];
    const req = http.request(target, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
      res.resume();
      res.on('end', () => finish(i, due, sent));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', () => { errors++; finish(i, due, sent); });
    req.end(body);
    maxInFlight = Math.max(maxInFlight, issued - done);
  }

  function finish(i, due, sent) {
    const now = performance.now();
    fromDue[i] = now - due;
    fromSend[i] = now - sent;
    if (++done === total) report();
  }

  function tick() {
    const now = performance.now();
    while (issued < total && t0 + issued * interval <= now) send(issued++);
    if (issued < total) setTimeout(tick, Math.max(0, t0 + issued * interval - performance.now()));
  }

  let endAt = 0;
  function report() {
    endAt = performance.now();
    const due = Array.from(fromDue).sort((x, y) => x - y);
    const svc = Array.from(fromSend).sort((x, y) => x - y);
    agent.destroy();
    print({
      mode: 'rate', rate,
      // Completed requests over the time from the first due time to the last response: below the
      // target rate only if the app fell behind.
      rps: total / ((endAt - t0) / 1000),
      p50: r2(percentile(due, 0.5)), p90: r2(percentile(due, 0.9)), p99: r2(percentile(due, 0.99)), max: r2(due[due.length - 1]),
      service: { p50: r2(percentile(svc, 0.5)), p90: r2(percentile(svc, 0.9)), p99: r2(percentile(svc, 0.99)), max: r2(svc[svc.length - 1]) },
      requests: total, maxInFlight, non2xx, errors, timeouts: 0,
    });
  }

  t0 = performance.now();
  tick();
}

if (rate > 0) paced();
else saturate();
