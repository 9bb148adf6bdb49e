// The fast scanner (scan.ts: token hashes computed over ranges in place, digests read straight from
// their characters) must report exactly what the plain string reference (reference.ts) reports:
// the same hits at the same positions, in the same order, spending the same token budget. Checked
// on every string of every egress in the corpus and on generated payloads, against the real
// compact registry (the one with the hashed fast path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { defaultConfig } from '../config';
import { createDetector } from '../detect';
import { createCatalog } from '../catalog/catalog';
import { Engine } from '../engine';
import { createRegistry } from '../registry/registry';
import type { EgressCapture, IngressCapture, Registry } from '../types';
import { egressLeaves } from './egress';
import { newScanEnv } from './leaves';
import { scanText, scanWhole, type HitSink, type ScanEnv } from './scan';
import { referenceScanText, referenceScanWhole } from './reference';
import { readCorpus } from '../../test/corpus/case-format';

const KEY = Buffer.from('scan-equivalence-key-0123456789abcdef');
const OPTS = { defaultPhoneRegion: 'US' };

function newRegistry(): Registry {
  return createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 64 * 2 ** 20 });
}

type Scan = (env: ScanEnv, text: string, sink: HitSink) => void;

/** Every hit as one line, then the budget left: what a scan tells its caller. */
function record(scan: Scan, registry: Registry, text: string, maxTokens: number | undefined): string[] {
  const env = newScanEnv(registry, { ...OPTS, maxTokens });
  const out: string[] = [];
  scan(env, text, (start, end, hits, encoding, kind, weak) => { out.push(JSON.stringify([start, end, encoding, kind, weak, hits])); });
  out.push(`tokensLeft ${env.tokensLeft} truncated ${env.truncated}`);
  return out;
}

let comparisons = 0;
let withHits = 0;

function assertSame(registry: Registry, text: string, label: string, maxTokens?: number): void {
  for (const whole of [true, false]) {
    const fast = record((e, t, s) => scanText(e, t, whole, s), registry, text, maxTokens);
    const ref = record((e, t, s) => referenceScanText(e, t, whole, s), registry, text, maxTokens);
    assert.deepEqual(fast, ref, `${label} (whole=${whole}, maxTokens=${maxTokens}): ${JSON.stringify(text.slice(0, 200))}`);
    comparisons++;
    if (ref.length > 1) withHits++;
  }
  const fast = record(scanWhole, registry, text, maxTokens);
  assert.deepEqual(fast, record(referenceScanWhole, registry, text, maxTokens), `${label} scanWhole: ${JSON.stringify(text.slice(0, 200))}`);
}

function corpusPath(): string {
  const rel = join('test', 'corpus', 'cases.jsonl');
  for (let dir = __dirname, i = 0; i < 8; i++, dir = dirname(dir)) if (existsSync(join(dir, rel))) return join(dir, rel);
  return join(process.cwd(), rel);
}

function bodyOf(b64: string): IngressCapture['body'] {
  const buf = Buffer.from(b64, 'base64');
  return { chunks: buf.length ? [buf] : [], bytes: buf.length, truncated: false, complete: true };
}

test('the real registry offers the hashed fast path (else these tests compare the reference with itself)', () => {
  const r = newRegistry();
  assert.equal(typeof r.lookupHashed, 'function');
  const fp = r.register({ category: 'email', value: 'Jane.Doe@Example.com' })!.fp;
  const hits: string[] = [];
  scanText(newScanEnv(r, OPTS), 'mail Jane.Doe@Example.com now', false, (_s, _e, h) => { for (const x of h) hits.push(x.fp); });
  assert.ok(hits.includes(fp));
});

test('corpus: every egress string scans the same on the fast path and the reference', () => {
  const cfg = defaultConfig();
  const detector = createDetector(cfg);
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  const cases = readCorpus(corpusPath());
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  const before = withHits;
  for (const c of cases) {
    const registry = newRegistry();
    const engine = new Engine({ cfg, detector, registry, catalog });
    const ingress: IngressCapture = { kind: 'ingress', method: c.ingress.method, target: c.ingress.target, headers: { ...c.ingress.headers }, body: bodyOf(c.ingress.body) };
    if (c.ingress.clientIp) ingress.clientIp = c.ingress.clientIp;
    engine.collect(ingress);
    let host = '';
    try { host = new URL(c.egress.url).hostname; } catch { /* stays '' */ }
    const egress: EgressCapture = { kind: 'egress', method: c.egress.method, url: c.egress.url, host, headers: { ...c.egress.headers }, body: bodyOf(c.egress.body) };
    const texts = [c.egress.url, Buffer.from(c.egress.body, 'base64').toString('utf8'), ...egressLeaves(egress, OPTS).leaves.map((l) => l.value)];
    for (const t of texts) {
      assertSame(registry, t, c.id);
      // a small budget: truncation must happen at the same lookup
      assertSame(registry, t, c.id, 7);
    }
  }
  assert.ok(withHits - before > 300, `the corpus produced hits to compare (${withHits - before})`);
});

// ------------------------------------------------------------------------------------------------
// Generated payloads: fragments of registered values in many spellings and disguises, mixed with
// prose, punctuation, whitespace (ASCII and not) and non-ASCII letters whose lowercase differs in
// length (`İ`), glued together in random order.

const PEOPLE = [
  { email: 'Jane.Doe+news@Gmail.com', phone: '+1 (415) 555-0134', first: 'Jane', last: "O'Neil", city: 'San Francisco', zip: '94105', street: '100 Market St', birth: '1976-10-16', income: '120000' },
  { email: 'maria.garcia@example.es', phone: '+34 612 345 678', first: 'María', last: 'García López', city: 'Rio de Janeiro', zip: '28013', street: '12 Calle Mayor', birth: '1991-01-23', income: '45500.50' },
  { email: 'KENJI@EXAMPLE.JP', phone: '415.555.0199', first: 'Kenji', last: 'Müller', city: 'İstanbul', zip: 'SW1A 1AA', street: '221B Baker Street', birth: '1989-09-14', income: '98000' },
];

function register(r: Registry): void {
  for (const p of PEOPLE) {
    const subject = r.register({ category: 'email', value: p.email })?.fp;
    r.register({ category: 'phone', value: p.phone, subject });
    r.register({ category: 'name', value: p.first, subject });
    r.register({ category: 'name', value: p.last, subject });
    r.register({ category: 'name', value: `${p.first} ${p.last}`, subject });
    r.register({ category: 'city', value: p.city, subject });
    r.register({ category: 'postal_code', value: p.zip, subject });
    r.register({ category: 'address', value: p.street, subject });
    r.register({ category: 'birthdate', value: p.birth, subject });
    r.register({ category: 'income', value: p.income, subject });
  }
}

const digest = (alg: string, s: string, enc: 'hex' | 'base64' | 'base64url'): string => createHash(alg).update(s).digest(enc);

function fragments(): string[] {
  const out: string[] = [];
  for (const p of PEOPLE) {
    for (const v of Object.values(p)) {
      const low = v.toLowerCase();
      out.push(v, low, v.toUpperCase(), ` ${v} `, `"${v}"`, `(${v})`, v.replace(/ /g, '  '), v.replace(/ /g, '\u00a0'));
      for (const alg of ['sha256', 'sha1', 'md5']) {
        out.push(digest(alg, low, 'hex'), digest(alg, low, 'hex').toUpperCase(), digest(alg, low, 'base64'), digest(alg, low, 'base64url'), digest(alg, v, 'base64').replace(/=+$/, ''));
      }
      out.push(`${digest('sha256', low, 'hex')}.AbCdEf`, `fb.1.1700000000.${v.replace(/\W/g, '')}`);
    }
    out.push(p.email.replace('@', '%40'), p.phone.replace(/\D/g, ''), `${p.first} ${p.last}`.toLowerCase(), `${p.last}, ${p.first}`);
  }
  out.push('16.10.1976', '23 January 1991', 'September 14, 1989', '$120,000.00', '45.500,50', '98 000', '10/16/1976');
  out.push(' ', '  ', '\t', '\n', '\u00a0', '\u2003', ',', '.', '-', '@', '+', '(', ')', "'", '"', '/', '=', '&', '%', ':');
  out.push('the', 'customer', 'asked', 'about', 'Order', 'ID', 'x9', 'ß', 'İ', 'ǅ', 'é', '\u0301', '日本', 'ﬀ', '😀', '𝐀𝐁', '٣٤٥', '²', '0', '12', '2024');
  // beyond ASCII, hashed in place through the Unicode tables: final sigma, Kelvin sign, Cyrillic,
  // Greek, typographic punctuation, ideographic space, decomposed accents
  out.push('ΣΟΦΙΑ', 'Σοφία', 'ὈΔΥΣΣΕΎΣ', '\u212a', 'Иван Петров', 'ПЕТРОВ', '’', 'qu’il', '—', '\u3000', 'Straße', 'ÅNGSTRÖM', 'Mu\u0308ller', '東京都');
  return out;
}

test('generated payloads scan the same on the fast path and the reference', () => {
  const registry = newRegistry();
  register(registry);
  const frag = fc.constantFrom(...fragments());
  const noise = fc.string({ unit: 'binary', maxLength: 12 });
  const payload = fc.array(fc.oneof({ arbitrary: frag, weight: 6 }, { arbitrary: noise, weight: 1 }), { maxLength: 30 })
    .map((parts) => parts.join(''));
  const budget = fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined });
  const before = withHits;
  fc.assert(fc.property(payload, budget, (text, maxTokens) => { assertSame(registry, text, 'generated', maxTokens); }), { numRuns: 600, seed: 8008 });
  // and as JSON string leaves of a document, the way most egress reaches the scanner
  fc.assert(fc.property(fc.array(payload, { maxLength: 6 }), (values) => {
    const body = Buffer.from(JSON.stringify({ data: values.map((v, i) => ({ [`f${i}`]: v })) }));
    const cap: EgressCapture = { kind: 'egress', method: 'POST', url: 'https://api.example.com/v1/events', host: 'api.example.com', headers: { 'content-type': 'application/json' }, body: { chunks: [body], bytes: body.length, truncated: false, complete: true } };
    for (const leaf of egressLeaves(cap, OPTS).leaves) assertSame(registry, leaf.value, 'generated leaf');
  }), { numRuns: 150, seed: 4242 });
  assert.ok(withHits - before > 200, `generated payloads produced hits to compare (${withHits - before})`);
});

test('the walks\' edge cases scan the same: base64 runs around a digest\'s length, trimmed tokens, emails among words', () => {
  const registry = newRegistry();
  register(registry);
  const md5b64 = digest('md5', 'jane.doe+news@gmail.com', 'base64url');
  const texts = [
    // 21, 22 and 23 base64 chars: the facts walk decides whether the digest walk runs at all
    'x'.repeat(21), 'x'.repeat(22), `${'y'.repeat(21)} ${md5b64}`, `${md5b64}==rest`, `a=${md5b64.slice(0, 21)}=`,
    // tokens trimmed of edge punctuation, uppercase, inner punctuation, a char above 127 mid-prose
    '"Jane," (O\'Neil). SAN Francisco... 100 Market St! -Kenji- «Müller» jane—doe',
    // emails before, between and after words; words inside the address are not names
    'Jane.Doe+news@Gmail.com Jane Doe, kenji@example.jp;Kenji KENJI@EXAMPLE.JP. Doe',
  ];
  for (let k = 0; k < 40; k++) texts.push(`${texts[5]} ${texts[6]} `.repeat(k) + texts[k % 5]);
  for (const t of texts) for (const budget of [undefined, 3, 17]) assertSame(registry, t, 'edge', budget);
});

test('prose beyond ASCII scans the same: accented, Greek, Cyrillic and CJK text around registered names', () => {
  const registry = newRegistry();
  register(registry);
  for (const v of ['Σοφία Παπαδοπούλου', 'Σοφοκλής', 'Οδυσσευς', 'Иван Петров', '山田太郎', 'Łódź', 'Ångström']) registry.register({ category: 'name', value: v });
  registry.register({ category: 'address', value: 'Rua da Praia Grande' });
  const texts = [
    'Der Kunde Kenji Müller fragte nach seiner Bestellung; die Lieferung nach İstanbul über München verzögert sich. Grüße, JANE O’NEIL',
    'Le client María García López a demandé où en était sa commande — qu’il reçoive « Rio de Janeiro » avant la semaine prochaine.',
    // an uppercase final sigma lowercases to ς, not σ; an ideographic space inside a phrase collapses
    'Η ΣΟΦΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ και η Σοφία Παπαδοπούλου ρώτησαν για την παραγγελία τους. ΟΔΥΣΣΕΥΣ, ΣΟΦΟΚΛΗΣ',
    'Morada: Rua\u3000da Praia Grande 12, Lisboa',
    'Клиент Иван Петров спросил о заказе; ИВАН ПЕТРОВ живёт в Łódź, ul. Piotrkowska 12',
    '山田太郎様からの問い合わせ：注文はいつ届きますか。\u3000山田太郎\u3000東京都 Ångström Mu\u0308ller \u212aelvin',
  ];
  const all = texts.join(' ');
  for (let k = 0; k < 12; k++) texts.push(all.repeat(k + 1).slice(k * 7));
  const before = withHits;
  for (const t of texts) for (const budget of [undefined, 5, 40]) assertSame(registry, t, 'beyond ASCII', budget);
  assert.ok(withHits - before > 30, `the texts produced hits to compare (${withHits - before})`);
});
