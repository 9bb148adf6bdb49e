// Microbenchmarks of the hot paths (issue 8), with tinybench:
//   ingress detection per request; fingerprint + variants per value (registry.register);
//   egress matcher MB/s on a 1 KB Meta CAPI JSON, 64 KB LLM prompts (English, German, Japanese) and
//   a 1 MB body;
//   registry memory for 10k / 100k / 1M subjects (each in a fresh child process, heap + typed
//   arrays measured after forced GC, next to the registry's own stats().bytes).
//
//   npm run bench:micro [-- --quick]      (--quick: registry memory for 10k and 100k only)
// Results: bench/results/micro-<date>.json and bench/results/micro.md.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../span-processor/config';
import { createDetector } from '../span-processor/detect';
import { createRegistry } from '../span-processor/registry/registry';
import { createCatalog } from '../span-processor/catalog/catalog';
import { Engine } from '../span-processor/engine';
import { matchEgress } from '../span-processor/match';
import { GERMAN, japanese, prose } from './prose';
import { egressLeaves } from '../span-processor/match/egress';
import type { EgressCapture, IngressCapture, Registry } from '../span-processor/types';

const KEY = Buffer.from('bench-key-bench-key-bench-key-0123456789');
const RESULTS = join(__dirname, '..', '..', 'bench', 'results');

// ------------------------------------------------------------------------------------------------
// People. Realistic pools: first names, last names and cities repeat across subjects (as they do in
// real user bases); emails and phones are unique. `unique` makes every value of every subject new.

interface Person { first: string; last: string; email: string; phone: string; city: string; zip: string }

const FIRST = Array.from({ length: 2000 }, (_, i) => `${['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Chloé', 'Kenji'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const LAST = Array.from({ length: 5000 }, (_, i) => `${['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Dubois', 'Tanaka'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const CITY = Array.from({ length: 1000 }, (_, i) => `${['San Francisco', 'Austin', 'Brooklyn', 'Seattle', 'Chicago'][i % 5]}${i < 5 ? '' : ' ' + i.toString(36)}`);

function person(i: number, unique = false): Person {
  const first = unique ? `Fn${i.toString(36)}` : FIRST[i % FIRST.length];
  const last = unique ? `Ln${i.toString(36)}` : LAST[(i * 7) % LAST.length];
  return {
    first, last,
    email: `${first}.${last}${i}@example.com`,
    phone: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}`,
    city: unique ? `Town ${i.toString(36)}` : CITY[(i * 13) % CITY.length],
    zip: unique ? String(10000 + (i % 90000)) : String(10000 + ((i * 31) % 40000)),
  };
}

function registerPerson(r: Registry, p: Person, i: number): void {
  const subject = r.fingerprint('email', p.email)?.fp ?? `s${i}`;
  r.register({ category: 'email', value: p.email, subject });
  r.register({ category: 'phone', value: p.phone, subject });
  r.register({ category: 'name', value: p.first, subject });
  r.register({ category: 'name', value: p.last, subject });
  r.register({ category: 'city', value: p.city, subject });
  r.register({ category: 'postal_code', value: p.zip, subject });
}

function newRegistry(): Registry {
  return createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 6 * 3600, maxBytes: Number.MAX_SAFE_INTEGER });
}

// ------------------------------------------------------------------------------------------------
// Payloads.

function body(text: string): IngressCapture['body'] {
  const b = Buffer.from(text);
  return { chunks: [b], bytes: b.length, truncated: false, complete: true };
}

function signup(p: Person, i: number): IngressCapture {
  return {
    kind: 'ingress', method: 'POST', target: '/signup?ref=newsletter',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench', host: 'shop.example' },
    clientIp: `203.0.113.${i % 250}`,
    body: body(JSON.stringify({
      firstName: p.first, lastName: p.last, email: p.email, phone: p.phone,
      address: { line1: `${100 + (i % 900)} Market St`, city: p.city, zip: p.zip, country: 'US' },
      marketingOptIn: true, plan: 'pro',
    })),
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function egress(url: string, text: string): EgressCapture {
  const u = new URL(url);
  return { kind: 'egress', method: 'POST', url, host: u.hostname, headers: { 'content-type': 'application/json' }, body: body(text) };
}

function capiPayload(p: Person): string {
  const lower = (s: string) => s.toLowerCase();
  const event = {
    event_name: 'Purchase', event_time: 1732000000, action_source: 'website', event_id: 'evt-7f3a2b18-9c4d',
    event_source_url: 'https://shop.example/checkout/complete',
    user_data: {
      em: [sha256(lower(p.email))], ph: [sha256('14152001234')], fn: [sha256(lower(p.first))], ln: [sha256(lower(p.last))],
      ct: [sha256(lower(p.city).replace(/\s+/g, ''))], zp: [sha256(p.zip)], country: [sha256('us')],
      external_id: [sha256('user-000123')], client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      fbc: 'fb.1.1732000000000.IwAR2xYzAbCdEfGh', fbp: 'fb.1.1732000000000.1234567890',
    },
    custom_data: { currency: 'USD', value: 129.9, content_ids: ['sku-1001', 'sku-2002'], content_type: 'product', num_items: 2 },
  };
  return JSON.stringify({ data: [event], test_event_code: 'TEST12345' });
}

function llmPayload(p: Person, language: 'english' | 'german' | 'japanese' = 'english'): string {
  const mention = `(customer ${p.first} ${p.last}, ${p.email}, phone ${p.phone})`;
  // the same ~64 KB of UTF-8 in each language (a Japanese char is 3 bytes)
  const content = language === 'japanese' ? japanese(Math.floor((64 * 1024 - 300) / 3), mention)
    : prose(64 * 1024 - 300, 7, mention, language === 'german' ? GERMAN : undefined);
  return JSON.stringify({
    model: 'gpt-4o-mini', temperature: 0.2,
    messages: [
      { role: 'system', content: 'You are a helpful support assistant for an online shop. Answer briefly.' },
      { role: 'user', content },
    ],
  });
}

function bulkPayload(people: Person[]): string {
  const rows: unknown[] = [];
  let n = 0;
  for (let i = 0; n < 1024 * 1024 - 400; i++) {
    const p = people[i % people.length];
    const row = { id: `c-${i}`, email: p.email, first_name: p.first, last_name: p.last, phone: p.phone, city: p.city, zip: p.zip, company: 'Acme Corp', notes: 'Met at the spring conference; interested in the pro plan.', score: 40 + (i % 60) };
    n += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return JSON.stringify({ contacts: rows });
}

// ------------------------------------------------------------------------------------------------
// Registry memory, in a child process with --expose-gc.

function registryMemory(n: number, unique: boolean): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const r = newRegistry();
  gc(); gc();
  const before = used();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) registerPerson(r, person(i, unique), i);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  gc(); gc();
  // Past 16k values the registry's columns jump once to the size its byte cap allows
  // (value-store.ts): one ArrayBuffer the OS backs with pages only as slots are used, which
  // arrayBuffers counts whole (1 GB here, with no cap). The slots never used are not memory.
  const reserved = (r as unknown as { reservedUnusedBytes(): number }).reservedUnusedBytes();
  const grown = used() - before - reserved;
  const s = r.stats();
  process.stdout.write(JSON.stringify({
    subjects: n, unique, measuredMB: +(grown / 2 ** 20).toFixed(1), statsMB: +(s.bytes / 2 ** 20).toFixed(1),
    values: s.values, keys: s.keys, bytesPerSubject: Math.round(grown / n), usPerSubject: +((ms * 1000) / n).toFixed(1),
  }) + '\n');
}

function runMemoryChild(n: number, unique: boolean): Record<string, unknown> {
  const res = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', __filename, '--registry-memory', String(n), unique ? 'unique' : 'pools'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`registry memory child failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

// ------------------------------------------------------------------------------------------------

interface Row { name: string; usPerOp: number; p99us: number; opsPerSec: number; mbPerSec?: number; note?: string }

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // --filter <text>: only the tasks whose name contains it; --no-memory: skip the registry children
  // (both for profiling one hot path: node --cpu-prof dist/bench/micro.js --filter match --no-memory).
  const fi = process.argv.indexOf('--filter');
  const filter = fi >= 0 ? process.argv[fi + 1] ?? '' : '';
  const noMemory = process.argv.includes('--no-memory');
  const { Bench } = await import('tinybench');
  const cfg = defaultConfig();
  const detector = createDetector(cfg);
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });

  // Ingress: prebuilt signups, so the measured time is detection only.
  const SIGNUPS = 20000;
  const captures = Array.from({ length: SIGNUPS }, (_, i) => signup(person(100000 + i), i));
  let ci = 0;

  const freshEngine = () => new Engine({ cfg, detector, registry: newRegistry(), catalog });
  const newPeople = freshEngine();
  const returning = freshEngine();
  for (let i = 0; i < 100; i++) returning.collect(captures[i]);

  // Registry per value: a new value each call (counter), per category.
  const reg = newRegistry();
  let vi = 0;

  // Egress: a registry with 10k subjects, the payloads mention one of them.
  const matchRegistry = newRegistry();
  const people: Person[] = [];
  for (let i = 0; i < 10000; i++) { const p = person(i); people.push(p); registerPerson(matchRegistry, p, i); }
  const opts = { defaultPhoneRegion: 'US' };
  const target = people[1234];
  const capi = egress('https://graph.facebook.com/v21.0/1234567890/events?access_token=EAAB', capiPayload(target));
  const llm = egress('https://api.openai.com/v1/chat/completions', llmPayload(target));
  const llmDe = egress('https://api.openai.com/v1/chat/completions', llmPayload(target, 'german'));
  const llmJa = egress('https://api.openai.com/v1/chat/completions', llmPayload(target, 'japanese'));
  const bulk = egress('https://api.hubapi.com/crm/v3/objects/contacts/batch/create', bulkPayload(people.slice(0, 2000)));
  const sizes: Record<string, number> = {};
  const check = (name: string, c: EgressCapture, o: Record<string, unknown> = opts) => {
    const res = matchEgress(c, matchRegistry, o as typeof opts);
    sizes[name] = c.body.bytes;
    // which bound cut the scan short: the decoder's leaf cap or the matcher's token budget
    const decoderCut = egressLeaves(c, o as typeof opts).truncated;
    const why = decoderCut ? ', truncated (the decoder\'s 5000-leaf cap)' : res.truncated ? ', truncated at the token budget' : '';
    return `${res.matches.length} matches${why}`;
  };
  const unbounded = { ...opts, maxTokens: 10_000_000 };
  // What this machine does per byte with no matching at all, to read the MB/s against: the
  // cheapest walk a scanner can make (one charCodeAt per char) and V8's JSON.parse.
  const bulkText = Buffer.concat(bulk.body.chunks).toString('utf8');
  let sink = 0;
  const walk = (t: string): number => {
    let x = 0;
    for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
    return x;
  };
  sizes['match baseline: one charCodeAt walk over the 1 MB body'] = bulk.body.bytes;
  sizes['match baseline: JSON.parse of the 1 MB body'] = bulk.body.bytes;
  const notes: Record<string, string> = {
    'match: 1 KB Meta CAPI JSON': check('match: 1 KB Meta CAPI JSON', capi),
    'match: 64 KB LLM prompt': check('match: 64 KB LLM prompt', llm),
    'match: 64 KB LLM prompt, German': check('match: 64 KB LLM prompt, German', llmDe),
    'match: 64 KB LLM prompt, Japanese': check('match: 64 KB LLM prompt, Japanese', llmJa),
    'match: 1 MB contacts JSON (default budget)': check('match: 1 MB contacts JSON (default budget)', bulk),
    'match: 1 MB contacts JSON (unbounded)': check('match: 1 MB contacts JSON (unbounded)', bulk, unbounded),
  };

  const bench = new Bench({ time: 1000, warmupTime: 200 });
  bench
    .add('ingress detect, signup JSON (per request)', () => { detector.detectIngress(captures[ci++ % SIGNUPS]); })
    .add('engine.collect, new person (detect + register)', () => { newPeople.collect(captures[ci++ % SIGNUPS]); })
    .add('engine.collect, returning person', () => { returning.collect(captures[ci++ % 100]); })
    .add('register: new email', () => { reg.register({ category: 'email', value: `First.Last${vi++}@Example.com` }); })
    .add('register: new phone', () => { const i = vi++; reg.register({ category: 'phone', value: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}` }); })
    .add('register: new name', () => { reg.register({ category: 'name', value: `Name${(vi++).toString(36)}` }); })
    .add('register: new city', () => { reg.register({ category: 'city', value: `Town ${(vi++).toString(36)}` }); })
    .add('register: known email', () => { reg.register({ category: 'email', value: 'First.Last7@Example.com' }); })
    .add('match: 1 KB Meta CAPI JSON', () => { matchEgress(capi, matchRegistry, opts); })
    .add('match: 64 KB LLM prompt', () => { matchEgress(llm, matchRegistry, opts); })
    .add('match: 64 KB LLM prompt, German', () => { matchEgress(llmDe, matchRegistry, opts); })
    .add('match: 64 KB LLM prompt, Japanese', () => { matchEgress(llmJa, matchRegistry, opts); })
    .add('match: 1 MB contacts JSON (default budget)', () => { matchEgress(bulk, matchRegistry, opts); })
    .add('match: 1 MB contacts JSON (unbounded)', () => { matchEgress(bulk, matchRegistry, unbounded); })
    .add('match baseline: one charCodeAt walk over the 1 MB body', () => { sink ^= walk(bulkText); })
    .add('match baseline: JSON.parse of the 1 MB body', () => { sink ^= (JSON.parse(bulkText) as { contacts: unknown[] }).contacts.length; });
  if (filter) for (const t of [...bench.tasks]) if (!t.name.includes(filter)) bench.remove(t.name);
  await bench.run();
  if (sink === 0.5) console.log(sink); // keeps the baselines' results alive

  const rows: Row[] = [];
  for (const task of bench.tasks) {
    const r = task.result as unknown as { latency: { mean: number; p99: number } };
    const usPerOp = r.latency.mean * 1000;
    const row: Row = { name: task.name, usPerOp: +usPerOp.toFixed(2), p99us: +(r.latency.p99 * 1000).toFixed(1), opsPerSec: Math.round(1e6 / usPerOp) };
    if (sizes[task.name]) row.mbPerSec = +((sizes[task.name] / 2 ** 20) / (usPerOp / 1e6)).toFixed(1);
    if (notes[task.name]) row.note = notes[task.name];
    rows.push(row);
  }
  console.table(rows);

  const memory: Record<string, unknown>[] = [];
  const plan: Array<[number, boolean]> = [[10_000, false], [100_000, false], [10_000, true], [100_000, true]];
  if (!quick) plan.push([1_000_000, false]);
  if (noMemory) plan.length = 0;
  for (const [n, unique] of plan) {
    const m = runMemoryChild(n, unique);
    console.log(`registry memory: ${JSON.stringify(m)}`);
    memory.push(m);
  }

  if (filter) {
    // a partial run is not a result; one line for scripts comparing builds
    console.log(`ROWS ${JSON.stringify(rows)}`);
    return;
  }
  const now = new Date();
  const meta = { date: now.toISOString(), node: process.versions.node, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, command: `npm run bench:micro${quick ? ' -- --quick' : ''}` };
  mkdirSync(RESULTS, { recursive: true });
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  writeFileSync(join(RESULTS, `micro-${stamp}.json`), JSON.stringify({ meta, rows, memory }, null, 2) + '\n');
  const md = [
    '# Microbenchmarks', '',
    `Run ${meta.date} on ${meta.cpu} (${meta.cpus} cores), Node ${meta.node}. Command: \`${meta.command}\``, '',
    '| benchmark | µs/op | p99 µs | ops/s | MB/s | note |', '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${r.usPerOp} | ${r.p99us} | ${r.opsPerSec} | ${r.mbPerSec ?? ''} | ${r.note ?? ''} |`),
    '', '## Registry memory', '',
    'Each subject: email, phone, first name, last name, city, zip. `pools`: names from 2000 first / 5000 last,',
    '1000 cities, 40000 zips (emails and phones unique); `unique`: all six values new for every subject.',
    'Measured = growth of heapUsed + arrayBuffers after forced GC, less the value columns reserved but never used; stats = the registry\'s own accounting (its byte cap).', '',
    '| subjects | values | measured MB | stats MB | keys | bytes/subject | µs/subject |', '|---|---:|---:|---:|---:|---:|---:|',
    ...memory.map((m) => `| ${(m.subjects as number).toLocaleString('en-US')} ${m.unique ? 'unique' : 'pools'} | ${m.values} | ${m.measuredMB} | ${m.statsMB} | ${m.keys} | ${m.bytesPerSubject} | ${m.usPerSubject} |`),
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'micro.md'), md);
  console.log(`wrote bench/results/micro-${stamp}.json and bench/results/micro.md`);
}

const mem = process.argv.indexOf('--registry-memory');
if (mem >= 0) registryMemory(Number(process.argv[mem + 1]), process.argv[mem + 2] === 'unique');
else main().catch((e) => { console.error(e); process.exitCode = 1; });
