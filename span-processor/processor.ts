// The SpanProcessor: sits in front of the exporting processors. Ingress captures and ended spans go
// through one FIFO work queue drained off the request path (setImmediate), so data tagged by a
// request is indexed before any span that ended after it is matched. Each ended span is forwarded
// as a copy carrying the sst.* attributes and events, with upstream attributes scrubbed (§7a).
import { SpanKind, SpanStatusCode, type Attributes, type Context, type HrTime, type SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Engine, CollectResult } from './engine';
import { collectAnnotations, matchAnnotations, shareAnnotations, type SpanEventOut, type SstAnnotations } from './attributes';
import { createScrubber, type Scrubber } from './scrub';
import type { EgressCapture, IngressCapture } from './types';
import { getCapture } from '../instrumentation/capture';
import { carriedIds } from './carried-ids';
import { diagOnce, errorText } from '../instrumentation/diag';

type Work =
  | { kind: 'ingress'; owner: object; capture: IngressCapture }
  | { kind: 'end'; span: ReadableSpan };

const MAX_QUEUE = 50_000;
const MAX_TRACE_MEMO = 5_000;
/** Background detection work per event-loop turn (see drainSlice). */
const DRAIN_SLICE_MS = 10;

export interface SstSpanProcessorOptions {
  maxEventsPerSpan: number;
}

/** What the rest of the distribution needs from the SST processor, on this thread or another
 *  (span-processor/thread/host.ts). */
export interface SstProcessor extends SpanProcessor {
  /** Called by the ingress capture when a request body is complete (or aborted). */
  ingressComplete(owner: object, capture: IngressCapture): void;
  /** Fingerprint ids a trace's request carries (first-party baggage, at inject time). */
  fingerprintsFor(traceId: string): { fps: readonly string[]; subjects: readonly string[] } | undefined;
  /** Spans ended since the last call (lets beforeExit flush only when something is new). */
  takeEndedSinceFlush(): number;
  /** Process everything queued now, synchronously (exit, tests); an analysis thread is waited for
   *  at most `waitMs`. False when it did not finish in time. */
  drain(waitMs?: number): boolean | void;
  /** Work items not yet processed on this thread. */
  pending(): number;
  /** The process is ending: an analysis thread gets what it needs to finish and stop. */
  exiting?(): void;
  /** Spans that passed through unannotated because the queue was full. */
  readonly dropped: number;
  /** The fingerprint registry's size and the queue, wherever the analysis runs (benchmarks, ops). */
  stats(): Promise<ProcessorStats>;
}

export interface ProcessorStats {
  registry: { values: number; keys: number; bytes: number };
  pending: number;
  dropped: number;
}

export class SstSpanProcessor implements SstProcessor {
  private queue: Work[] = [];
  private scheduled = false;
  private readonly collected = new WeakMap<object, CollectResult>();
  /** traceId → fingerprint ids of the request it serves, for first-party baggage. */
  private readonly byTrace = new Map<string, { fps: string[]; subjects: string[] }>();
  private readonly scrubber: Scrubber;
  dropped = 0;
  private endedSinceFlush = 0;

  constructor(
    private readonly engine: Engine,
    private readonly downstream: readonly SpanProcessor[],
    private readonly opts: SstSpanProcessorOptions,
  ) {
    this.scrubber = createScrubber(engine.registry, engine.matchOptions, engine.cfg.keepClientAddress);
  }

  /** Called by the ingress capture when a request body is complete (or aborted). */
  ingressComplete(owner: object, capture: IngressCapture): void {
    this.enqueue({ kind: 'ingress', owner, capture });
  }

  /** Fingerprint ids a trace's request carries (drains pending work first: called at inject time). */
  fingerprintsFor(traceId: string): { fps: readonly string[]; subjects: readonly string[] } | undefined {
    if (this.queue.length) this.drain();
    return this.byTrace.get(traceId);
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.downstream) p.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.endedSinceFlush++;
    this.enqueue({ kind: 'end', span });
  }

  /** Spans ended since the last call (lets beforeExit flush only when something is new). */
  takeEndedSinceFlush(): number {
    const n = this.endedSinceFlush;
    this.endedSinceFlush = 0;
    return n;
  }

  async forceFlush(): Promise<void> {
    this.drain();
    await Promise.all(this.downstream.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    this.drain();
    await Promise.all(this.downstream.map((p) => p.shutdown()));
  }

  /** Process everything queued now (also used at exit). */
  drain(): void {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      for (const w of batch) {
        if (w.kind === 'ingress') this.collectOnce(w.owner, w.capture);
        else this.forward(this.annotate(w.span));
      }
    }
  }

  pending(): number { return this.queue.length; }

  async stats(): Promise<ProcessorStats> {
    return { registry: this.engine.registry.stats(), pending: this.queue.length, dropped: this.dropped };
  }

  /** The background drain: at most DRAIN_SLICE_MS of work per turn of the event loop, then the
   *  rest on the next turn, so a burst of queued requests never holds the app's loop for long
   *  (order is kept: what is left goes back in front of what arrived meanwhile). */
  private drainSlice(): void {
    this.scheduled = false;
    const until = performance.now() + DRAIN_SLICE_MS;
    const batch = this.queue;
    this.queue = [];
    let i = 0;
    while (i < batch.length) {
      const w = batch[i++]!;
      if (w.kind === 'ingress') this.collectOnce(w.owner, w.capture);
      else this.forward(this.annotate(w.span));
      if (performance.now() >= until) break;
    }
    if (i < batch.length) this.queue = this.queue.length ? batch.slice(i).concat(this.queue) : batch.slice(i);
    if (this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drainSlice());
    }
  }

  private enqueue(w: Work): void {
    if (this.queue.length >= MAX_QUEUE) {
      // Over the cap the span still goes out, unannotated: never lose the app's telemetry.
      this.dropped++;
      diagOnce('queue-full', `detection queue full (${MAX_QUEUE}); spans pass through without sst.* attributes`);
      if (w.kind === 'end') this.forward(w.span);
      return;
    }
    this.queue.push(w);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drainSlice());
    }
  }

  private forward(span: ReadableSpan): void {
    for (const p of this.downstream) {
      try { p.onEnd(span); } catch (e) { diagOnce('downstream', `exporting processor failed: ${errorText(e)}`); }
    }
  }

  private collectOnce(owner: object, capture: IngressCapture): CollectResult {
    let res = this.collected.get(owner);
    if (res) return res;
    try {
      res = this.engine.collect(capture);
    } catch (e) {
      diagOnce('collect', `detection failed on a request: ${errorText(e)}`);
      res = { tags: [], truncated: false, errors: [`detection failed: ${errorText(e)}`] };
    }
    this.collected.set(owner, res);
    const traceId = (owner as Partial<ReadableSpan>).spanContext?.().traceId;
    if (traceId && res.tags.length) {
      if (this.byTrace.size >= MAX_TRACE_MEMO) this.byTrace.delete(this.byTrace.keys().next().value!);
      this.byTrace.set(traceId, carriedIds(res));
    }
    return res;
  }

  private annotate(span: ReadableSpan): ReadableSpan {
    let sst: SstAnnotations | null = null;
    /** gen_ai.* of an LLM call; an upstream GenAI instrumentation's own values win. */
    let genAi: Attributes | undefined;
    let error: string | undefined;
    const capture = getCapture(span);
    try {
      if (span.kind === SpanKind.SERVER && capture?.kind === 'ingress') {
        const res = this.collectOnce(span, capture);
        this.byTrace.delete(span.spanContext().traceId);
        sst = collectAnnotations(res, 'collect', span.endTime, this.opts.maxEventsPerSpan);
      } else if (capture?.kind === 'egress') {
        const res = this.engine.share(capture as EgressCapture);
        if (res) sst = shareAnnotations(res, span.endTime, this.opts.maxEventsPerSpan);
        if (res?.llm?.attributes) genAi = res.llm.attributes;
      } else if (capture?.kind === 'db' && span.status.code !== SpanStatusCode.ERROR) {
        // A failed statement stored and loaded nothing.
        const res = this.engine.db(capture);
        if (res?.flow === 'store') sst = matchAnnotations(res.matches, 'store', span.endTime, this.opts.maxEventsPerSpan, res.truncated, res.errors);
        else if (res?.flow === 'load') sst = collectAnnotations(res, 'load', span.endTime, this.opts.maxEventsPerSpan);
      }
    } catch (e) {
      error = `detection failed: ${errorText(e)}`;
      diagOnce('annotate', error);
    }
    const captureError = capture?.error;
    if (captureError && !error) {
      error = `capture failed: ${errorText(captureError)}`;
      diagOnce('capture', error);
    }
    let scrubbed: Attributes | null = null;
    let events: SpanEventOut[] | undefined;
    let status: SpanStatus | undefined;
    try {
      scrubbed = this.scrubber.attributes(span.attributes, span.kind === SpanKind.SERVER);
      events = this.scrubEvents(span);
      // Drivers copy the error into the status (`invalid input syntax for type integer: "<value>"`),
      // which the store keeps as StatusMessage: scrubbed like exception.message.
      const message = span.status.message;
      if (message) {
        const clean = this.scrubber.text(message);
        if (clean !== message) status = { ...span.status, message: clean };
      }
    } catch (e) {
      error = `scrubbing failed: ${errorText(e)}`;
      diagOnce('scrub', error);
    }
    if (!sst && !scrubbed && !events && !error && !genAi && !status) return span;
    const attributes: Attributes = { ...genAi, ...(scrubbed ?? span.attributes), ...(sst?.attributes ?? {}) };
    if (error) attributes['sst.error'] = error;
    return derive(span, attributes, [...(events ?? span.events), ...(sst?.events ?? [])], status ?? span.status);
  }

  private scrubEvents(span: ReadableSpan): SpanEventOut[] | undefined {
    let out: SpanEventOut[] | undefined;
    span.events.forEach((ev, i) => {
      if (!ev.attributes) return;
      const a = this.scrubber.attributes(ev.attributes, false, ev.name.startsWith('gen_ai.'));
      if (!a) return;
      out ??= span.events.map((e) => ({ ...e, droppedAttributesCount: e.droppedAttributesCount ?? 0 }) as SpanEventOut);
      out[i] = { ...out[i], attributes: a };
    });
    return out;
  }
}

/** A ReadableSpan with other attributes and events; everything else read through from the original. */
function derive(span: ReadableSpan, attributes: Attributes, events: ReadableSpan['events'], status: SpanStatus): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status,
    attributes,
    links: span.links,
    events,
    duration: span.duration as HrTime,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
