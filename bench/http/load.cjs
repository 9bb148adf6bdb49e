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

function print(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
}

function saturate() {
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
      mode: 'saturation', rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max,
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
