// `sst report --html` end to end: fixture spans in a spool, the real CLI (child process, chDB store),
// the page opened in a real headless Chromium. The page must load without errors, make no request
// at all, run none of the hostile markup carried by span attributes, and show the expected flow
// diagram, shares, and subject timeline. Leaves a screenshot (path printed) for a human look.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, visitReport } from './browser';
import { EXPECTED, FP, HOSTILE_ERROR, HOSTILE_FIELD, HOSTILE_HOST, HOSTILE_SERVICE, reportFixture } from './fixture-spans';

const SST = join(__dirname, '..', 'sst.js');
const BASE_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const root = mkdtempSync(join(tmpdir(), 'sst-report-html-'));
const outDir = process.env.SST_TEST_OUTPUT || join(tmpdir(), 'sst-test-output');
after(() => rmSync(root, { recursive: true, force: true }));

function sst(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SST, ...args], {
    cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root, SST_FINGERPRINT_KEY: 'report-html-test-key-0123' }, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

mkdirSync(join(root, '.sst', 'spool'), { recursive: true });
writeFileSync(join(root, '.sst', 'spool', 'spans.jsonl'), reportFixture(BASE_MS).map((r) => JSON.stringify(r)).join('\n') + '\n');

// The page functions below run inside Chromium. The project compiles without the DOM library, so
// the few DOM shapes they touch are declared here (module-local).
interface El {
  getAttribute(name: string): string | null;
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): ArrayLike<El>;
  textContent: string | null;
  getBoundingClientRect(): { top: number; bottom: number };
}
declare const document: { querySelectorAll(sel: string): ArrayLike<El>; body: { innerText: string } };
declare const window: unknown;

interface PageFacts {
  pwned: unknown;
  scripts: number;
  images: number;
  categories: string[];
  destinations: string[];
  stored: number;
  bands: Array<{ source: string; target: string; value: number; width: number }>;
  shares: Array<{ vendor: string; host: string; subjects: number; spans: number }>;
  moreRows: number;
  subjects: Array<{ id: string; steps: Array<[string, string]> }>;
  cards: Record<string, string>;
  errors: string[];
  text: string;
  /** Rendered label boxes per column (to check for overlaps the way the reader sees them). */
  labelBoxes: Record<string, Array<{ top: number; bottom: number }>>;
}

test('sst report --html: a self-contained page that Chromium renders without errors, requests or injected markup', async (t) => {
  const r = sst(['report', '--html', 'out/report.html', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /sst: wrote the HTML report to .*out\/report\.html/);
  // --json is the terminal report's JSON, unchanged by --html.
  const json = JSON.parse(r.stdout) as { totals: { share: number; detectionErrors: number } };
  assert.equal(json.totals.share, EXPECTED.shareSpans);
  assert.equal(json.totals.detectionErrors, EXPECTED.detectionErrors);
  const file = join(root, 'out', 'report.html');
  const source = readFileSync(file, 'utf8');
  // Self-contained: nothing to fetch, no script of our own.
  assert.doesNotMatch(source, /<script/i);
  assert.doesNotMatch(source, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  assert.doesNotMatch(source, /@import|url\(/i);
  for (const hostile of [HOSTILE_HOST, HOSTILE_SERVICE, HOSTILE_ERROR]) assert.ok(!source.includes(hostile), 'hostile text must be escaped');

  const reason = chromiumMissing();
  if (reason) { t.skip(`browser part skipped: ${reason}`); return; }

  const screenshot = join(outDir, 'report.png');
  const visit = await visitReport<PageFacts>(file, (page) => page.evaluate(() => {
    const q = (sel: string): El[] => Array.from(document.querySelectorAll(sel));
    const attr = (e: El, a: string): string => e.getAttribute(a) ?? '';
    const labelBoxes: Record<string, Array<{ top: number; bottom: number }>> = {};
    for (const g of q('svg.flow g.node')) {
      const side = attr(g, 'data-node') === 'category' ? 'left' : 'right';
      const box = g.querySelector('text')!.getBoundingClientRect();
      (labelBoxes[side] ??= []).push({ top: box.top, bottom: box.bottom });
    }
    const cards: Record<string, string> = {};
    for (const c of q('[data-card]')) cards[attr(c, 'data-card')] = (c.querySelector('.v')?.textContent ?? '').trim();
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: q('script').length,
      images: q('img').length,
      categories: q('svg.flow [data-node="category"]').map((e) => attr(e, 'data-name')),
      destinations: q('svg.flow [data-node="destination"]').map((e) => attr(e, 'data-name')),
      stored: q('svg.flow [data-node="stored"]').length,
      bands: q('svg.flow path.band').map((e) => ({ source: attr(e, 'data-source'), target: attr(e, 'data-target'), value: Number(attr(e, 'data-value')), width: Number(attr(e, 'data-width')) })),
      shares: q('table.shares tr[data-row="share"]').map((e) => ({
        vendor: attr(e, 'data-vendor'), host: attr(e, 'data-host'),
        subjects: Number(e.querySelector('[data-col="subjects"]')?.textContent?.replace(/,/g, '')),
        spans: Number(e.querySelector('[data-col="spans"]')?.textContent?.replace(/,/g, '')),
      })),
      moreRows: q('tr.more-row').length,
      subjects: q('[data-subject]').map((s) => ({
        id: attr(s, 'data-subject'),
        steps: Array.from(s.querySelectorAll('li[data-flow]')).map((li) => [attr(li, 'data-flow'), attr(li, 'data-target')] as [string, string]),
      })),
      cards,
      errors: q('table.errors tr[data-row="error"] td:first-child').map((e) => e.textContent ?? ''),
      text: document.body.innerText,
      labelBoxes,
    };
  }), { screenshot });
  t.diagnostic(`screenshot: ${visit.screenshot}`);
  console.log(`report screenshot: ${visit.screenshot}`);
  const p = visit.result;

  assert.deepEqual(visit.consoleErrors, []);
  assert.deepEqual(visit.pageErrors, []);
  // The only request is the report itself.
  assert.deepEqual(visit.requests, [pathToFileURL(file).href]);

  // Hostile attribute values are shown as text and run nothing.
  assert.equal(p.pwned, undefined);
  assert.equal(p.scripts, 0);
  assert.equal(p.images, 0);
  for (const hostile of [HOSTILE_HOST, HOSTILE_SERVICE, HOSTILE_FIELD, HOSTILE_ERROR]) assert.ok(p.text.includes(hostile), `shown literally: ${hostile}`);

  // Flow diagram: one node per category and per destination, one band per pair.
  assert.deepEqual([...p.categories].sort(), EXPECTED.categories);
  assert.deepEqual([...p.destinations].sort(), [...EXPECTED.destinations].sort());
  assert.equal(p.stored, 1);
  assert.equal(p.bands.length, EXPECTED.bands);
  const metaEmail = p.bands.find((b) => b.source === 'email' && b.target === 'meta · advertising');
  assert.equal(metaEmail?.value, 3);
  // One scale for all bands: thickness per span is the same everywhere.
  const perUnit = p.bands.map((b) => b.width / b.value);
  for (const u of perUnit) assert.ok(Math.abs(u - perUnit[0]) < 0.1, `band scale ${u} vs ${perUnit[0]}`);
  for (const side of ['left', 'right']) {
    const boxes = [...p.labelBoxes[side]].sort((a, b) => a.top - b.top);
    for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top >= boxes[i - 1].bottom - 0.5, `${side} labels ${i - 1} and ${i} overlap`);
  }

  // Shares table: third parties first, heaviest first, with spans and subjects.
  assert.equal(p.shares.length, EXPECTED.shareRows);
  assert.equal(p.moreRows, 0);
  assert.deepEqual(p.shares[0], { vendor: 'meta', host: 'graph.facebook.com', subjects: 2, spans: 3 });
  for (const [vendor, [host, spans, subjects]] of Object.entries(EXPECTED.shares)) {
    assert.deepEqual(p.shares.find((s) => s.vendor === vendor), { vendor, host, subjects, spans });
  }
  assert.deepEqual(p.shares.at(-1), { vendor: 'unknown', host: 'crm.internal.example', subjects: 1, spans: 1 });
  assert.match(p.text, /email: normalized\+sha256/);

  // Summary cards.
  assert.deepEqual(p.cards, {
    subjects: String(EXPECTED.subjects), collected: '4', stored: '3', 'third-parties': String(EXPECTED.thirdParties),
    shares: String(EXPECTED.shareSpans), errors: String(EXPECTED.detectionErrors),
  });

  // Timeline: the subject with the most destinations comes first, collect → store → load → share.
  assert.equal(p.subjects[0].id, FP.aliceEmail);
  assert.deepEqual(p.subjects[0].steps, EXPECTED.aliceSteps);
  assert.ok(p.subjects.length >= 2 && p.subjects.length <= 3);

  // Detection errors grouped by message, most frequent first.
  assert.deepEqual(p.errors, ['multipart: malformed part header', HOSTILE_ERROR]);
  assert.match(p.text, /Truncated spans: 1 \(collect 1\)/);
  // Fingerprint ids only: the fixture has no raw values, and nothing looks like an email address.
  assert.doesNotMatch(p.text, /[\w.+-]+@[\w-]+\.[\w.]+/);
});

test('sst report --html --subject: the timeline of the requested subject only', async (t) => {
  const r = sst(['report', '--html', 'bob.html', '--subject', FP.bobEmail, '--no-ingest']);
  assert.equal(r.code, 0, r.stderr);
  // The terminal report is printed as before.
  assert.match(r.stdout, /^SST report · /);
  const reason = chromiumMissing();
  if (reason) { t.skip(`browser part skipped: ${reason}`); return; }
  const visit = await visitReport(join(root, 'bob.html'), (page) => page.evaluate(() => Array.from(document.querySelectorAll('[data-subject]')).map((s) => ({
    id: s.getAttribute('data-subject'),
    flows: Array.from(s.querySelectorAll('li[data-flow]')).map((li) => `${li.getAttribute('data-flow')} ${li.getAttribute('data-target')}`),
  }))));
  assert.deepEqual(visit.pageErrors, []);
  assert.deepEqual(visit.result, [{ id: FP.bobEmail, flows: ['collect POST /subscribe', 'share api.sendgrid.com', 'share crm.internal.example'] }]);
});
