// The `sst` command as users run it: a child process per call, against a temporary store filled
// from a fixture spool. Checks output, filters, exit codes, and that every failure is one line.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FP_EMAIL, FP_NAME, fixtureRequest, oneSpanRequest, spoolText, TRACE_A } from '../clickhouse/fixtures';

const SST = join(__dirname, 'sst.js');
const KEY = 'roundtrip-key-0123456789';
const EMAIL = 'Jane.Doe@Example.com';
const root = mkdtempSync(join(tmpdir(), 'sst-cli-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string }

function sst(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [SST, ...args], {
    cwd: opts.cwd ?? root,
    env: { PATH: process.env.PATH ?? '', HOME: root, SST_FINGERPRINT_KEY: KEY, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr, starting with `sst:`, no stack trace. */
function oneLineError(r: Run, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr=${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^sst: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

const spool = join(root, '.sst', 'spool');
mkdirSync(spool, { recursive: true });
writeFileSync(join(spool, 'checkout.jsonl'), spoolText(fixtureRequest()));

test('ingest loads the spool and says what it did; again loads nothing', () => {
  const r = sst(['ingest']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^loaded 7 spans from 1 of 1 files \(1 lines/);
  assert.match(r.stdout, /0 corrupt lines skipped/);
  const again = sst(['ingest', '--json']);
  assert.equal(again.code, 0);
  const stats = JSON.parse(again.stdout) as { spans: number; files: number };
  assert.deepEqual([stats.spans, stats.files], [0, 1]);
});

test('ingest of a corrupt file reports file:line on stderr and loads the rest', () => {
  const f = join(root, 'extra.jsonl');
  writeFileSync(f, 'garbage\n' + spoolText(oneSpanRequest(1, 'extra')));
  const r = sst(['ingest', f]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /loaded 1 spans/);
  assert.equal(r.stderr.trim(), `sst: ${f}:1: not valid JSON; line skipped`);
  oneLineError(sst(['ingest', join(root, 'missing.jsonl')]), 2, /no such file or directory/);
});

test('report: by category and destination, text and JSON; new spool lines are loaded first', () => {
  const r = sst(['report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /collect 1 · store 1 · load 0 · share 1 \(third party 1\)/);
  assert.match(r.stdout, /^email\s+1\s+1\s+0\s+1\s+1\s+1\s+1\s+meta$/m);
  assert.match(r.stdout, /^meta\s+advertising\s+graph\.facebook\.com\s+yes\s+1\s+1\s+2\s+email,phone/m);
  assert.ok(r.stdout.split('\n').every((l) => [...l].length <= 100), 'the text report fits 100 columns');
  appendFileSync(join(spool, 'checkout.jsonl'), spoolText(oneSpanRequest(2, 'late')));
  const j = sst(['report', '--json']);
  assert.equal(j.code, 0);
  assert.match(j.stderr, /loaded 1 new spans/);
  const data = JSON.parse(j.stdout) as { totals: { spans: number; thirdPartyShares: number }; gate: unknown };
  assert.equal(data.totals.spans, 9);
  assert.equal(data.totals.thirdPartyShares, 1);
  assert.equal(data.gate, null);
});

test('report --fail-on third-party-share exits 1 (CI gate); an unknown gate is a usage error', () => {
  const r = sst(['report', '--fail-on', 'third-party-share', '--no-ingest']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^sst: gate failed: 1 third-party shares/);
  assert.equal(sst(['report', '--fail-on', 'detection-error', '--no-ingest']).code, 0);
  oneLineError(sst(['report', '--fail-on', 'everything']), 2, /everything.*Allowed choices/);
  const html = sst(['report', '--html', join(root, 'r.html'), '--json', '--no-ingest']);
  assert.equal(html.code, 0, html.stderr);
  assert.equal((JSON.parse(html.stdout) as { totals: { share: number } }).totals.share, 1);
  assert.match(html.stderr, /^sst: wrote the HTML report to .*r\.html/);
  assert.match(readFileSync(join(root, 'r.html'), 'utf8'), /^<!DOCTYPE html>/);
  oneLineError(sst(['report', '--html', join(root, 'r.html'), '--subject', 'nope']), 2, /invalid --subject "nope"/);
  oneLineError(sst(['report', '--subject', FP_EMAIL]), 2, /go with --html/);
});

test('shares: filters by vendor, category and time', () => {
  const all = JSON.parse(sst(['shares', '--json']).stdout) as Array<{ vendor: string; traceId: string; transforms: string[] }>;
  assert.deepEqual(all.map((s) => [s.vendor, s.traceId, s.transforms]), [['meta', TRACE_A, ['normalized+sha256']]]);
  assert.equal(JSON.parse(sst(['shares', '--vendor', 'meta', '--category', 'phone', '--since', '100000d', '--json']).stdout).length, 1);
  assert.equal(JSON.parse(sst(['shares', '--vendor', 'segment', '--json']).stdout).length, 0);
  assert.equal(JSON.parse(sst(['shares', '--since', '2099-01-01', '--json']).stdout).length, 0);
  const text = sst(['shares', '--category', 'name']);
  assert.equal(text.stdout, '(no shares match)\n');
  const table = sst(['shares']);
  assert.match(table.stdout, /^TIME\s+SERVICE\s+VENDOR/);
  assert.match(table.stdout, /checkout\s+meta\s+advertising\s+graph\.facebook\.com\s+yes/);
  oneLineError(sst(['shares', '--since', '5 parsecs']), 2, /invalid duration "5 parsecs"/);
  oneLineError(sst(['shares', '--limit', '0']), 2, /invalid --limit/);
});

test('lineage by value: the id is computed locally, the value is never printed', () => {
  const r = sst(['lineage', '--value', EMAIL, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const l = JSON.parse(r.stdout) as { fingerprint: string; category: string; steps: Array<{ flow: string; target: string; thirdParty: boolean }> };
  assert.equal(l.fingerprint, FP_EMAIL);
  assert.equal(l.category, 'email');
  assert.deepEqual(l.steps.map((s) => [s.flow, s.target]), [['collect', 'POST /signup'], ['store', 'postgresql/app/users'], ['share', 'graph.facebook.com']]);
  const text = sst(['lineage', '--value', EMAIL, '--spans']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^Lineage of daGVkGuFgGCt1dXPA1ue3E \(email\): collect → store → share/);
  assert.match(text.stdout, /collected\s+checkout\s+POST \/signup/);
  assert.match(text.stdout, /\n {4}in body\.email · 1 trace · last seen /);
  for (const l of text.stdout.split('\n')) assert.ok(l.length <= 100, `wider than 100 columns: ${l}`);
  for (const out of [r.stdout, r.stderr, text.stdout, text.stderr]) assert.doesNotMatch(out.toLowerCase(), /jane\.doe/);
  // From stdin, so the value stays out of the process list.
  const stdin = sst(['lineage', '--value', '-', '--category', 'email', '--json', '--no-ingest'], { input: EMAIL + '\n' });
  assert.equal((JSON.parse(stdin.stdout) as { fingerprint: string }).fingerprint, FP_EMAIL);
});

test('lineage by fingerprint; unknown ids give an empty path; bad input is one line', () => {
  const r = JSON.parse(sst(['lineage', '--fingerprint', FP_NAME, '--json']).stdout) as { steps: Array<{ flow: string; categories: string[] }> };
  assert.deepEqual(r.steps.map((s) => [s.flow, s.categories]), [['collect', ['name']], ['store', ['name']]]);
  const none = sst(['lineage', '--fingerprint', 'AAAAAAAAAAAAAAAAAAAAAA']);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /nothing recorded/);
  oneLineError(sst(['lineage', '--fingerprint', 'short']), 2, /invalid fingerprint id/);
  oneLineError(sst(['lineage']), 2, /exactly one of --value/);
  oneLineError(sst(['lineage', '--value', EMAIL], { env: { SST_FINGERPRINT_KEY: '' } }), 2, /no fingerprint key/);
});

test('fingerprint prints ids only', () => {
  const one = sst(['fingerprint', EMAIL, '--category', 'email']);
  assert.equal(one.stdout, FP_EMAIL + '\n');
  const all = JSON.parse(sst(['fingerprint', EMAIL, '--json']).stdout) as Array<{ category: string; fingerprint: string }>;
  assert.deepEqual(all[0], { category: 'email', fingerprint: FP_EMAIL });
  assert.doesNotMatch(JSON.stringify(all).toLowerCase(), /jane/);
  oneLineError(sst(['fingerprint', 'nope', '--category', 'email']), 2, /not a valid email/);
});

test('sql: reads only; SQL errors are one line', () => {
  const r = sst(['sql', 'SELECT SpanKind, count() AS n FROM otel_traces GROUP BY SpanKind ORDER BY SpanKind', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    { SpanKind: 'Client', n: 2 }, { SpanKind: 'Consumer', n: 1 }, { SpanKind: 'Internal', n: 3 }, { SpanKind: 'Producer', n: 1 },
    { SpanKind: 'Server', n: 1 }, { SpanKind: 'Unspecified', n: 1 },
  ]);
  const table = sst(['sql', 'WITH 1 AS x SELECT Flow, count() AS n FROM sst_flows GROUP BY Flow ORDER BY Flow']);
  assert.equal(table.stdout, 'Flow     n\ncollect  1\nshare    1\nstore    1\n');
  oneLineError(sst(['sql', 'DROP TABLE otel_traces']), 2, /read-only queries/);
  oneLineError(sst(['sql', 'SELECT 1; DROP TABLE otel_traces']), 3, /readonly/i);
  oneLineError(sst(['sql', 'SELECT 1 SETTINGS readonly = 0']), 3, /readonly/i);
  oneLineError(sst(['sql', 'SELECT nope FROM otel_traces']), 3, /Code: 47.*UNKNOWN_IDENTIFIER/);
  assert.equal(JSON.parse(sst(['sql', 'SELECT count() AS n FROM otel_traces', '--json']).stdout)[0].n, 9);
});

test('usage errors and a missing store are one line with a non-zero exit; --help works everywhere', () => {
  oneLineError(sst(['report', '--bogus']), 2, /unknown option '--bogus'/);
  oneLineError(sst(['nosuchcommand']), 2, /unknown command/);
  const empty = mkdtempSync(join(root, 'empty-'));
  oneLineError(sst(['report'], { cwd: empty }), 3, /no store at .*\.sst\/clickhouse; run `sst ingest` first/);
  oneLineError(sst(['sql', 'SELECT 1'], { cwd: empty }), 3, /no store at/);
  oneLineError(sst(['report', '--store', join(empty, 'x')], { cwd: empty }), 3, /no store at/);
  for (const cmd of [[], ['ingest'], ['report'], ['shares'], ['lineage'], ['sql'], ['fingerprint']]) {
    const h = sst([...cmd, '--help']);
    assert.equal(h.code, 0, cmd.join(' '));
    assert.match(h.stdout, /^Usage: sst/);
  }
});
