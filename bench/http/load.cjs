'use strict';
// Load generator, in its own process: autocannon POSTs signups with a different person each time
// (a pool of 20k people, cycled) and prints one JSON line with the result.
const autocannon = require('autocannon');

const [url, seconds, connections] = [process.argv[2], Number(process.argv[3] || 10), Number(process.argv[4] || 16)];
const FIRST = ['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Sofia', 'Omar', 'Chloé', 'Kenji', 'Priya', 'Mateo'];
const LAST = ['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Haddad', 'Dubois', 'Tanaka', 'Patel', 'Silva'];
const CITY = [['San Francisco', '94105'], ['Austin', '78701'], ['Brooklyn', '11201'], ['Seattle', '98101'], ['Chicago', '60601']];
const POOL = 20000;
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

const inst = autocannon({
  url,
  connections,
  duration: seconds,
  requests: [{
    method: 'POST',
    path: '/signup',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench' },
    setupRequest: (req) => ({ ...req, body: bodies[next++ % POOL] }),
  }],
}, (err, r) => {
  if (err) { console.error(err); process.exit(1); }
  process.stdout.write(JSON.stringify({
    rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max,
    requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  }) + '\n');
});
process.on('SIGTERM', () => inst.stop());
