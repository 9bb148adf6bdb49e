// The app must not notice the instrumentation: the same requests against each app run without it
// and with it must get identical status, content-type and body. /echo answers a digest of the
// body exactly as the app read it, so any byte the capture took or changed shows up.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { inBackground } from './harness/background';
import { assertCleanExit } from './harness/contract-checks';
import type { AppResponse } from './harness/http-client';
import { SPAN_KIND, type FlatSpan } from './harness/otlp-receiver';
import { runApp, type ExitInfo, type LoadMode, type RunningApp } from './harness/run-app';
import { serverSpansFor, sstKeys } from './harness/spans';

const CAPTURE_LIMIT = 65_536;
const TEST_TIMEOUT = { timeout: 180_000 };

interface Observed {
  status: number;
  contentType: string;
  body: string;
}

interface Case {
  name: string;
  run(app: RunningApp): Promise<Observed>;
}

const observe = (r: AppResponse): Observed => ({ status: r.status, contentType: r.contentType, body: r.text });

const person = { email: 'Ada.Okafor@example.org', name: 'Ada Okafor', phone: '+14155550199', note: 'héllo — ünïcode ✓' };
const jsonBody = JSON.stringify(person);
// 3 MB, far past the capture limit; the personal data sits at the start, inside the inspected part
const bigBody = `{"email":"${person.email}","name":"${person.name}","blob":"${'x'.repeat(3 * 1024 * 1024)}"}`;

const CASES: Case[] = [
  {
    name: 'JSON',
    run: async (app) => observe(await app.send('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody })),
  },
  {
    name: 'malformed JSON',
    run: async (app) => observe(await app.send('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"ada@example.org","name":' })),
  },
  {
    name: 'url-encoded form',
    run: async (app) => observe(await app.send('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(person).toString(),
    })),
  },
  {
    name: `3 MB body (capture limit ${CAPTURE_LIMIT})`,
    run: async (app) => observe(await app.send('/echo?big=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bigBody })),
  },
  {
    name: 'chunked, streamed body',
    run: async (app) => {
      const bytes = Buffer.from(jsonBody);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += 9) chunks.push(bytes.subarray(i, i + 9));
      return observe(await app.sendChunked('/echo', { headers: { 'content-type': 'application/json' }, chunks, delayMs: 5 }));
    },
  },
  {
    name: 'body the app never reads',
    run: async (app) => observe(await app.sendWithoutWaitingForBody('/unread', {
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(512 * 1024, 0x61),
    })),
  },
  {
    name: 'gzip-encoded JSON',
    run: async (app) => observe(await app.send('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(jsonBody)),
    })),
  },
  {
    name: 'aborted request, then a normal one',
    run: async (app) => {
      const partial = Buffer.from(bigBody.slice(0, 40_000));
      const aborted = await app.sendAborted('/echo', { headers: { 'content-type': 'application/json' }, declaredLength: 200_000, partialBody: partial });
      const after = observe(await app.send('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody }));
      return { ...after, body: `${after.body} | bytes answered to the aborted request: ${aborted.gotResponseBytes}` };
    },
  },
];

interface AppRun {
  observed: Observed[];
  health: Observed;
  exit: ExitInfo;
  spans: FlatSpan[];
}

async function exercise(appFile: string, mode: LoadMode): Promise<AppRun> {
  const app = await runApp({ app: appFile, args: mode, env: { SST_CAPTURE_LIMIT: String(CAPTURE_LIMIT) } });
  try {
    const observed: Observed[] = [];
    for (const c of CASES) observed.push(await c.run(app));
    const health = observe(await app.send('/health'));
    await new Promise((r) => setTimeout(r, 200));
    const exit = await app.stop();
    return { observed, health, exit, spans: app.spans() };
  } finally {
    await app.stop();
  }
}

const APPS: { file: string; mode: LoadMode }[] = [
  { file: 'express-register.cjs', mode: 'require' },
  { file: 'raw-http-form.mjs', mode: 'import' },
  { file: 'fastify-echo.cjs', mode: 'import' },
  { file: 'koa-echo.cjs', mode: 'require' },
];

for (const { file, mode } of APPS) {
  const plain = inBackground(() => exercise(file, 'none'));
  const instrumented = inBackground(() => exercise(file, mode));

  describe(`${file}: identical responses without and with --${mode} @sst/otel-auto`, () => {
    test('without instrumentation: every case answers and the app exits 0 within 10 s', TEST_TIMEOUT, async () => {
      const p = await plain;
      assert.equal(p.observed.length, CASES.length);
      const echo = JSON.parse(p.observed[0]!.body) as { length: number };
      assert.equal(p.observed[0]!.status, 200);
      assert.equal(echo.length, Buffer.byteLength(jsonBody), 'the app read the whole JSON body');
      assert.equal(JSON.parse(p.observed[3]!.body).length, Buffer.byteLength(bigBody), 'the app read the whole 3 MB body');
      assert.deepEqual(p.health, { status: 200, contentType: p.health.contentType, body: 'ok' });
      assertCleanExit(p.exit);
    });

    CASES.forEach((c, i) => {
      test(`${c.name}: same status, content-type and body`, TEST_TIMEOUT, async () => {
        const [p, q] = await Promise.all([plain, instrumented]);
        assert.deepEqual(q.observed[i], p.observed[i]);
      });
    });

    test('with instrumentation: SERVER spans were exported for the requests, and the app exits 0 within 10 s', TEST_TIMEOUT, async () => {
      const q = await instrumented;
      const echoSpans = serverSpansFor(q.spans, '/echo');
      assert.ok(echoSpans.length >= CASES.length - 2, `only ${echoSpans.length} SERVER spans for /echo: is the instrumentation active?`);
      assert.deepEqual(q.health, (await plain).health);
      assertCleanExit(q.exit);
    });

    test('with instrumentation: a collect span for the 3 MB body is marked sst.truncated', TEST_TIMEOUT, async () => {
      const q = await instrumented;
      const big = q.spans.filter((s) => s.kind === SPAN_KIND.SERVER && /big=1/.test(String(s.attributes['url.query'] ?? s.attributes['http.target'] ?? s.attributes['url.full'] ?? '')));
      assert.equal(big.length, 1, 'no SERVER span for the 3 MB request');
      assert.equal(big[0]!.attributes['sst.flow'], 'collect', `the email and name in the first ${CAPTURE_LIMIT} bytes were not collected: ${sstKeys(big[0]!).join(',')}`);
      assert.equal(big[0]!.attributes['sst.truncated'], true);
    });
  });
}
