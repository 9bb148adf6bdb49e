// Egress hook for undici requests (global fetch), called with the Request object published on the
// `undici:request:create` diagnostics channel, before undici starts writing it.
import type { Readable } from 'node:stream';
import type { EgressCapture, HeaderMap } from '../../span-processor/types';
import { appendBytes, appendChunk } from './body-copy';
import { alreadyBuffered, tapReadable } from './readable-tap';
import { emptyEgress, finish, noteError, track, type CaptureOptions, type CaptureWithError, type Tracker } from './tracker';
import { authorityOfUrl, hostOfAuthority, isAbsoluteUrl } from './url-parts';

/** The fields of undici's internal Request that the hook reads (and `body`, which it may replace). */
export interface UndiciRequestLike {
  origin?: unknown;
  path?: unknown;
  method?: unknown;
  /** undici ≥ 6: [name, value, name, value…] (a value may be an array); undici 5: raw `name: value\r\n` lines. */
  headers?: unknown;
  /** undici keeps Host and Content-Length out of `headers`. */
  host?: unknown;
  contentLength?: unknown;
  body?: unknown;
}

const MAX_HEADER_ITEMS = 2000;

export function captureUndici(owner: object, request: UndiciRequestLike, opts: CaptureOptions): EgressCapture {
  return track(owner, emptyEgress(), opts, (t) => {
    const capture = t.capture as CaptureWithError & { kind: 'egress' };
    capture.method = typeof request.method === 'string' ? request.method : 'GET';
    describeTarget(request, capture);
    capture.headers = parseHeaders(request);
    captureBody(request, t);
  });
}

function describeTarget(request: UndiciRequestLike, capture: CaptureWithError & { kind: 'egress' }): void {
  const path = typeof request.path === 'string' ? request.path : '/';
  if (isAbsoluteUrl(path)) {
    capture.url = path;
    capture.host = hostOfAuthority(authorityOfUrl(path) ?? '');
    return;
  }
  const o = request.origin;
  // undici passes the origin as a string; a URL object is accepted for safety.
  let origin = typeof o === 'string' ? o : o instanceof URL ? o.origin : '';
  if (origin.endsWith('/')) origin = origin.slice(0, -1);
  capture.url = origin + path;
  capture.host = hostOfAuthority(authorityOfUrl(origin) ?? (typeof request.host === 'string' ? request.host : ''));
}

function addHeader(out: HeaderMap, name: string, value: string | string[]): void {
  const key = name.toLowerCase();
  const prev = out[key];
  if (prev === undefined) out[key] = value;
  else out[key] = ([] as string[]).concat(prev, value);
}

export function parseHeaders(request: UndiciRequestLike): HeaderMap {
  const out: HeaderMap = {};
  const h = request.headers;
  if (Array.isArray(h)) {
    const n = Math.min(h.length, MAX_HEADER_ITEMS);
    for (let i = 0; i + 1 < n; i += 2) {
      const name = h[i];
      const value = h[i + 1];
      const key = typeof name === 'string' ? name : name instanceof Uint8Array ? Buffer.from(name).toString('latin1') : undefined;
      if (key === undefined) continue;
      if (typeof value === 'string') addHeader(out, key, value);
      else if (Array.isArray(value)) addHeader(out, key, value.map(String));
      else if (value instanceof Uint8Array) addHeader(out, key, Buffer.from(value).toString('latin1'));
    }
  } else if (typeof h === 'string') {
    let start = 0;
    for (let i = 0; i < MAX_HEADER_ITEMS && start < h.length; i++) {
      let end = h.indexOf('\r\n', start);
      if (end === -1) end = h.length;
      const colon = h.indexOf(':', start);
      if (colon > start && colon < end) addHeader(out, h.slice(start, colon).trim(), h.slice(colon + 1, end).trim());
      start = end + 2;
    }
  }
  if (typeof request.host === 'string' && out.host === undefined) out.host = request.host;
  if (typeof request.contentLength === 'number' && Number.isFinite(request.contentLength) && out['content-length'] === undefined) {
    out['content-length'] = String(request.contentLength);
  }
  return out;
}

function captureBody(request: UndiciRequestLike, t: Tracker): void {
  const body = request.body;
  if (body == null) {
    finish(t, true);
  } else if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    appendChunk(t, body);
    finish(t, true);
  } else if (isReadable(body)) {
    if (alreadyBuffered(body)) t.missedPrefix = true;
    tapReadable(body, t);
  } else if (isFormDataLike(body) || isBlobLike(body)) {
    // undici serializes these itself at write time (multipart boundary / blob stream). Reading them
    // here would consume or duplicate work the app did not ask for, so they are left alone and the
    // capture says it saw nothing. (fetch never gets here: it hands undici an async iterator.)
    t.capture.error = 'body type not captured';
    finish(t, false);
  } else if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    request.body = copyingAsyncIterable(body as AsyncIterable<unknown>, t, request);
  } else if (typeof (body as Iterable<unknown>)[Symbol.iterator] === 'function') {
    request.body = copyingIterable(body as Iterable<unknown>, t, request);
  } else {
    t.capture.error = 'body type not captured';
    finish(t, false);
  }
}

/** Yields the source's chunks unchanged. The surrounding for-await forwards the consumer's return()
 *  to the source, and source errors propagate to the consumer as-is. */
async function* copyingAsyncIterable(source: AsyncIterable<unknown>, t: Tracker, request: UndiciRequestLike): AsyncGenerator<unknown, void, undefined> {
  let ended = false;
  try {
    for await (const chunk of source) {
      copyQuietly(t, chunk);
      yield chunk;
    }
    ended = true;
  } finally {
    finishQuietly(t, ended && !requestAborted(request));
  }
}

function* copyingIterable(source: Iterable<unknown>, t: Tracker, request: UndiciRequestLike): Generator<unknown, void, undefined> {
  let ended = false;
  try {
    for (const chunk of source) {
      copyQuietly(t, chunk);
      yield chunk;
    }
    ended = true;
  } finally {
    finishQuietly(t, ended && !requestAborted(request));
  }
}

/** fetch's own body generator swallows a failing source stream (it aborts the fetch instead of
 *  throwing), so a normal end of the iteration is only a complete body if the request survived.
 *  By then fetch has already terminated the request synchronously, which sets `aborted`. */
function requestAborted(request: UndiciRequestLike): boolean {
  try {
    return (request as { aborted?: unknown }).aborted === true;
  } catch {
    return false;
  }
}

function copyQuietly(t: Tracker, chunk: unknown): void {
  try {
    if (chunk instanceof Uint8Array) appendBytes(t, chunk);
    else appendChunk(t, chunk);
  } catch (err) {
    noteError(t, err);
  }
}

function finishQuietly(t: Tracker, complete: boolean): void {
  try {
    finish(t, complete);
  } catch (err) {
    noteError(t, err);
  }
}

function isReadable(b: unknown): b is Readable {
  const r = b as { pipe?: unknown; on?: unknown; push?: unknown };
  return typeof b === 'object' && typeof r.pipe === 'function' && typeof r.on === 'function' && typeof r.push === 'function';
}

function isFormDataLike(b: unknown): boolean {
  return typeof b === 'object' && b !== null && (b as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData';
}

function isBlobLike(b: unknown): boolean {
  if (typeof Blob !== 'undefined' && b instanceof Blob) return true;
  const tag = (b as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  return tag === 'Blob' || tag === 'File';
}
