// What crosses from the app's thread to the analysis thread: ended spans and their captures as plain,
// structured-clone-friendly records. Class instances do not survive a clone (a TraceState loses its
// methods, a Buffer arrives as a Uint8Array), so they travel as strings and bare bytes and are
// rebuilt on the other side. Captured bodies are joined into one fresh, exactly sized array, which
// the clone copies: a Buffer from Node's pool would clone its whole 8 KiB slab. Copied, not
// transferred: with ~150 arrays transferred per hand-off the app thread's mark-compact pauses were
// longer (median 15.8 against 12.1 ms over five probes each, bench/README.md session 15), and the
// copy costs a memcpy of bytes already joined once.
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { BodyCapture, Capture } from '../types';

export interface WireContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: string;
}

export interface WireSpan {
  name: string;
  kind: SpanKind;
  ctx: WireContext;
  parent?: WireContext;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  links: Array<{ context: WireContext; attributes?: Attributes; droppedAttributesCount?: number }>;
  events: TimedEvent[];
  ended: boolean;
  resource: number;
  scope: InstrumentationScope;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/** Work for the analysis thread, in the order the app's thread saw it. */
export type WireItem =
  | { t: 'resource'; id: number; attributes: Attributes; schemaUrl?: string }
  /** An incoming request's capture is complete: index it before any later span is matched. */
  | { t: 'ingress'; spanId: string; traceId: string; capture: Capture }
  /** A span ended; `capture` is absent when the span has none or its ingress was already sent. */
  | { t: 'end'; span: WireSpan; capture?: Capture };

export function wireContext(c: SpanContext): WireContext {
  const w: WireContext = { traceId: c.traceId, spanId: c.spanId, traceFlags: c.traceFlags };
  if (c.isRemote) w.isRemote = true;
  const ts = c.traceState?.serialize();
  if (ts) w.traceState = ts;
  return w;
}

export function wireSpan(span: ReadableSpan, resource: number): WireSpan {
  const parent = span.parentSpanContext;
  return {
    name: span.name,
    kind: span.kind,
    ctx: wireContext(span.spanContext()),
    parent: parent ? wireContext(parent) : undefined,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    links: span.links.length === 0 ? [] : span.links.map((l: Link) => ({
      context: wireContext(l.context), attributes: l.attributes, droppedAttributesCount: l.droppedAttributesCount,
    })),
    events: span.events as TimedEvent[],
    ended: span.ended,
    resource,
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version, schemaUrl: span.instrumentationScope.schemaUrl },
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** One exactly sized copy of a body's chunks. */
function wireBody(b: BodyCapture): BodyCapture {
  const chunks = Array.isArray(b?.chunks) ? b.chunks : [];
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out: BodyCapture = { chunks: [], bytes: b?.bytes ?? 0, truncated: b?.truncated === true, complete: b?.complete === true };
  if (n === 0) return out;
  const joined = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { joined.set(c, at); at += c.byteLength; }
  out.chunks = [joined as Buffer];
  return out;
}

/** A capture as a plain record: the same fields, bodies joined. */
export function wireCapture(c: Capture): Capture {
  if (c.kind === 'db') return c; // strings and arrays only: the clone copies it
  if (c.kind === 'ingress') return { ...c, body: wireBody(c.body) };
  const out = { ...c, body: wireBody(c.body) };
  if (c.response) out.response = { ...c.response, body: wireBody(c.response.body) };
  return out;
}

/** The receiving side: bodies back to Buffers (the engine reads them with Buffer methods). */
export function reviveCapture(c: Capture): Capture {
  if (c.kind === 'db') return c;
  reviveBody(c.body);
  if (c.kind === 'egress' && c.response) reviveBody(c.response.body);
  return c;
}

function reviveBody(b: BodyCapture): void {
  if (!b || !Array.isArray(b.chunks)) return;
  b.chunks = b.chunks.map((u: Uint8Array) => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)));
}
