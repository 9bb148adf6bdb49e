// Differential fuzzing (issue 9 §1): the same random requests (fast-check, fixed seed) against
// express, fastify, koa and raw node:http apps run without and with the instrumentation must get
// the same status, the headers that matter and the same body bytes; the apps must not crash or
// report an uncaught exception or unhandled rejection. The same for outbound calls: an app sends
// bodies as strings, Buffers, streams, async iterables, FormData, URLSearchParams, Blobs through
// fetch and http.request; the receiving server must see the same bytes either way.
//   SST_FUZZ_RUNS=200 SST_FUZZ_SEED=7 node --test dist/test/reliability/fuzz.test.js
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { inBackground } from '../e2e/harness/background';
import { projectRoot } from '../e2e/harness/project';
import { runApp, type LoadMode } from '../e2e/harness/run-app';
import { fuzzRequest, sendFuzz, type FuzzRequest, type FuzzResponse } from './requests';
import { outboundCall, type OutboundCall } from './outbound-calls';

const RUNS = Number(process.env.SST_FUZZ_RUNS || 30);
const SEED = Number(process.env.SST_FUZZ_SEED || 20261126);
const TIMEOUT = { timeout: 300_000 };
const BIG = 5 * 1024 * 1024;

const requests: FuzzRequest[] = fc.sample(fuzzRequest, { seed: SEED, numRuns: RUNS });
// Always one body of 5 MB (past the capture limit), whole and chunked.
const big = Buffer.from(JSON.stringify({ email: 'big.body@example.org', blob: 'x'.repeat(BIG) }));
requests.push(
  { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: big, delivery: 'whole', label: 'POST json 5 MB (whole)' },
  { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: big, delivery: 'chunked', label: 'POST json 5 MB (chunked)' },
);

const reproduce = `reproduce with SST_FUZZ_SEED=${SEED} SST_FUZZ_RUNS=${RUNS}`;

interface AppOutcome { responses: FuzzResponse[]; health: number; stderr: string; exitCode: number | null; hung: boolean }

async function exercise(app: string, mode: LoadMode): Promise<AppOutcome> {
  const running = await runApp({ app, args: mode, env: { SST_CAPTURE_LIMIT: String(256 * 1024) } });
  try {
    const responses: FuzzResponse[] = [];
    for (const r of requests) responses.push(await sendFuzz(running.port, r));
    const health = (await running.send('/health')).status;
    const exit = await running.stop();
    return { responses, health, stderr: exit.stderr, exitCode: exit.code, hung: exit.hung };
  } finally {
    await running.stop();
  }
}

const APPS: { file: string; mode: LoadMode }[] = [
  { file: 'express-register.cjs', mode: 'require' },
  { file: 'raw-http-form.mjs', mode: 'import' },
  { file: 'fastify-echo.cjs', mode: 'import' },
  { file: 'koa-echo.cjs', mode: 'require' },
];

const CRASH = /uncaught|unhandled|TypeError|RangeError|ReferenceError|\n\s+at /i;

for (const { file, mode } of APPS) {
  const plain = inBackground(() => exercise(file, 'none'));
  const instrumented = inBackground(() => exercise(file, mode));
  describe(`${file}: ${requests.length} fuzzed requests (seed ${SEED}) without and with --${mode} @sst/otel-auto`, () => {
    test('same status, headers and body bytes for every request', TIMEOUT, async () => {
      const [p, q] = await Promise.all([plain, instrumented]);
      const diffs: string[] = [];
      requests.forEach((r, i) => {
        const a = p.responses[i]!;
        const b = q.responses[i]!;
        if (a.status !== b.status) diffs.push(`#${i} ${r.label}: status ${a.status} vs ${b.status}`);
        else if (JSON.stringify(a.headers) !== JSON.stringify(b.headers)) diffs.push(`#${i} ${r.label}: headers ${JSON.stringify(a.headers)} vs ${JSON.stringify(b.headers)}`);
        else if (a.body !== b.body) diffs.push(`#${i} ${r.label}: body differs (${a.body.length} vs ${b.body.length} bytes)`);
      });
      assert.deepEqual(diffs, [], reproduce);
    });
    test('the instrumented app stays healthy, prints no exception and exits like the plain one', TIMEOUT, async () => {
      const [p, q] = await Promise.all([plain, instrumented]);
      assert.equal(q.health, p.health);
      assert.equal(q.hung, false, 'did not exit within 10 s of SIGTERM');
      assert.equal(q.exitCode, p.exitCode);
      const sstLines = q.stderr.split('\n').filter((l) => l && !/^sst: @sst\/otel-auto .* active;/.test(l));
      assert.doesNotMatch(sstLines.join('\n'), CRASH, `${reproduce}\n${sstLines.slice(0, 20).join('\n')}`);
    });
  });
}

// ------------------------------------------------------------------------------------------------
// outbound

const OUTBOUND_RUNS = Math.max(12, Math.ceil(RUNS / 2));
const calls: OutboundCall[] = fc.sample(outboundCall, { seed: SEED + 1, numRuns: OUTBOUND_RUNS });
for (const kind of ['string', 'buffer', 'stream', 'async-iterable', 'form-data', 'url-search-params', 'blob', 'uint8array', 'none'] as const) {
  for (const client of ['fetch', 'http'] as const) calls.push({ client, kind, method: kind === 'none' ? 'GET' : 'POST', text: `{"email":"outbound.${kind}@example.org","n":1}`, contentType: 'application/json' });
}

interface Received { method: string; contentType: string; length: string; chunked: boolean; sha256: string }

async function outbound(mode: LoadMode): Promise<{ received: Received[]; results: string; stderr: string; code: number | null }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ct = String(req.headers['content-type'] ?? '');
      const boundary = /boundary=("?)([^";]+)\1/.exec(ct)?.[2];
      let body = Buffer.concat(chunks).toString('latin1');
      // FormData boundaries are random per call: compare the bytes with the boundary replaced.
      if (boundary) body = body.split(boundary).join('BOUNDARY');
      received.push({
        method: req.method ?? '', contentType: boundary ? ct.split(boundary).join('BOUNDARY') : ct,
        length: boundary ? 'n/a' : String(req.headers['content-length'] ?? ''), chunked: /chunked/.test(String(req.headers['transfer-encoding'] ?? '')),
        sha256: createHash('sha256').update(body, 'latin1').digest('hex'),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, got: body.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'sst-outbound-'));
  try {
    mkdirSync(join(dir, 'node_modules', '@sst'), { recursive: true });
    symlinkSync(projectRoot(), join(dir, 'node_modules', '@sst', 'otel-auto'), 'dir');
    const specs = join(dir, 'calls.json');
    writeFileSync(specs, JSON.stringify(calls));
    const loader = mode === 'import' ? ['--import', '@sst/otel-auto'] : mode === 'require' ? ['--require', '@sst/otel-auto'] : [];
    const child = spawn(process.execPath, [...loader, join(__dirname, 'apps', 'outbound-app.mjs'), specs, `http://127.0.0.1:${(server.address() as { port: number }).port}`], {
      cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, SST_FINGERPRINT_KEY: 'fuzz-test-key-0123456789', OTEL_TRACES_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'env' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const code = await new Promise<number | null>((r) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('exit', (c) => { clearTimeout(t); r(c); });
    });
    return { received, results: stdout, stderr, code };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe(`outbound: ${calls.length} calls (fetch and http.request; strings, Buffers, streams, async iterables, FormData, URLSearchParams, Blobs; seed ${SEED + 1})`, () => {
  const plain = inBackground(() => outbound('none'));
  const instrumented = inBackground(() => outbound('require'));
  test('the server receives the same method, content-type, length and bytes; the app sees the same answers', TIMEOUT, async () => {
    const [p, q] = await Promise.all([plain, instrumented]);
    assert.equal(p.code, 0, `plain run failed: ${p.stderr.slice(-2000)}`);
    assert.equal(q.code, 0, `${reproduce}\ninstrumented run failed: ${q.stderr.slice(-2000)}`);
    assert.equal(q.received.length, p.received.length, 'same number of requests reached the server');
    const diffs: string[] = [];
    p.received.forEach((a, i) => {
      const b = q.received[i]!;
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`#${i} ${calls[i]?.client} ${calls[i]?.kind}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    });
    assert.deepEqual(diffs, [], reproduce);
    assert.equal(q.results, p.results, 'the app saw the same responses');
  });
  test('no uncaught exception or unhandled rejection in the instrumented app', TIMEOUT, async () => {
    const q = await instrumented;
    const lines = q.stderr.split('\n').filter((l) => l && !/^sst: @sst\/otel-auto .* active;/.test(l));
    assert.doesNotMatch(lines.join('\n'), CRASH, lines.slice(0, 20).join('\n'));
  });
});
