import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { SpoolSpanProcessor, type SpoolOptions } from './spool';

function setup(over: Partial<SpoolOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sst-spool-'));
  const spool = new SpoolSpanProcessor({ dir, serviceName: 'spool-test', flushIntervalMs: 5, ...over });
  const tracer = new BasicTracerProvider({ spanProcessors: [spool] }).getTracer('spool-test');
  const end = (n: number, attrs: Record<string, string> = {}) => { for (let i = 0; i < n; i++) tracer.startSpan(`op ${i}`, { attributes: attrs }).end(); };
  return { dir, spool, end, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Span ids per line of every file in `dir`; a line that is not a whole request fails the test. */
function spoolLines(dir: string): string[][] {
  const out: string[][] = [];
  for (const f of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    if (text) assert.ok(text.endsWith('\n'), `${f} ends with a complete line`);
    for (const line of text.split('\n').filter(Boolean)) {
      const req = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string }> }> }> };
      out.push(req.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.spanId))));
    }
  }
  return out;
}

function assertEachOnce(dir: string, expected: number): void {
  const ids = spoolLines(dir).flat();
  assert.equal(new Set(ids).size, ids.length, 'no span written twice');
  assert.equal(ids.length, expected);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('a write in flight at exit is not written twice when the asynchronous write already finished', () => {
  const { dir, spool, end, done } = setup();
  try {
    end(10);
    void spool.forceFlush(); // hands one line to the thread pool
    const file = spool.currentFile();
    // Wait, without letting the write's callback run, until the line is in the file: the state of
    // an app that calls process.exit() right after its SIGTERM handler started the flush.
    for (let t = 0; t < 5000 && !(existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')); t++) sleep(1);
    spool.flushSync();
    assertEachOnce(dir, 10);
    assert.equal(spoolLines(dir).length, 1);
    assert.equal(spool.written, 10);
  } finally {
    done();
  }
});

test('a write in flight at exit that the thread pool has not started yet: written once, and the late write changes nothing', async () => {
  const { dir, spool, end, done } = setup();
  try {
    // Occupy every thread of the pool, so the spool's write waits in its queue.
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    const busy = Array.from({ length: threads }, () => new Promise((r) => pbkdf2('a', 'b', 300_000, 64, 'sha512', r)));
    end(10);
    void spool.forceFlush();
    spool.flushSync();
    assertEachOnce(dir, 10);
    await Promise.all(busy);
    await new Promise((r) => setTimeout(r, 50)); // the queued write has run by now
    end(5);
    await spool.forceFlush();
    assertEachOnce(dir, 15);
    assert.equal(spool.written, 15);
  } finally {
    done();
  }
});

test('flushSync during serialization writes serialized, in-flight and queued spans once each; lines are requests of at most lineSpans spans', async () => {
  const { dir, spool, end, done } = setup({ lineSpans: 7, maxBatch: 30 });
  try {
    end(500, { 'http.route': 'x'.repeat(2000) });
    await new Promise((r) => setImmediate(r));
    void spool.forceFlush();
    await new Promise((r) => setImmediate(r));
    spool.flushSync();
    assertEachOnce(dir, 500);
    assert.ok(spoolLines(dir).every((ids) => ids.length >= 1 && ids.length <= 7));
    end(20);
    await spool.forceFlush();
    assertEachOnce(dir, 520);
    assert.equal(spool.written, 520);
    assert.equal(spool.dropped, 0);
  } finally {
    done();
  }
});

test('files rotate at maxFileBytes with whole lines, and every span is written once', async () => {
  const { dir, spool, end, done } = setup({ maxFileBytes: 20_000, lineSpans: 4, maxBatch: 8 });
  try {
    end(300);
    await spool.forceFlush();
    end(30);
    spool.flushSync();
    const files = readdirSync(dir);
    assert.ok(files.length > 3, `${files.length} files`);
    for (const f of files) assert.ok(statSync(join(dir, f)).size <= 20_000, `${f} within its cap`);
    assertEachOnce(dir, 330);
  } finally {
    done();
  }
});

// A write cut short (here by the file size limit: the kernel writes up to it, then fails with
// EFBIG) leaves no partial line behind, and the lines before it stay intact.
const CHILD = `
const { SpoolSpanProcessor } = require(${JSON.stringify(join(__dirname, 'spool.js'))});
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const spool = new SpoolSpanProcessor({ dir: process.argv[1], serviceName: 'fsize', flushIntervalMs: 5 });
const tracer = new BasicTracerProvider({ spanProcessors: [spool] }).getTracer('t');
const end = (n, big) => { for (let i = 0; i < n; i++) tracer.startSpan('op', { attributes: big ? { blob: 'y'.repeat(1000) } : {} }).end(); };
process.on('exit', () => spool.flushSync());
(async () => {
  end(10, false);
  await spool.forceFlush();
  end(100, true); // ~130 KB: past the 64 KB limit
  await spool.forceFlush();
  await new Promise((r) => setTimeout(r, 30)); // a retry or two
})();
`;

test('a partial write (file size limit) leaves no partial line; earlier lines stay; one error line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-spool-fsize-'));
  try {
    const r = spawnSync('bash', ['-c', 'ulimit -f 64 && exec "$0" -e "$1" "$2"', process.execPath, CHILD, dir], { encoding: 'utf8', cwd: __dirname, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const errors = r.stderr.split('\n').filter(Boolean);
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0]!, /^sst: spool: cannot write to .* \(EFBIG\); spans are dropped until it is writable$/);
    // The first line, then whatever whole lines flushSync() could still fit at exit; then nothing.
    const lines = spoolLines(dir);
    assert.equal(lines[0]!.length, 10);
    const ids = lines.flat();
    assert.ok(ids.length < 110, `${ids.length} spans`);
    assert.equal(new Set(ids).size, ids.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
