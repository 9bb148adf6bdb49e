import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { defaultConfig } from '../config';
import type { SstProcessor } from '../processor';
import { carriedIds } from '../carried-ids';
import { buildEngine } from '../build';
import type { EgressCapture, IngressCapture } from '../types';
import type { ExportPlan } from '../../export/processors';
import { setCapture } from '../../instrumentation/capture/tracker';
import { setDiagSink } from '../../instrumentation/diag';
import { ThreadedSpanProcessor } from './host';
import { mayLeaveIdle } from './scheduling';

const EMAIL = 'Jane.Doe@example.com';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const body = (text: string) => ({ chunks: [Buffer.from(text)], bytes: Buffer.byteLength(text), truncated: false, complete: true });

const KEY = Buffer.from('thread-test-key-0123456789');

function threaded(dir: string, over: Partial<ConstructorParameters<typeof ThreadedSpanProcessor>[0]> = {}) {
  const plan: ExportPlan = { console: false, network: false, spool: { dir, base: join(dir, 'thread-test') }, description: 'spool' };
  // The app's thread has its own engine (same config and key) for first-party baggage ids.
  const local = buildEngine(defaultConfig(), KEY, () => {});
  return new ThreadedSpanProcessor({
    init: { cfg: defaultConfig(), key: KEY, plan, env: {}, serviceName: 'thread-test', maxEventsPerSpan: 64 },
    fallback: () => { throw new Error('the analysis thread was expected to run'); },
    identify: (c) => carriedIds(local.identify(c)),
    exitWaitMs: 10_000,
    ...over,
  });
}

type OtlpAttr = { key: string; value: { stringValue?: string; arrayValue?: { values: Array<{ stringValue?: string }> } } };
type OtlpSpan = { name: string; kind: number; attributes: OtlpAttr[] };

function spooled(dir: string): { spans: OtlpSpan[]; text: string } {
  let text = '';
  for (const f of readdirSync(dir)) text += readFileSync(join(dir, f), 'utf8');
  const spans = text.split('\n').filter(Boolean).flatMap((l) =>
    (JSON.parse(l).resourceSpans as Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  return { spans, text };
}

function attr(s: OtlpSpan, key: string): string | string[] | undefined {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.arrayValue ? v.arrayValue.values.map((x) => x.stringValue ?? '') : v?.stringValue;
}

test('spans analysed on the analysis thread: collect and share linked by fingerprint, the same ids as first-party baggage carries, nothing raw written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const proc = threaded(dir);
  try {
    const tracer = new BasicTracerProvider({ spanProcessors: [proc], resource: resourceFromAttributes({ 'service.name': 'thread-test' }) }).getTracer('t');
    const server = tracer.startSpan('POST /signup', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': '/signup' } });
    const ingress: IngressCapture = {
      kind: 'ingress', method: 'POST', target: '/signup', headers: { 'content-type': 'application/json' },
      body: body(JSON.stringify({ email: EMAIL, plan: 'free' })),
    };
    setCapture(server, ingress);
    proc.ingressComplete(server, ingress);

    // Asked while the app sends a first-party request: computed on this thread, without indexing;
    // the analysis thread's collect must give the same ids.
    const carried = proc.fingerprintsFor(server.spanContext().traceId);
    assert.equal(carried?.fps.length, 1);
    assert.match(carried!.fps[0]!, /^[A-Za-z0-9_-]{22}$/);

    const client = tracer.startSpan('POST', {
      kind: SpanKind.CLIENT,
      attributes: { 'url.full': 'https://graph.facebook.com/v21.0/1/events', 'server.address': 'graph.facebook.com' },
    }, trace.setSpan(context.active(), server));
    const egress: EgressCapture = {
      kind: 'egress', method: 'POST', url: 'https://graph.facebook.com/v21.0/1/events', host: 'graph.facebook.com',
      headers: { 'content-type': 'application/json' },
      body: body(JSON.stringify({ data: [{ event_name: 'Lead', user_data: { em: [sha256(EMAIL.toLowerCase())] } }] })),
    };
    setCapture(client, egress);
    client.end();
    server.end();
    await proc.forceFlush();

    const { spans, text } = spooled(dir);
    const collect = spans.find((s) => attr(s, 'sst.flow') === 'collect');
    const share = spans.find((s) => attr(s, 'sst.flow') === 'share');
    assert.ok(collect && share, `collect and share spans in the spool (${spans.map((s) => s.name).join(', ')})`);
    assert.deepEqual(attr(collect, 'sst.fingerprints'), carried!.fps);
    assert.deepEqual(attr(share, 'sst.fingerprints'), carried!.fps);
    assert.equal(attr(share, 'sst.destination.vendor'), 'meta');
    assert.deepEqual(attr(share, 'sst.transforms'), ['lowercase+sha256']);
    assert.match(text, /"key":"service.name","value":\{"stringValue":"thread-test"\}/, 'the resource crossed to the thread');
    assert.ok(!text.toLowerCase().includes(EMAIL.toLowerCase()) && !text.includes(sha256(EMAIL.toLowerCase())), 'no raw or unkeyed value in the spool');
    assert.equal(proc.pending(), 0);
    // The registry lives on the analysis thread; stats() reads it there.
    const stats = await proc.stats();
    assert.ok(stats.registry.values >= 1 && stats.registry.keys > stats.registry.values, JSON.stringify(stats));
    assert.equal(stats.pending, 0);
  } finally {
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a flush waits for spans held until their resource\'s detected attributes are known; drain() at exit sends them at once', async () => {
  for (const how of ['flush', 'drain'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
    const proc = threaded(dir);
    try {
      // A resource detector still running when the app's first spans end (a slow machine at start).
      let detected!: (v: string) => void;
      const resource = resourceFromAttributes({ 'service.name': 'thread-test', 'host.id': new Promise<string>((r) => { detected = r; }) });
      const tracer = new BasicTracerProvider({ spanProcessors: [proc], resource }).getTracer('t');
      for (let i = 0; i < 3; i++) tracer.startSpan(`op ${i}`).end();
      if (how === 'flush') {
        const flushed = proc.forceFlush();
        setTimeout(() => detected('host-1'), 100);
        await flushed;
        const { spans, text } = spooled(dir);
        assert.equal(spans.length, 3, 'the flush did not overtake the held spans');
        assert.match(text, /"key":"host.id","value":\{"stringValue":"host-1"\}/);
      } else {
        proc.drain(); // no await: what an 'exit' handler can do
        assert.equal(spooled(dir).spans.length, 3, 'the exit drain sent the held spans');
        detected('host-1');
      }
    } finally {
      await proc.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('drain() at exit analyses and writes everything queued, synchronously', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const proc = threaded(dir);
  try {
    const tracer = new BasicTracerProvider({ spanProcessors: [proc] }).getTracer('t');
    for (let i = 0; i < 20; i++) tracer.startSpan(`op ${i}`).end();
    proc.drain(); // no await: what an 'exit' handler can do
    assert.equal(spooled(dir).spans.length, 20);
  } finally {
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a thread that cannot start: one diagnostic line, and spans go to the in-thread processor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const lines: string[] = [];
  setDiagSink((l) => lines.push(l));
  const seen: string[] = [];
  const fallback = {
    dropped: 0,
    onStart() {}, onEnd(s: ReadableSpan) { seen.push(s.name); }, ingressComplete() {},
    fingerprintsFor: () => ({ fps: ['x'], subjects: [] }), takeEndedSinceFlush: () => 0, drain() {}, pending: () => 0,
    forceFlush: async () => {}, shutdown: async () => {},
    stats: async () => ({ registry: { values: 0, keys: 0, bytes: 0 }, pending: 0, dropped: 0 }),
  } satisfies SstProcessor;
  const proc = threaded(dir, { script: join(dir, 'no-such-worker.js'), fallback: () => fallback });
  try {
    const tracer = new BasicTracerProvider({ spanProcessors: [proc] }).getTracer('t');
    for (let t = 0; t < 200 && !lines.some((l) => l.includes('analysis thread')); t++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(lines.filter((l) => l.includes('analysis thread')).length, 1, lines.join('\n'));
    assert.match(lines.find((l) => l.includes('analysis thread'))!, /^sst: the analysis thread failed: .*; analysing on the app's thread from now on/);
    tracer.startSpan('after').end();
    assert.deepEqual(seen, ['after']);
    assert.deepEqual(proc.fingerprintsFor('0'.repeat(32)), { fps: ['x'], subjects: [] });
    await proc.forceFlush();
  } finally {
    setDiagSink((l) => process.stderr.write(l + '\n'));
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a request answered before its body was read: the capture travels with the span, collected once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const proc = threaded(dir);
  try {
    const tracer = new BasicTracerProvider({ spanProcessors: [proc] }).getTracer('t');
    const server = tracer.startSpan('POST /late', { kind: SpanKind.SERVER });
    const ingress: IngressCapture = {
      kind: 'ingress', method: 'POST', target: '/late', headers: { 'content-type': 'application/json' },
      body: body(JSON.stringify({ email: EMAIL })),
    };
    setCapture(server, ingress);
    server.end();
    proc.ingressComplete(server, ingress); // the body completes after the response
    await proc.forceFlush();
    const collects = spooled(dir).spans.filter((s) => attr(s, 'sst.flow') === 'collect');
    assert.equal(collects.length, 1);
    assert.equal((attr(collects[0]!, 'sst.fingerprints') as string[]).length, 1);
  } finally {
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Scheduling policy (field 41 of /proc/<pid>/task/<tid>/stat) and nice value (field 19) of each thread. */
function threadSched(): Array<{ policy: number; nice: number }> {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{ policy: Number(f[38]), nice: Number(f[16]) }];
    } catch { return []; } // the thread ended meanwhile
  });
}
const SCHED_IDLE = 5;

/** Why the scheduling-class tests cannot run here, if they cannot. */
function cannotTestClasses(): string | undefined {
  if (process.platform !== 'linux') return 'scheduling classes are read from /proc (Linux only)';
  if (spawnSync('chrt', ['--version'], { stdio: 'ignore' }).error) return 'chrt (util-linux) is not installed';
  return undefined;
}

test('the analysis thread runs below the app\'s priority (SST_ANALYSIS_NICE, default 10 steps)', async (t) => {
  if (process.platform !== 'linux') { t.skip('thread priorities are read from /proc (Linux only)'); return; }
  const niceOfThreads = () => threadSched().map((s) => s.nice);
  const base = Math.min(...niceOfThreads());
  for (const [env, steps] of [[{}, 10], [{ SST_ANALYSIS_NICE: '3' }, 3]] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
    const before = niceOfThreads().filter((n) => n > base).length;
    const plan: ExportPlan = { console: false, network: false, description: 'nothing' };
    const proc = threaded(dir, {
      init: { cfg: defaultConfig(), key: KEY, plan, env, serviceName: 'thread-test', maxEventsPerSpan: 64 },
    });
    try {
      await proc.forceFlush(); // the thread has started and answered
      const lowered = niceOfThreads().filter((n) => n > base);
      assert.equal(lowered.length, before + 1, `one more thread below the app's priority (${niceOfThreads().join(',')})`);
      assert.ok(lowered.includes(Math.min(19, base + steps)));
    } finally {
      await proc.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('by default the thread is in SCHED_IDLE where it may leave it again, leaves it while it is behind, and returns once caught up', async (t) => {
  const skip = cannotTestClasses();
  if (skip) { t.skip(skip); return; }
  const base = Math.min(...threadSched().map((s) => s.nice));
  const lowered = Math.min(19, base + 10);
  const analysis = () => threadSched().filter((s) => s.nice === lowered);
  const before = analysis().length;
  const canLeave = mayLeaveIdle(readFileSync('/proc/self/status', 'utf8'), readFileSync('/proc/self/limits', 'utf8'), lowered);
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const plan: ExportPlan = { console: false, network: false, description: 'nothing' };
  const lines: string[] = [];
  setDiagSink((l) => lines.push(l));
  const proc = threaded(dir, {
    init: {
      cfg: defaultConfig(), key: KEY, plan, env: {}, serviceName: 'thread-test', maxEventsPerSpan: 64,
      idleEscape: { behindItems: 200, caughtUpItems: 0, calmMs: 300 },
    },
  });
  const tracer = new BasicTracerProvider({ spanProcessors: [proc] }).getTracer('t');
  // The app's thread changes the class when it hands spans over: a small span per poll.
  const policyIs = async (policy: number, nudge = true) => {
    const deadline = Date.now() + 10_000;
    const now = () => analysis().slice(before).map((s) => s.policy);
    while (!(now().length === 1 && now()[0] === policy) && Date.now() < deadline) {
      if (nudge) tracer.startSpan('tick').end();
      await new Promise((r) => setTimeout(r, 60));
    }
    return now();
  };
  try {
    if (!canLeave) {
      await proc.forceFlush();
      // No CAP_SYS_NICE and RLIMIT_NICE too low: a thread could not come back out, so it stays an
      // ordinary thread at its nice steps.
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(analysis().slice(before).map((s) => s.policy), [0]);
      t.diagnostic('this process may not leave SCHED_IDLE: checked that the thread stays out of it');
      return;
    }
    // At start, before any span: the thread asks, and the app's thread moves it while the
    // process is still small (the fork of chrt grows with it).
    assert.deepEqual(await policyIs(SCHED_IDLE, false), [SCHED_IDLE], JSON.stringify(threadSched()));
    // A burst the thread needs a while for: requests with bodies to detect, posted at once.
    for (let i = 0; i < 4000; i++) {
      const span = tracer.startSpan('POST /signup', { kind: SpanKind.SERVER });
      const ingress: IngressCapture = {
        kind: 'ingress', method: 'POST', target: '/signup', headers: { 'content-type': 'application/json' },
        body: body(JSON.stringify({ email: `person.${i}@example.com`, phone: `+1 415 555 ${String(i).padStart(4, '0')}`, firstName: 'Jane' })),
      };
      setCapture(span, ingress);
      span.end();
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    // Behind: the app's thread moved it out, an ordinary thread again, still 10 nice steps below the app.
    assert.deepEqual(await policyIs(0), [0], JSON.stringify(threadSched()));
    assert.ok(lines.some((l) => /^sst: the analysis thread fell \d+ items behind in SCHED_IDLE/.test(l)), lines.join('\n'));
    // Caught up for calmMs: it asks to go back, and the app's thread moves it at a later hand-off.
    await proc.forceFlush();
    assert.deepEqual(await policyIs(SCHED_IDLE), [SCHED_IDLE], JSON.stringify(threadSched()));
    // An exit begins: out of the class at once, synchronously (an 'exit' handler cannot wait).
    proc.exiting();
    assert.deepEqual(analysis().slice(before).map((s) => s.policy), [0], JSON.stringify(threadSched()));
  } finally {
    setDiagSink((l) => process.stderr.write(l + '\n'));
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SST_ANALYSIS_NICE=idle moves the analysis thread to SCHED_IDLE; without chrt it keeps the 10 nice steps', async (t) => {
  const skip = cannotTestClasses();
  if (skip) { t.skip(skip); return; }
  const base = Math.min(...threadSched().map((s) => s.nice));
  const plan: ExportPlan = { console: false, network: false, description: 'nothing' };
  const idleBefore = threadSched().filter((s) => s.policy === SCHED_IDLE).length;
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const proc = threaded(dir, { init: { cfg: defaultConfig(), key: KEY, plan, env: { SST_ANALYSIS_NICE: 'idle' }, serviceName: 'thread-test', maxEventsPerSpan: 64 } });
  try {
    await proc.forceFlush();
    // chrt runs asynchronously, once, right after the thread starts.
    const deadline = Date.now() + 10_000;
    while (threadSched().filter((s) => s.policy === SCHED_IDLE).length === idleBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(threadSched().filter((s) => s.policy === SCHED_IDLE).length, idleBefore + 1, JSON.stringify(threadSched()));
    // The analysis thread (lowered by nice first), not the app's thread.
    assert.ok(threadSched().some((s) => s.policy === SCHED_IDLE && s.nice === Math.min(19, base + 10)), JSON.stringify(threadSched()));
    assert.equal(threadSched().filter((s) => s.nice === base && s.policy === SCHED_IDLE).length, 0);
  } finally {
    await proc.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }

  // chrt missing from PATH: the thread is still lowered by nice, and nothing fails.
  const path = process.env.PATH;
  process.env.PATH = join(tmpdir(), 'sst-no-such-dir');
  const dir2 = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const before = threadSched().filter((s) => s.nice > base).length;
  const proc2 = threaded(dir2, { init: { cfg: defaultConfig(), key: KEY, plan, env: { SST_ANALYSIS_NICE: 'idle' }, serviceName: 'thread-test', maxEventsPerSpan: 64 } });
  try {
    await proc2.forceFlush();
    await new Promise((r) => setTimeout(r, 200)); // the failed chrt has been reported
    const lowered = threadSched().filter((s) => s.nice > base);
    assert.equal(lowered.length, before + 1);
    assert.ok(lowered.some((s) => s.nice === Math.min(19, base + 10) && s.policy !== SCHED_IDLE));
  } finally {
    process.env.PATH = path;
    await proc2.shutdown();
    rmSync(dir2, { recursive: true, force: true });
  }
});

test('a stuck thread: memory stays bounded (spans dropped and reported), flush, stats and shutdown answer in bounded time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-thread-'));
  const script = join(dir, 'stuck.js');
  writeFileSync(script, 'for (;;) {}\n');
  const lines: string[] = [];
  setDiagSink((l) => lines.push(l));
  const proc = threaded(dir, { script, maxInFlight: 20, answerTimeoutMs: 300 });
  try {
    const tracer = new BasicTracerProvider({ spanProcessors: [proc] }).getTracer('t');
    for (let i = 0; i < 30; i++) tracer.startSpan(`op ${i}`).end();
    await new Promise((r) => setTimeout(r, 50)); // the batch is handed over, never taken off the port
    for (let i = 0; i < 5; i++) tracer.startSpan(`late ${i}`).end();
    assert.equal(proc.dropped, 15);
    assert.equal(lines.filter((l) => l.includes('analysis thread is 20 items behind')).length, 1, lines.join('\n'));
    const t0 = Date.now();
    await assert.rejects(proc.forceFlush(), /did not answer a flush within 300 ms/);
    const stats = await proc.stats();
    assert.equal(stats.dropped, 15);
    assert.equal(stats.registry.values, 0);
    assert.ok(Date.now() - t0 < 2000);
  } finally {
    setDiagSink((l) => process.stderr.write(l + '\n'));
    await proc.shutdown().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
