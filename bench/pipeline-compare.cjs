// The decision side of one request of the HTTP benchmark (bench/http/app.cjs), two builds side by
// side in one process (issue 8): ingress detection + registration of a new person, the SQLite
// INSERT's store flow, the Meta CAPI call's share match, the scrub of the spans' attributes and the
// sst.* annotations. Builds alternate in rounds of 2000 requests; medians of CPU time per request
// (process.cpuUsage), robust on a machine shared with other jobs. Each build gets its own registry,
// fed the same people in the same order.
//   node bench/pipeline-compare.cjs <base build dir> <new build dir> [rounds]
// (a build dir is a tsc output with span-processor/: dist/, or scripts/build-area.sh's /tmp/sst-build-x)
'use strict';
const { createHash } = require('node:crypto');
const path = require('node:path');

const [baseDir, newDir] = [process.argv[2], process.argv[3]].map((d) => path.resolve(d || 'dist'));
const ROUNDS = Number(process.argv[4] || 7);
const PER_ROUND = 2000;
const KEY = Buffer.from('bench-key-bench-key-bench-key-0123456789');

const FIRST = ['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Sofia', 'Omar', 'Chloé', 'Kenji', 'Priya', 'Mateo'];
const LAST = ['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Haddad', 'Dubois', 'Tanaka', 'Patel', 'Silva'];
const CITY = [['San Francisco', '94105'], ['Austin', '78701'], ['Brooklyn', '11201'], ['Seattle', '98101'], ['Chicago', '60601']];

function body(text) { const b = Buffer.from(text); return { chunks: [b], bytes: b.length, truncated: false, complete: true }; }

/** The three captures of request i, as the HTTP benchmark's app produces them. */
function request(i) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  const [city, zip] = CITY[i % CITY.length];
  const p = {
    firstName: first, lastName: last, email: `${first}.${last}.${i}@example.com`,
    phone: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}`,
    address: { line1: `${100 + (i % 900)} Market St`, city, zip, country: 'US' }, marketingOptIn: i % 2 === 0, plan: 'pro',
  };
  // A random-looking UUID, as crypto.randomUUID() gives the app (deterministic per request).
  const h = createHash('md5').update(String(i)).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  const ingress = {
    kind: 'ingress', method: 'POST', target: '/signup',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench', host: '127.0.0.1:3000' },
    clientIp: '127.0.0.1', body: body(JSON.stringify(p)),
  };
  const db = {
    kind: 'db', system: 'sqlite', truncated: false,
    statement: 'INSERT INTO signups (id, email, phone, first_name, last_name, city, zip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    params: [id, p.email, p.phone, first, last, city, zip, String(1764196200000 + i)],
  };
  const em = createHash('sha256').update(p.email.trim().toLowerCase()).digest('hex');
  const url = 'http://graph.facebook.com:41311/v18.0/123/events';
  const egress = {
    kind: 'egress', method: 'POST', url, host: 'graph.facebook.com', headers: { 'content-type': 'application/json' },
    body: body(JSON.stringify({ data: [{ event_name: 'CompleteRegistration', event_time: 1764196200 + i, action_source: 'website', event_id: id, user_data: { em: [em], client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) bench' } }] })),
  };
  const attrs = {
    server: { 'http.request.method': 'POST', 'url.path': '/signup', 'client.address': '127.0.0.1', 'network.peer.address': '127.0.0.1', 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench' },
    db: { 'db.system.name': 'sqlite', 'db.query.text': db.statement, 'db.operation.name': 'INSERT', 'db.collection.name': 'signups' },
    client: { 'http.request.method': 'POST', 'url.full': url, 'url.path': '/v18.0/123/events', 'url.query': '', 'server.address': 'graph.facebook.com' },
  };
  return { ingress, db, egress, attrs };
}

function load(dir) {
  const sp = (m) => require(path.join(dir, 'span-processor', m));
  const cfg = sp('config').defaultConfig();
  const registry = sp('registry/registry').createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 6 * 3600, maxBytes: 64 * 1024 * 1024 });
  const catalog = sp('catalog/catalog').createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  const engine = new (sp('engine').Engine)({ cfg, detector: sp('detect').createDetector(cfg), registry, catalog });
  const scrubber = sp('scrub').createScrubber(registry, engine.matchOptions, false);
  const a = sp('attributes');
  const t = [1764196200, 0];
  let found = 0;
  return {
    run(r) {
      const c = engine.collect(r.ingress);
      a.collectAnnotations(c, 'collect', t, 64);
      const d = engine.db(r.db);
      if (d && d.flow === 'store') a.matchAnnotations(d.matches, 'store', t, 64, d.truncated, d.errors);
      const s = engine.share(r.egress);
      if (s) { a.shareAnnotations(s, t, 64); found += s.matches.length; }
      scrubber.attributes(r.attrs.server, true);
      scrubber.attributes(r.attrs.db, false);
      scrubber.attributes(r.attrs.client, false);
    },
    found: () => found,
  };
}

const builds = { base: load(baseDir), new: load(newDir) };
const times = { base: [], new: [] };
let next = 0;
for (let round = 0; round < ROUNDS; round++) {
  const reqs = Array.from({ length: PER_ROUND }, (_, k) => request(next + k));
  next += PER_ROUND;
  const order = round % 2 ? ['new', 'base'] : ['base', 'new'];
  for (const name of order) {
    const b = builds[name];
    const t0 = process.cpuUsage();
    for (const r of reqs) b.run(r);
    const u = process.cpuUsage(t0);
    times[name].push((u.user + u.system) / PER_ROUND);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const mb = median(times.base.slice(1));
const mn = median(times.new.slice(1));
console.log(`CPU µs per request (median of ${ROUNDS - 1} rounds × ${PER_ROUND}, first round is warm-up):`);
console.log(`  base ${mb.toFixed(1)}  (${baseDir})  shares found ${builds.base.found()}`);
console.log(`  new  ${mn.toFixed(1)}  (${newDir})  shares found ${builds.new.found()}`);
console.log(`  new/base ${(mn / mb).toFixed(3)}`);
