// Response taps for egress calls that look like LLM requests: a bounded copy of the response body,
// read at span end for the gen_ai usage and the completion. Started from the instrumentations'
// response hooks, i.e. when the response head arrived and before any body byte was handed on, so
// the decision (`wants`) sees the whole request and other egress pays one predicate call.
//
// node:http: the IncomingMessage is watched through readable-tap (wrapped `push`), which adds no
// listener: flowing mode, backpressure and what the app reads are untouched. The client span ends
// on the response's 'end', which comes after push(null), so the copy is complete by span end.
//
// undici (global fetch): the Request published on `undici:request:create` receives every body
// chunk through `request.onData(chunk)` before its handler turns it into the fetch stream; the
// wrapper copies the chunk and returns the original's result (false = pause), so the stream and
// its backpressure are the same. Node 20's undici (6.x) publishes no body-chunk channel. The span
// ends on `undici:request:trailers`, published in `onComplete` after the last `onData`.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { BodyCapture, EgressCapture, HeaderMap, ResponseCapture } from '../../span-processor/types';
import { appendChunk } from './body-copy';
import { tapReadable } from './readable-tap';
import { emptyBody, finish, getCapture, noteError, normalizeLimit, type CaptureWithError, type Tracker } from './tracker';
import { parseHeaders, type UndiciRequestLike } from './outgoing-undici';

export interface ResponseCaptureOptions {
  /** Most response body bytes copied per call. */
  limit: number;
  /** Whether this call's response is worth copying (decided once, at the response head). */
  wants: (capture: EgressCapture) => boolean;
}

type AnyFn = (...args: unknown[]) => unknown;

/** The egress capture of `owner` when its response should be copied and is not yet. */
function wantedCapture(owner: object, opts: ResponseCaptureOptions): EgressCapture | undefined {
  const c = getCapture(owner);
  if (c === undefined || c.kind !== 'egress' || c.response !== undefined) return undefined;
  return opts.wants(c) ? c : undefined;
}

/** A tracker over the response body. It is not registered as anyone's capture: the span keeps its
 *  egress capture, and the response hangs off it. */
function responseTracker(resp: ResponseCapture, limit: number): Tracker {
  return {
    // The body-copy helpers only touch `capture.body` and `capture.error`, which a ResponseCapture has.
    capture: resp as unknown as CaptureWithError,
    limit: normalizeLimit(limit),
    seen: 0,
    done: false,
    missedPrefix: false,
    listeners: [],
  };
}

function newResponse(status: unknown, headers: HeaderMap): ResponseCapture {
  const body: BodyCapture = emptyBody();
  const r: ResponseCapture = { headers, body };
  if (typeof status === 'number' && Number.isFinite(status)) r.status = status;
  return r;
}

/** node:http response hook. Never throws. */
export function captureHttpResponse(owner: object, res: IncomingMessage, opts: ResponseCaptureOptions): void {
  try {
    const capture = wantedCapture(owner, opts);
    if (capture === undefined) return;
    const headers: HeaderMap = {};
    const h = res.headers ?? {};
    for (const k in h) headers[k] = h[k];
    const resp = newResponse(res.statusCode, headers);
    capture.response = resp;
    const t = responseTracker(resp, opts.limit);
    const st = (res as unknown as { _readableState?: { length?: number; ended?: boolean } })._readableState;
    if (res.readableLength > 0 || st?.ended === true) t.missedPrefix = true;
    // `complete` is set by the parser once the whole message was read; push(null) follows it.
    tapReadable(res as unknown as Readable, t, (stream) => (stream as IncomingMessage).complete !== false);
  } catch (err) {
    noteOn(owner, err);
  }
}

/** undici response hook (`undici:request:headers`). Never throws. */
export function captureUndiciResponse(owner: object, request: UndiciRequestLike, response: { statusCode?: unknown; headers?: unknown }, opts: ResponseCaptureOptions): void {
  try {
    const capture = wantedCapture(owner, opts);
    if (capture === undefined) return;
    const resp = newResponse(response?.statusCode, parseHeaders({ headers: response?.headers }));
    capture.response = resp;
    const t = responseTracker(resp, opts.limit);
    wrapUndici(request as unknown as Record<string, unknown>, t);
  } catch (err) {
    noteOn(owner, err);
  }
}

function wrapUndici(request: Record<string, unknown>, t: Tracker): void {
  const origData = request.onData as AnyFn | undefined;
  const origComplete = request.onComplete as AnyFn | undefined;
  const origError = request.onError as AnyFn | undefined;
  if (typeof origData !== 'function') {
    noteError(t, new Error('undici request has no onData'));
    return;
  }
  request.onData = function captureData(this: unknown, chunk: unknown): unknown {
    if (!t.done) {
      try {
        appendChunk(t, chunk);
      } catch (err) {
        noteError(t, err);
      }
    }
    return origData.apply(this, arguments as unknown as unknown[]);
  };
  if (typeof origComplete === 'function') {
    request.onComplete = function captureComplete(this: unknown): unknown {
      quietFinish(t, true);
      return origComplete.apply(this, arguments as unknown as unknown[]);
    };
  }
  if (typeof origError === 'function') {
    request.onError = function captureError(this: unknown): unknown {
      quietFinish(t, false);
      return origError.apply(this, arguments as unknown as unknown[]);
    };
  }
}

function quietFinish(t: Tracker, complete: boolean): void {
  try {
    finish(t, complete);
  } catch (err) {
    noteError(t, err);
  }
}

function noteOn(owner: object, err: unknown): void {
  try {
    const c = getCapture(owner);
    if (c && c.kind === 'egress') {
      const msg = err instanceof Error ? err.message.slice(0, 200) : 'response capture failed';
      if (c.response) c.response.error ??= msg;
      else c.error ??= msg;
    }
  } catch {
    // nothing left to report to
  }
}
