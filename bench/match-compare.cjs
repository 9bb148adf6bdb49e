// Egress matcher, two builds side by side (issue 8): the bench payloads of bench/micro.ts (1 KB Meta
// CAPI event, 64 KB LLM prompt, 1 MB contacts upload; registry of 10k subjects) matched by each
// build, 5 rounds, medians of CPU time (process.cpuUsage), which a machine shared with other jobs
// distorts much less than wall time. Every measurement runs in a fresh child process, the two builds
// alternating and the order rotating every round: with both builds in one process, whichever was
// loaded first measured 1.3-1.5x slower on the 1 KB event, both ways round (session 11).
//   PHASES=1 also splits the new build's time into body toString / JSON.parse / decode / scan
//   (in this process, the new build only).
// usage: node bench/match-compare.cjs <base build dir> <new build dir> [capi,llm,llm-de,llm-ja,bulk] [maxTokens]
// (llm-de / llm-ja: the German and Japanese prompts, after `npx tsc -p bench/tsconfig.json`)
// (a build dir is a tsc output with span-processor/: dist/, or scripts/build-area.sh's /tmp/sst-build-x)
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ITERS = { capi: 2000, llm: 40, 'llm-de': 40, 'llm-ja': 40, bulk: 6 };
const ROUNDS = 5;

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const FIRST = Array.from({ length: 2000 }, (_, i) => `${['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Chloé', 'Kenji'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const LAST = Array.from({ length: 5000 }, (_, i) => `${['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Dubois', 'Tanaka'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const CITY = Array.from({ length: 1000 }, (_, i) => `${['San Francisco', 'Austin', 'Brooklyn', 'Seattle', 'Chicago'][i % 5]}${i < 5 ? '' : ' ' + i.toString(36)}`);
function person(i) { const first = FIRST[i % FIRST.length], last = LAST[(i * 7) % LAST.length]; return { first, last, email: `${first}.${last}${i}@example.com`, phone: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}`, city: CITY[(i * 13) % CITY.length], zip: String(10000 + ((i * 31) % 40000)) }; }
const WORDS = 'the customer asked about their order and wanted to know when the package would arrive because they are travelling next week please summarize the conversation and suggest a polite reply that explains the delay and offers a discount code for the next purchase'.split(' ');
function prose(bytes, seed, mention, words = WORDS) { const out = []; let n = 0, x = seed; while (n < bytes) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; const w = words[x % words.length]; out.push(w); n += w.length + 1; if (out.length % 400 === 200) { out.push(mention); n += mention.length + 1; } } return out.join(' '); }
function body(t) { const b = Buffer.from(t); return { chunks: [b], bytes: b.length, truncated: false, complete: true }; }
function egress(url, text) { return { kind: 'egress', method: 'POST', url, host: new URL(url).hostname, headers: { 'content-type': 'application/json' }, body: body(text) }; }
const people = Array.from({ length: 10000 }, (_, i) => person(i));
const p = people[1234];
const capi = JSON.stringify({ data: [{ event_name: 'Purchase', event_time: 1732000000, action_source: 'website', event_id: 'evt-7f3a2b18-9c4d', event_source_url: 'https://shop.example/checkout/complete', user_data: { em: [sha256(p.email.toLowerCase())], ph: [sha256('14152001234')], fn: [sha256(p.first.toLowerCase())], ln: [sha256(p.last.toLowerCase())], ct: [sha256(p.city.toLowerCase().replace(/\s+/g, ''))], zp: [sha256(p.zip)], country: [sha256('us')], external_id: [sha256('user-000123')], client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', fbc: 'fb.1.1732000000000.IwAR2xYzAbCdEfGh', fbp: 'fb.1.1732000000000.1234567890' }, custom_data: { currency: 'USD', value: 129.9, content_ids: ['sku-1001', 'sku-2002'], content_type: 'product', num_items: 2 } }], test_event_code: 'TEST12345' });
const mention = `(customer ${p.first} ${p.last}, ${p.email}, phone ${p.phone})`;
const llm = JSON.stringify({ model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'system', content: 'You are a helpful support assistant.' }, { role: 'user', content: prose(64 * 1024 - 300, 7, mention) }] });
const rows = []; let n = 0; for (let i = 0; n < 1024 * 1024 - 400; i++) { const q = people[i % 2000]; const row = { id: `c-${i}`, email: q.email, first_name: q.first, last_name: q.last, phone: q.phone, city: q.city, zip: q.zip, company: 'Acme Corp', notes: 'Met at the spring conference; interested in the pro plan.', score: 40 + (i % 60) }; n += JSON.stringify(row).length + 1; rows.push(row); }
const bulk = JSON.stringify({ contacts: rows });
// The micro benchmark's German and Japanese prompts (bench/prose.ts; its build is dist/bench/prose.js).
const proseModule = (() => { try { return require(path.join(__dirname, '..', 'dist', 'bench', 'prose.js')); } catch { return undefined; } })();
const chat = (content) => JSON.stringify({ model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'system', content: 'You are a helpful support assistant.' }, { role: 'user', content }] });
const llmDe = proseModule ? chat(prose(64 * 1024 - 300, 7, mention, proseModule.GERMAN)) : undefined;
const llmJa = proseModule ? chat(proseModule.japanese(Math.floor((64 * 1024 - 300) / 3), mention)) : undefined;
const payloads = { capi: egress('https://graph.facebook.com/v21.0/1/events', capi), llm: egress('https://api.openai.com/v1/chat/completions', llm), bulk: egress('https://api.hubapi.com/crm/v3/objects/contacts/batch/create', bulk) , ...(llmDe ? { 'llm-de': egress('https://api.openai.com/v1/chat/completions', llmDe), 'llm-ja': egress('https://api.openai.com/v1/chat/completions', llmJa) } : {}) };
const opts = (maxTokens) => ({ defaultPhoneRegion: 'US', maxTokens });

function loadBuild(dir) {
  const { createRegistry } = require(dir + '/span-processor/registry/registry.js');
  const { matchEgress } = require(dir + '/span-processor/match/index.js');
  const r = createRegistry({ key: Buffer.from('bench-key-bench-key-bench-key-0123456789'), defaultPhoneRegion: 'US', ttlSeconds: 21600, maxBytes: Number.MAX_SAFE_INTEGER });
  people.forEach((q) => { const s = r.fingerprint('email', q.email)?.fp; for (const [c, v] of [['email', q.email], ['phone', q.phone], ['name', q.first], ['name', q.last], ['city', q.city], ['postal_code', q.zip]]) r.register({ category: c, value: v, subject: s }); });
  return { r, matchEgress };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** In a child: one build, one payload; warm-up, then the median of three timed batches. */
function child(dir, kind, maxTokens) {
  const { r, matchEgress } = loadBuild(dir);
  const o = opts(maxTokens);
  const iters = ITERS[kind];
  let res;
  for (let i = 0; i < iters * 2; i++) res = matchEgress(payloads[kind], r, o);
  const xs = [];
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < iters; i++) res = matchEgress(payloads[kind], r, o);
    const d = process.cpuUsage(c0);
    xs.push((d.user + d.system) / iters);
  }
  process.stdout.write(JSON.stringify({ us: median(xs), matches: res.matches.length, truncated: res.truncated }) + '\n');
}

function measure(dir, kind, maxTokens) {
  const out = spawnSync(process.execPath, [__filename, '--child', dir, kind, maxTokens === undefined ? '' : String(maxTokens)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`child for ${dir} ${kind} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--child') {
  const mt = process.argv[5];
  child(process.argv[3], process.argv[4], mt ? Number(mt) : undefined);
} else {
  const [baseDir, newDir] = [process.argv[2], process.argv[3]].map((d) => path.resolve(d));
  const only = process.argv[4] ? process.argv[4].split(',') : Object.keys(payloads);
  const maxTokens = process.argv[5] ? Number(process.argv[5]) : undefined;
  const builds = process.env.PHASES_ONLY ? { perf: newDir } : { base: baseDir, perf: newDir };
  for (const k of only) {
    const t = { base: [], perf: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(builds);
      if (round % 2) names.reverse();
      for (const b of names) {
        const m = measure(builds[b], k, maxTokens);
        t[b].push(m.us);
        if (round === 0) console.log(k, b, m.matches, 'matches', m.truncated ? 'truncated' : '');
      }
    }
    const mb = payloads[k].body.bytes / 2 ** 20;
    for (const b of Object.keys(builds)) console.log(`  ${k} ${b}: ${median(t[b]).toFixed(1)} µs, ${(mb / median(t[b]) * 1e6).toFixed(1)} MB/s  (rounds: ${t[b].map((x) => x.toFixed(0)).join(', ')})`);
    if (t.base.length && t.perf.length) console.log(`${k}: ${payloads[k].body.bytes} B  base ${median(t.base).toFixed(1)} µs (${(mb / median(t.base) * 1e6).toFixed(1)} MB/s)  new ${median(t.perf).toFixed(1)} µs (${(mb / median(t.perf) * 1e6).toFixed(1)} MB/s)  speedup ${(median(t.base) / median(t.perf)).toFixed(2)}x`);
  }
  if (process.env.PHASES) phases(newDir, only, maxTokens);
}

function phases(dir, only, maxTokens) {
  const { egressLeaves } = require(dir + '/span-processor/match/egress.js');
  const { matchLeavesWith, newScanEnv } = require(dir + '/span-processor/match/leaves.js');
  const { r } = loadBuild(dir);
  const o = opts(maxTokens);
  for (const k of only) {
    const iters = k === 'capi' ? 3000 : k === 'bulk' ? 8 : 60;
    const cpu = (f) => { for (let i = 0; i < 3; i++) f(); const xs = []; for (let round = 0; round < 5; round++) { const c0 = process.cpuUsage(); for (let i = 0; i < iters; i++) f(); const d = process.cpuUsage(c0); xs.push((d.user + d.system) / iters); } return median(xs); };
    const leaves = egressLeaves(payloads[k], o).leaves;
    const dec = cpu(() => egressLeaves(payloads[k], o));
    const parse = cpu(() => JSON.parse(payloads[k].body.chunks[0].toString('utf8')));
    const tostr = cpu(() => payloads[k].body.chunks[0].toString('utf8'));
    const match = cpu(() => matchLeavesWith(newScanEnv(r, o), leaves, o));
    console.log(`${k}: ${leaves.length} leaves; toString ${tostr.toFixed(1)} µs, JSON.parse ${parse.toFixed(1)} µs, decode (leaves) ${dec.toFixed(1)} µs, scan+policy ${match.toFixed(1)} µs`);
  }
}
