// The SST processor as the app's thread sees it when analysis runs on its own thread: ended spans
// and ingress captures are queued as they come, and every 200 ms (or 256 items) sent as one batch
// to the analysis thread (worker.ts), which detects, fingerprints, matches, scrubs and exports.
// The app's thread keeps only the capture hooks and this hand-off, so a request costs it about
// what plain OpenTelemetry costs (bench/README.md); the analysis uses another core.
//
// Fail open: if the thread cannot start or dies, a processor on the app's thread takes over (what
// was queued there is lost, and said so). The final flush at exit must be synchronous: the app's
// thread waits for it on a shared counter, with a bound. The ids a request carries in first-party
// baggage are needed synchronously too, while the request is sent: those are computed here.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span } from '@opentelemetry/sdk-trace-base';
import type { ProcessorStats, SstProcessor } from '../processor';
import type { IngressCapture } from '../types';
import { getCapture } from '../../instrumentation/capture/tracker';
import { diag, diagOnce, errorText } from '../../instrumentation/diag';
import { markReported, setExportFailing } from '../../export/reported';
import { wireCapture, wireSpan, type WireItem } from './wire';
import { CONTROL_SLOTS, SLOT_FLUSHED, SLOT_POSTED, type ControlReply, type ControlRequest, type WorkerInit } from './protocol';
import { IdleWatch } from './scheduling';

type Queued =
  | { kind: 'ingress'; owner: object; capture: IngressCapture }
  | { kind: 'end'; span: ReadableSpan };

export interface ThreadedOptions {
  init: Omit<WorkerInit, 'control'>;
  /** The in-thread processor that takes over when the analysis thread fails. */
  fallback: () => SstProcessor;
  /** The fingerprint ids of a request's values, computed on the app's thread (first-party baggage). */
  identify: (capture: IngressCapture) => { fps: string[]; subjects: string[] };
  /** Bound of the synchronous flush at exit. */
  exitWaitMs: number;
  /** The worker script (tests point it elsewhere). */
  script?: string;
  /** Items queued here plus handed over and not yet received by the thread (default 50 000). */
  maxInFlight?: number;
  /** Bound of a flush or shutdown answer from the thread (default 30 s: above the exporter's 10 s). */
  answerTimeoutMs?: number;
}

const MAX_IN_FLIGHT = 50_000;
/** What a thread that cannot answer knows of its registry. */
const NO_REGISTRY: ProcessorStats['registry'] = { values: 0, keys: 0, bytes: 0 };
const ANSWER_TIMEOUT_MS = 30_000;
/** Hand-off cadence: at most this many ms, or this many items, whichever comes first.
 *  Each hand-off wakes the analysis thread, and a thread woken every few ms pays again and again
 *  for caches the app's thread evicted meanwhile: at 450 req/s it used ~500 µs per request with
 *  5 ms, ~380 with 50 ms; 200 ms took the process's CPU per request at 300 req/s another 7 % lower
 *  than 50 ms, on both threads (bench/README.md, session 10). Spans leave on the
 *  exporter's schedule (seconds), so nobody sees the delay. The item cap bounds one structured
 *  clone on the app's thread (~2 ms); past ~300 req/s it, not the interval, sets the cadence. */
const POST_INTERVAL_MS = 200;
const POST_BATCH = 256;
/** Requests in flight whose captures are kept for first-party baggage. */
const MAX_REQUESTS = 5_000;

interface Waiter { resolve(): void; reject(e: Error): void }

export class ThreadedSpanProcessor implements SstProcessor {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly worker: Worker;
  /** Shared with the thread (protocol.ts): the last synchronous flush it finished (we wait on it),
   *  what we posted, its id and scheduling class. */
  private readonly control: Int32Array;
  private readonly idleWatch: IdleWatch;
  private seq = 0;
  /** Ingress captures of requests still being served, by trace: their ids are computed here on
   *  demand, when the request calls a first-party host. */
  private readonly requests = new Map<string, { owner: object; capture: IngressCapture; ids?: { fps: string[]; subjects: string[] } }>();
  private stopping = false;
  private fallback?: SstProcessor;
  private readonly resourceIds = new WeakMap<object, number>();
  private nextResource = 1;
  /** Set while spans wait for their resource's detected attributes (they keep their order). */
  private held: Promise<void> | undefined;
  /** Server spans whose ingress capture went ahead of them (their end carries no capture). */
  private readonly sentIngress = new WeakSet<object>();
  /** Spans already ended: an ingress capture completing after its span ended is not sent again. */
  private readonly ended = new WeakSet<object>();
  private readonly waiters = new Map<number, Waiter>();
  private readonly statsWaiters = new Map<number, (s: ProcessorStats) => void>();
  private nextId = 1;
  private endedSinceFlush = 0;
  private droppedHere = 0;
  /** Items handed to the thread, and how many of them it has taken off its port (it reports that
   *  a few times a second): the difference is memory held in the port, bounded with the queue. */
  private posted = 0;
  private received = 0;

  constructor(private readonly opts: ThreadedOptions) {
    const shared = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.control = new Int32Array(shared);
    this.idleWatch = new IdleWatch(this.control, opts.init.idleEscape);
    const workerData: WorkerInit = { ...opts.init, control: shared };
    // Without NODE_OPTIONS: a worker runs its `--require`/`--import` preloads too (the app's other
    // agents, dotenv, …), which have no business in the analysis thread. The exporters read the
    // rest of the environment (OTEL_EXPORTER_OTLP_*) as on the app's thread.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    this.worker = new Worker(opts.script ?? join(__dirname, 'worker.js'), {
      workerData, execArgv: [], env, name: 'sst-analysis',
    });
    this.worker.on('message', (m: ControlReply) => this.reply(m));
    this.worker.on('error', (e) => this.fail(`the analysis thread failed: ${errorText(e)}`));
    this.worker.on('exit', (code) => this.fail(`the analysis thread stopped (exit code ${code})`));
    // The app decides when the process ends, never our thread (after the listeners: adding a
    // 'message' listener refs the worker's port again).
    this.worker.unref();
    // At exit the thread is torn down after the app's exit handlers: not a failure to recover from.
    process.once('exit', () => { this.stopping = true; });
  }

  get dropped(): number { return this.droppedHere + (this.fallback?.dropped ?? 0); }

  ingressComplete(owner: object, capture: IngressCapture): void {
    if (this.fallback) { this.fallback.ingressComplete(owner, capture); return; }
    // Its span already ended and took the capture along (an app that answers before reading the body).
    if (this.ended.has(owner)) return;
    const traceId = (owner as Partial<ReadableSpan>).spanContext?.().traceId;
    if (traceId) {
      if (this.requests.size >= MAX_REQUESTS) this.requests.delete(this.requests.keys().next().value!);
      this.requests.set(traceId, { owner, capture });
    }
    this.enqueue({ kind: 'ingress', owner, capture });
  }

  onStart(span: Span, parentContext: Context): void {
    this.fallback?.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.endedSinceFlush++;
    if (this.fallback) { this.fallback.onEnd(span); return; }
    this.ended.add(span);
    const traceId = span.spanContext().traceId;
    if (this.requests.get(traceId)?.owner === span) this.requests.delete(traceId);
    this.enqueue({ kind: 'end', span });
  }

  takeEndedSinceFlush(): number {
    const n = this.endedSinceFlush;
    this.endedSinceFlush = 0;
    return n;
  }

  pending(): number { return this.queue.length + (this.fallback?.pending() ?? 0); }

  fingerprintsFor(traceId: string): { fps: readonly string[]; subjects: readonly string[] } | undefined {
    if (this.fallback) return this.fallback.fingerprintsFor(traceId);
    const req = this.requests.get(traceId);
    if (!req) return undefined;
    // Computed here rather than asked of the thread: a first-party call must not wait for the
    // analysis queue (or for the thread to load). Detection and one keyed hash per value, nothing
    // indexed: the ids are the ones the thread's collect gives.
    if (!req.ids) {
      try { req.ids = this.opts.identify(req.capture); } catch (e) {
        diagOnce('thread-ids', `fingerprint ids for baggage failed: ${errorText(e)}`);
        req.ids = { fps: [], subjects: [] };
      }
    }
    return req.ids;
  }

  /** Synchronous: everything queued is analysed and the spool written (exit). False when the thread
   *  did not finish within `waitMs`: what it still held is lost (the caller says so, once, with
   *  whatever else the exit lost). */
  drain(waitMs = this.opts.exitWaitMs): boolean {
    if (this.fallback) { this.fallback.drain(); return true; }
    this.post(true);
    return this.flushSyncOnThread(waitMs);
  }

  async forceFlush(): Promise<void> {
    await this.postAll();
    if (this.fallback) return this.fallback.forceFlush();
    return this.request('flush');
  }

  /** Posts the queue, and what it held back for a resource's attributes once they are known: a
   *  flush or shutdown must not overtake those spans. */
  private async postAll(): Promise<void> {
    this.post();
    while (this.held) await this.held;
  }

  /** The registry and queue of the analysis thread (its own queue plus what waits here). */
  stats(): Promise<ProcessorStats> {
    if (this.fallback) return this.fallback.stats();
    this.post();
    const id = this.nextId++;
    return new Promise<ProcessorStats>((resolve) => {
      const here = { pending: this.queue.length, dropped: this.droppedHere };
      const unknown = (): void => { this.answered(id); resolve({ registry: NO_REGISTRY, ...here }); };
      // A thread that does not answer gets counted as knowing nothing, not waited for forever.
      const timer = setTimeout(unknown, this.opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
      this.statsWaiters.set(id, (s) => {
        clearTimeout(timer);
        resolve({ ...s, pending: s.pending + here.pending, dropped: s.dropped + here.dropped });
      });
      this.holdOpen();
      try { this.worker.postMessage({ t: 'stats', id } satisfies ControlRequest); } catch { clearTimeout(timer); unknown(); }
    });
  }

  /** The process is ending (lifecycle.ts): the thread must get a core to finish and to stop. */
  exiting(): void {
    if (this.fallback) return;
    try { this.idleWatch.leaveNow(); } catch { /* never into the app */ }
  }

  async shutdown(): Promise<void> {
    this.exiting();
    await this.postAll();
    if (this.fallback) return this.fallback.shutdown();
    try {
      await this.request('shutdown');
    } finally {
      this.stopping = true;
      await this.worker.terminate().catch(() => undefined);
    }
  }

  private enqueue(w: Queued): void {
    const max = this.opts.maxInFlight ?? MAX_IN_FLIGHT;
    if (this.queue.length + (this.posted - this.received) >= max) {
      // The thread is far behind (starved of CPU, or stuck); the app's memory comes first.
      this.droppedHere++;
      diagOnce('thread-queue-full', `the analysis thread is ${max} items behind; spans are dropped (not exported) until it catches up`);
      return;
    }
    this.queue.push(w);
    if (this.queue.length >= POST_BATCH) { this.post(); return; }
    if (!this.scheduled) {
      this.scheduled = true;
      // One hand-off per interval, not per request: each message wakes the other thread, which
      // costs both threads more than the copy does. Unref'd: exit flushes what is left.
      setTimeout(() => { this.scheduled = false; this.post(); }, POST_INTERVAL_MS).unref();
    }
  }

  /** A thread starved in SCHED_IDLE is moved out from here (scheduling.ts): checked whenever work
   *  is handed over or the thread reports. */
  private tend(): void {
    try {
      this.idleWatch.check(this.queue.length + this.posted - this.received);
    } catch (e) {
      diagOnce('thread-class', `the analysis thread's scheduling class could not be changed: ${errorText(e)}`);
    }
  }

  /** Sends the queue as one batch (captures joined, never parsed here). `force`
   *  (exit, which cannot wait): spans held for their resource go now, with the attributes
   *  detected so far. */
  private post(force = false): void {
    if (this.fallback) return;
    this.tend();
    if ((this.held && !force) || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const items: WireItem[] = [];
    for (let i = 0; i < batch.length; i++) {
      const w = batch[i]!;
      try {
        if (w.kind === 'ingress') {
          const ctx = (w.owner as Partial<ReadableSpan>).spanContext?.();
          if (!ctx) continue;
          this.sentIngress.add(w.owner);
          items.push({ t: 'ingress', spanId: ctx.spanId, traceId: ctx.traceId, capture: wireCapture(w.capture) });
          continue;
        }
        const span = w.span;
        const resource = span.resource;
        let rid = this.resourceIds.get(resource);
        if (rid === undefined) {
          if (!force && resource.asyncAttributesPending && resource.waitForAsyncAttributes) {
            // Attributes still being detected: keep the order, send once they are known.
            this.queue = batch.slice(i).concat(this.queue);
            this.held = resource.waitForAsyncAttributes().catch(() => undefined).then(() => { this.held = undefined; this.post(); });
            break;
          }
          rid = this.nextResource++;
          this.resourceIds.set(resource, rid);
          items.push({ t: 'resource', id: rid, attributes: resource.attributes, schemaUrl: resource.schemaUrl });
        }
        const capture = this.sentIngress.has(span) ? undefined : getCapture(span);
        items.push({ t: 'end', span: wireSpan(span, rid), capture: capture ? wireCapture(capture) : undefined });
      } catch (e) {
        this.droppedHere++;
        diagOnce('thread-wire', `a span could not be handed to the analysis thread: ${errorText(e)}`);
      }
    }
    if (items.length === 0) return;
    try {
      this.worker.postMessage(items);
      this.posted += items.length;
    } catch (e) {
      // A value the structured clone refuses (an attribute set to something exotic): send the rest
      // one by one, so one bad span costs only itself.
      diagOnce('thread-clone', `a span could not be handed to the analysis thread: ${errorText(e)}`);
      for (const item of items) {
        try { this.worker.postMessage([item]); this.posted++; } catch { this.droppedHere++; }
      }
    }
    // The thread reads how much waits in its port.
    Atomics.store(this.control, SLOT_POSTED, this.posted | 0);
  }

  /** Asks the thread to analyse everything and write the spool, and waits for it (blocking this
   *  thread, at most `ms`); false if it did not finish in time. */
  private flushSyncOnThread(ms: number): boolean {
    const seq = ++this.seq;
    try {
      this.worker.postMessage({ t: 'flushSync', seq } satisfies ControlRequest);
    } catch {
      return false;
    }
    const deadline = Date.now() + ms;
    for (;;) {
      const done = Atomics.load(this.control, SLOT_FLUSHED);
      if (done >= seq) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, SLOT_FLUSHED, done, left);
    }
  }

  /** Flush or shutdown on the thread; rejects if it does not answer in time (a stuck thread must
   *  not hold the app's `await forceFlush()` or its exit forever). */
  private request(t: 'flush' | 'shutdown'): Promise<void> {
    const id = this.nextId++;
    const ms = this.opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.waiters.has(id)) return;
        this.settle(id);
        reject(new Error(`the analysis thread did not answer a ${t} within ${ms} ms`));
      }, ms);
      this.waiters.set(id, {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.holdOpen();
      try {
        this.worker.postMessage({ t, id } satisfies ControlRequest);
      } catch (e) {
        this.settle(id)?.reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** While an answer is awaited the thread keeps the process alive (beforeExit flushes this way). */
  private holdOpen(): void {
    this.worker.ref();
  }

  private answered(id: number): void {
    this.statsWaiters.delete(id);
    if (this.waiters.size === 0 && this.statsWaiters.size === 0 && !this.stopping) this.worker.unref();
  }

  private settle(id: number): Waiter | undefined {
    const w = this.waiters.get(id);
    this.waiters.delete(id);
    this.answered(id);
    return w;
  }

  private reply(m: ControlReply): void {
    if (m.t === 'received') {
      this.received = m.count;
      this.tend();
      return;
    }
    this.tend();
    if (m.t === 'stats') {
      const w = this.statsWaiters.get(m.id);
      this.answered(m.id);
      w?.(m.stats);
      return;
    }
    if (m.t === 'done') {
      setExportFailing(m.failing);
      const w = this.settle(m.id);
      if (!w) return;
      if (m.error === undefined) { w.resolve(); return; }
      const err = new Error(m.error);
      // The analysis thread's exporter already printed its line for this fault.
      if (m.reported) markReported(err);
      w.reject(err);
    }
  }

  private fail(why: string): void {
    if (this.fallback || this.stopping) return;
    let next: SstProcessor;
    try {
      next = this.opts.fallback();
    } catch (e) {
      diag(`${why}; spans are no longer analysed (${errorText(e)})`);
      this.stopping = true;
      this.queue = [];
      for (const id of [...this.waiters.keys()]) this.settle(id)?.resolve();
      for (const [id, w] of [...this.statsWaiters]) { this.answered(id); w({ registry: NO_REGISTRY, pending: 0, dropped: this.droppedHere }); }
      return;
    }
    diag(`${why}; analysing on the app's thread from now on (spans queued there are lost)`);
    this.fallback = next;
    const queued = this.queue;
    this.queue = [];
    for (const w of queued) {
      if (w.kind === 'ingress') next.ingressComplete(w.owner, w.capture);
      else next.onEnd(w.span);
    }
    for (const id of [...this.waiters.keys()]) this.settle(id)?.resolve();
    for (const [id, w] of [...this.statsWaiters]) { this.answered(id); void next.stats().then(w); }
  }
}
