// The zero-code entry as users run it: `node --import|--require @sst/otel-auto app` in a child
// process, resolved through node_modules like an installed package. Checks the promises of the
// entry: disabled means nothing, bad config means a clear line and an uninstrumented app, one
// start per process, main thread only, ESM named imports instrumented, spool written and the
// app's own exit (code or signal) kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sst-entry-'));
  mkdirSync(join(dir, 'node_modules', '@sst'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', '@sst', 'otel-auto'), 'dir');
  // Apps resolve the project's own dependencies (express etc.) through this link too.
  return dir;
}

/** The environment of an app under test: nothing of the test runner's, a fixed key, local resource
 *  detectors only. */
function childEnv(dir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: dir, SST_FINGERPRINT_KEY: 'entry-test-key-0123456789', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process', ...env };
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

function run(dir: string, args: string[], env: Record<string, string>, opts: { killAfterReady?: NodeJS.Signals; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: childEnv(dir, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedAt = 0;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (opts.killAfterReady && !killedAt && stdout.includes('READY')) { killedAt = Date.now(); setTimeout(() => child.kill(opts.killAfterReady), 300); }
    });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timeout; stdout=${stdout} stderr=${stderr}`)); }, opts.timeoutMs ?? 20000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - (killedAt || t0) });
    });
  });
}

const activeLines = (s: string) => s.split('\n').filter((l) => l.includes('@sst/otel-auto') && l.includes('active'));

test('SST_DISABLED=true loads nothing', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), "console.log(String(!!globalThis[Symbol.for('@sst/otel-auto')]));");
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_DISABLED: 'true' });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), 'false');
  assert.equal(r.stderr, '');
});

test('an invalid config is one clear line and the app runs uninstrumented; SST_STRICT makes it fatal', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'sst.yaml'), 'firstPartyHosts: internal.example\ncaptureLimit: -5\n');
  writeFileSync(join(dir, 'app.cjs'), "console.log('app ran');");
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_CONFIG: join(dir, 'sst.yaml') });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), 'app ran');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /invalid SST config .*sst\.yaml/);
  assert.match(lines[0], /firstPartyHosts/);
  assert.match(lines[0], /captureLimit/);
  assert.match(lines[0], /running uninstrumented/);

  const strict = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_CONFIG: join(dir, 'sst.yaml'), SST_STRICT: 'true' });
  assert.notEqual(strict.code, 0);
  assert.doesNotMatch(strict.stdout, /app ran/);
});

test('loaded twice (--require and --import) it starts once; worker threads are left alone', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), `
    const { Worker } = require('node:worker_threads');
    const w = new Worker("const s = globalThis[Symbol.for('@sst/otel-auto')]; require('node:worker_threads').parentPort.postMessage(String(!!(s && s.handle)))", { eval: true });
    w.on('message', (m) => { console.log('worker started sst: ' + m); w.terminate(); });
  `);
  const r = await run(dir, ['--require', '@sst/otel-auto', '--import', '@sst/otel-auto', 'app.cjs'], { OTEL_TRACES_EXPORTER: 'none' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(activeLines(r.stderr).length, 1, r.stderr);
  assert.match(r.stdout, /worker started sst: false/);
});

// `handler` may define onReady(), called once the app has served its own request (its spans have
// ended): tests end the app there, not after a fixed delay that a slow machine may not meet.
const SERVER_APP = (handler: string) => `
  const http = require('node:http');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ got: body.length })); });
  });
  server.listen(0, '127.0.0.1', async () => {
    const port = server.address().port;
    const r = await fetch('http://127.0.0.1:' + port + '/signup?src=ad', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Spool.Tester@example.org', phone: '+1 650 555 0134', firstName: 'Rosa' }) });
    await r.text();
    console.log('READY ' + port);
    if (typeof onReady === 'function') onReady();
  });
  ${handler}
`;

function spoolLines(dir: string): Array<Record<string, unknown>> {
  const spool = join(dir, 'spool');
  if (!existsSync(spool)) return [];
  const out: Array<Record<string, unknown>> = [];
  for (const f of readdirSync(spool)) for (const line of readFileSync(join(spool, f), 'utf8').split('\n')) if (line) out.push(JSON.parse(line));
  return out;
}

function spansOf(lines: Array<Record<string, unknown>>): Array<{ kind: number; attributes: Record<string, unknown> }> {
  const spans: Array<{ kind: number; attributes: Record<string, unknown> }> = [];
  for (const l of lines as Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ kind: number; attributes: Array<{ key: string; value: Record<string, unknown> }> }> }> }> }>) {
    for (const rs of l.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) {
      const attributes: Record<string, unknown> = {};
      for (const a of s.attributes) attributes[a.key] = a.value;
      spans.push({ kind: s.kind, attributes });
    }
  }
  return spans;
}

test('without an OTLP endpoint spans are spooled as OTLP-JSON lines; SIGTERM without an app handler still kills by signal', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), SERVER_APP(''));
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_SPOOL_DIR: join(dir, 'spool') }, { killAfterReady: 'SIGTERM' });
  assert.equal(r.signal, 'SIGTERM', `died by the signal as without instrumentation (code ${r.code}, ${r.stderr})`);
  assert.ok(r.ms < 3000, `exit took ${r.ms} ms`);
  const lines = spoolLines(dir);
  assert.ok(lines.length >= 1, 'spool has lines');
  const spans = spansOf(lines);
  const collect = spans.find((s) => s.kind === 2 && (s.attributes['sst.flow'] as { stringValue?: string })?.stringValue === 'collect');
  assert.ok(collect, 'collect span in the spool');
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  for (const needle of ['Spool.Tester', 'spool.tester@example.org', '16505550134', 'Rosa']) assert.equal(text.includes(needle), false, 'no raw values in the spool');
});

test("the app's own exit code is kept when it handles SIGTERM itself", async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), SERVER_APP("process.on('SIGTERM', () => { server.close(); setTimeout(() => process.exit(3), 50); });"));
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_SPOOL_DIR: join(dir, 'spool') }, { killAfterReady: 'SIGTERM' });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(spansOf(spoolLines(dir)).some((s) => s.kind === 2), 'spans written at exit');
});

test('ESM app with named imports from node:http is instrumented through --import', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.mjs'), `
    import { createServer, request } from 'node:http';
    const server = createServer((req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      const req = request({ host: '127.0.0.1', port, path: '/?email=' + encodeURIComponent('esm.user@example.com'), method: 'GET' }, (res) => {
        res.resume(); res.on('end', () => { server.close(); });
      });
      req.end();
    });
  `);
  const r = await run(dir, ['--import', '@sst/otel-auto', 'app.mjs'], { SST_SPOOL_DIR: join(dir, 'spool') });
  assert.equal(r.code, 0, r.stderr);
  const spans = spansOf(spoolLines(dir));
  assert.ok(spans.some((s) => s.kind === 3), 'CLIENT span from the named import');
  const server = spans.find((s) => s.kind === 2);
  assert.ok(server, 'SERVER span');
  assert.equal((server.attributes['sst.flow'] as { stringValue?: string })?.stringValue, 'collect');
  assert.equal(JSON.stringify(spans).includes('esm.user'), false, 'url attributes scrubbed');
});

test('NODE_OPTIONS preloads (the app\'s other agents) run in the app, not in the analysis thread', async () => {
  const dir = sandbox();
  // Node's own ESM-hooks thread runs preloads as it always does; the analysis thread is the one
  // whose workerData carries an export plan.
  writeFileSync(join(dir, 'preload.cjs'), "const w = require('node:worker_threads'); process.stderr.write('PRELOAD ' + (w.isMainThread ? 'main' : w.workerData && w.workerData.plan ? 'analysis' : 'other') + '\\n');");
  writeFileSync(join(dir, 'app.cjs'), SERVER_APP('function onReady() { server.close(); }'));
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], {
    SST_SPOOL_DIR: join(dir, 'spool'), NODE_OPTIONS: `--require ${join(dir, 'preload.cjs')}`,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\(analysis thread\)/);
  const preloads = r.stderr.split('\n').filter((l) => l.startsWith('PRELOAD'));
  assert.ok(preloads.includes('PRELOAD main'), r.stderr);
  assert.ok(!preloads.includes('PRELOAD analysis'), r.stderr);
  // The thread still analysed and exported the request.
  const server = spansOf(spoolLines(dir)).find((s) => s.kind === 2);
  assert.equal((server?.attributes['sst.flow'] as { stringValue?: string })?.stringValue, 'collect');
});

test('where worker threads are not allowed (permission model), analysis runs on the app\'s thread', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), SERVER_APP('function onReady() { server.close(); }'));
  const r = await run(dir, ['--experimental-permission', '--allow-fs-read=*', '--allow-fs-write=*', '--require', '@sst/otel-auto', 'app.cjs'], {
    SST_SPOOL_DIR: join(dir, 'spool'),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /sst: analysis thread unavailable \(.*\); analysing on the app's thread/);
  assert.equal(activeLines(r.stderr).length, 1, r.stderr);
  assert.doesNotMatch(activeLines(r.stderr)[0]!, /analysis thread/);
  const server = spansOf(spoolLines(dir)).find((s) => s.kind === 2);
  assert.equal((server?.attributes['sst.flow'] as { stringValue?: string })?.stringValue, 'collect');
});

test('OTEL_NODE_ENABLED_INSTRUMENTATIONS selects the instrumentations (undici only: no SERVER spans)', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'app.cjs'), SERVER_APP('function onReady() { server.close(); }'));
  const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], { SST_SPOOL_DIR: join(dir, 'spool'), OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici' });
  assert.equal(r.code, 0, r.stderr);
  const spans = spansOf(spoolLines(dir));
  assert.ok(spans.some((s) => s.kind === 3), 'the fetch CLIENT span is there');
  assert.equal(spans.filter((s) => s.kind === 2).length, 0, 'no SERVER span with http disabled');
});

test('a silent collector does not hold the exit: the flush is bounded and the exit code is kept', async () => {
  const net = require('node:net') as typeof import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const hole = net.createServer((s) => { sockets.push(s); }); // accepts, never answers
  await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
  const port = (hole.address() as import('node:net').AddressInfo).port;
  try {
    const dir = sandbox();
    writeFileSync(join(dir, 'app.cjs'), SERVER_APP('function onReady() { server.close(); process.exitCode = 4; }'));
    const r = await run(dir, ['--require', '@sst/otel-auto', 'app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, SST_FLUSH_TIMEOUT_MS: '1000',
    });
    assert.equal(r.code, 4, r.stderr);
    // The exporter's own timeout is 10 s; ending well before it shows the bound, not the timeout, ended it.
    assert.ok(r.ms < 8000, `exit took ${r.ms} ms`);
    assert.match(r.stderr, /not exported within 1000 ms at exit/);
  } finally {
    for (const s of sockets) s.destroy();
    hole.close();
  }
});

test('an export already on its way when the app ends is waited for (the analysis thread does not keep the process alive)', async () => {
  // A collector that takes 700 ms to answer. The app ends its loop once the first export has
  // arrived, while the answer is still held: that batch left on the exporter's timer, not in the
  // exit's flush, and the exit must still wait for it.
  const HOLD_MS = 700;
  const answeredAt: number[] = [];
  let firstExport!: () => void;
  const arrived = new Promise<void>((r) => { firstExport = r; });
  const sink = (require('node:http') as typeof import('node:http')).createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      firstExport();
      setTimeout(() => { res.end('{}'); answeredAt.push(Date.now()); }, HOLD_MS);
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as import('node:net').AddressInfo).port;
  try {
    const dir = sandbox();
    // Ends when the test closes its stdin: server closed, nothing else keeps the loop alive.
    writeFileSync(join(dir, 'app.cjs'), SERVER_APP("function onReady() { process.stdin.on('end', () => server.close()); process.stdin.resume(); }"));
    const child = spawn(process.execPath, ['--require', '@sst/otel-auto', 'app.cjs'], {
      cwd: dir,
      env: childEnv(dir, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '20', SST_FLUSH_TIMEOUT_MS: '5000' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const exited = new Promise<{ code: number | null; at: number }>((r) => child.on('exit', (code) => r({ code, at: Date.now() })));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await Promise.race([arrived, exited]);
    child.stdin.end();
    const ex = await exited;
    clearTimeout(timer);
    assert.equal(ex.code, 0, stderr);
    assert.ok(answeredAt.length >= 1, `the collector answered no export before the exit (${stderr})`);
    assert.ok(ex.at >= Math.max(...answeredAt), `the app exited ${Math.max(...answeredAt) - ex.at} ms before the collector answered its export`);
    assert.doesNotMatch(stderr, /not exported|exiting before/);
  } finally {
    sink.close();
  }
});
