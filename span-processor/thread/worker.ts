// The analysis thread: receives the app thread's ended spans and captures (wire.ts), runs the same
// SstSpanProcessor as in-thread mode (detection, fingerprints, matching, scrubbing), and exports from
// here, so the app's thread pays for neither the analysis nor the OTLP encoding.
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { HrTime, SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SstConfig } from '../config';
import { buildEngine } from '../build';
import { SstSpanProcessor } from '../processor';
import type { IngressCapture } from '../types';
import { buildExport, type ExportPlan } from '../../export/processors';
import { alreadyReported, exportFailing } from '../../export/reported';
import { setCapture } from '../../instrumentation/capture/tracker';
import { diag, diagOnce, errorText, setDiagSink } from '../../instrumentation/diag';
import { reviveCapture, type WireContext, type WireItem, type WireSpan } from './wire';
import { SLOT_FLUSHED, SLOT_POSTED, type ControlReply, type ControlRequest, type WorkerInit } from './protocol';
import { placeThread } from './scheduling';

// Written straight to fd 2: a worker's process.stderr goes through the app's thread, which may be
// blocked waiting for us (exit) or gone before the line arrives.
setDiagSink((line) => { try { writeSync(2, line + '\n'); } catch { /* stderr closed */ } });

const init = workerData as WorkerInit;
const RECEIVED_REPORT_MS = 250;

const port = parentPort!;
const control = new Int32Array(init.control);
// Below the app before the engine is built. The work waiting here: items still in the port (the
// app's thread counts what it posts) and items taken off it but not analysed yet.
placeThread(init.env.SST_ANALYSIS_NICE, control, () => ((Atomics.load(control, SLOT_POSTED) - received) | 0) + processor.pending(),
  () => port.postMessage({ t: 'class' } satisfies ControlReply), init.idleEscape);

// Config errors were reported once, by the app's thread, which builds the same catalog.
const engine = buildEngine(init.cfg as SstConfig, Buffer.from(init.key), () => {});
const exp = buildExport(init.plan as ExportPlan, init.env, init.serviceName);
const processor = new SstSpanProcessor(engine, exp.processors, { maxEventsPerSpan: init.maxEventsPerSpan });

const resources = new Map<number, Resource>();
/** Spans whose ingress arrived before their end, by span id: the same object must reach onEnd so
 *  the processor finds the request's collected values (it keys them by the owner object). */
const owners = new Map<string, Record<string, unknown>>();
const MAX_OWNERS = 50_000;

function context(w: WireContext): SpanContext {
  const c: SpanContext = { traceId: w.traceId, spanId: w.spanId, traceFlags: w.traceFlags };
  if (w.isRemote) c.isRemote = true;
  if (w.traceState) c.traceState = new TraceState(w.traceState);
  return c;
}

function ownerFor(spanId: string, traceId: string): Record<string, unknown> {
  let o = owners.get(spanId);
  if (!o) {
    if (owners.size >= MAX_OWNERS) owners.delete(owners.keys().next().value!);
    const ctx: SpanContext = { traceId, spanId, traceFlags: 1 };
    o = { spanContext: () => ctx };
    owners.set(spanId, o);
  }
  return o;
}

function revive(w: WireSpan): ReadableSpan {
  const o = owners.get(w.ctx.spanId) ?? {};
  owners.delete(w.ctx.spanId);
  const ctx = context(w.ctx);
  Object.assign(o, {
    name: w.name,
    kind: w.kind,
    spanContext: () => ctx,
    parentSpanContext: w.parent ? context(w.parent) : undefined,
    startTime: w.startTime,
    endTime: w.endTime,
    duration: w.duration as HrTime,
    status: w.status,
    attributes: w.attributes,
    links: w.links.map((l) => ({ context: context(l.context), attributes: l.attributes, droppedAttributesCount: l.droppedAttributesCount })),
    events: w.events,
    ended: w.ended,
    resource: resources.get(w.resource) ?? resourceFromAttributes({}),
    instrumentationScope: w.scope,
    droppedAttributesCount: w.droppedAttributesCount,
    droppedEventsCount: w.droppedEventsCount,
    droppedLinksCount: w.droppedLinksCount,
  });
  return o as unknown as ReadableSpan;
}

/** Items taken off the port, reported to the app's thread (which bounds what waits in the port). */
let received = 0;
let reported = 0;
setInterval(() => {
  if (received === reported) return;
  reported = received;
  port.postMessage({ t: 'received', count: received } satisfies ControlReply);
}, RECEIVED_REPORT_MS).unref();

function receive(items: WireItem[]): void {
  received += items.length;
  for (const item of items) {
    try {
      if (item.t === 'end') {
        const span = revive(item.span);
        if (item.capture) setCapture(span, reviveCapture(item.capture));
        processor.onEnd(span);
      } else if (item.t === 'ingress') {
        const owner = ownerFor(item.spanId, item.traceId);
        const capture = reviveCapture(item.capture) as IngressCapture;
        setCapture(owner, capture);
        processor.ingressComplete(owner, capture);
      } else if (item.t === 'resource') {
        resources.set(item.id, resourceFromAttributes(item.attributes, item.schemaUrl ? { schemaUrl: item.schemaUrl } : undefined));
      }
    } catch (e) {
      diagOnce('thread-receive', `analysis thread could not read a span: ${errorText(e)}`);
    }
  }
}

/** A synchronous flush is done: the app's thread waits on this counter. */
function finished(seq: number): void {
  Atomics.store(control, SLOT_FLUSHED, seq);
  Atomics.notify(control, SLOT_FLUSHED);
}

async function settle(id: number, work: Promise<void>): Promise<void> {
  let reply: ControlReply;
  try {
    await work;
    reply = { t: 'done', id, failing: exportFailing() };
  } catch (e) {
    // The exporter already printed its line for this fault; the app's thread only needs to know.
    reply = { t: 'done', id, failing: exportFailing(), error: errorText(e), reported: alreadyReported(e) };
  }
  port.postMessage(reply);
}

port.on('message', (msg: WireItem[] | ControlRequest) => {
  if (Array.isArray(msg)) { receive(msg); return; }
  switch (msg.t) {
    case 'flush': void settle(msg.id, processor.forceFlush()); break;
    case 'shutdown': void settle(msg.id, processor.shutdown()); break;
    case 'stats': void processor.stats().then((stats) => port.postMessage({ t: 'stats', id: msg.id, stats } satisfies ControlReply)); break;
    case 'flushSync': {
      try { processor.drain(); exp.spool?.flushSync(); } catch (e) { diag(`final flush failed: ${errorText(e)}`); }
      finished(msg.seq);
      break;
    }
  }
});

