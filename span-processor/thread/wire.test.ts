import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { EgressCapture, IngressCapture } from '../types';
import { reviveCapture, wireCapture, wireSpan } from './wire';

test('captured bodies cross as one exact copy: the app keeps its buffers, the thread gets Buffers', () => {
  // Small Buffers share Node's 8 KiB pool: cloned as they are, each would carry the whole slab.
  const a = Buffer.from('{"email":"ja');
  const b = Buffer.from('ne@example.com"}');
  const neighbour = Buffer.from('another request');
  assert.equal(a.buffer, neighbour.buffer, 'the test buffers share the pool');
  const capture: IngressCapture = {
    kind: 'ingress', method: 'POST', target: '/x', headers: { 'content-type': 'application/json' },
    body: { chunks: [a, b], bytes: a.length + b.length, truncated: false, complete: true },
  };
  const wired = wireCapture(capture) as IngressCapture;
  assert.equal(wired.body.chunks.length, 1);
  assert.equal(wired.body.chunks[0]!.buffer.byteLength, a.length + b.length, 'the clone copies the body, not the pool slab');
  const received = reviveCapture(structuredClone(wired)) as IngressCapture;
  assert.equal(neighbour.toString(), 'another request');
  assert.equal(a.toString() + b.toString(), '{"email":"jane@example.com"}');
  assert.equal(received.body.chunks.length, 1);
  assert.ok(Buffer.isBuffer(received.body.chunks[0]));
  assert.equal(received.body.chunks[0]!.toString(), '{"email":"jane@example.com"}');
  assert.deepEqual({ ...received, body: undefined }, { ...capture, body: undefined });
});

test('an egress response body crosses too; an empty body crosses as no chunks', () => {
  const capture: EgressCapture = {
    kind: 'egress', method: 'POST', url: 'https://api.openai.com/v1/chat/completions', host: 'api.openai.com', headers: {},
    body: { chunks: [], bytes: 0, truncated: false, complete: true },
    response: { status: 200, headers: {}, body: { chunks: [Buffer.from('{"usage":{}}')], bytes: 12, truncated: false, complete: true } },
  };
  const wired = wireCapture(capture) as EgressCapture;
  assert.equal(wired.response!.body.chunks[0]!.buffer.byteLength, 12);
  const received = reviveCapture(structuredClone(wired)) as EgressCapture;
  assert.equal(received.body.chunks.length, 0);
  assert.equal(received.response!.body.chunks[0]!.toString(), '{"usage":{}}');
});

test('a span crosses with its trace state, parent, links and events as plain data', () => {
  const ctx = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('vendor=x,other=y') };
  const span = {
    name: 'GET', kind: SpanKind.CLIENT, spanContext: () => ctx,
    parentSpanContext: { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: 1, isRemote: true },
    startTime: [1, 2], endTime: [1, 5], duration: [0, 3], status: { code: 0 }, attributes: { 'http.request.method': 'GET', n: 3, list: ['a', 'b'] },
    links: [{ context: { traceId: 'd'.repeat(32), spanId: 'e'.repeat(16), traceFlags: 0 }, attributes: { k: 'v' } }],
    events: [{ name: 'ev', time: [1, 3], attributes: { x: 1 } }], ended: true,
    resource: {}, instrumentationScope: { name: 'scope', version: '1.0.0' },
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
  } as unknown as ReadableSpan;
  const w = structuredClone(wireSpan(span, 7));
  assert.deepEqual(w.ctx, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, traceState: 'vendor=x,other=y' });
  assert.deepEqual(w.parent, { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: 1, isRemote: true });
  assert.equal(w.links[0]!.context.spanId, 'e'.repeat(16));
  assert.deepEqual(w.attributes, { 'http.request.method': 'GET', n: 3, list: ['a', 'b'] });
  assert.deepEqual(w.events, [{ name: 'ev', time: [1, 3], attributes: { x: 1 } }]);
  assert.equal(w.resource, 7);
  assert.deepEqual(w.scope, { name: 'scope', version: '1.0.0', schemaUrl: undefined });
});
