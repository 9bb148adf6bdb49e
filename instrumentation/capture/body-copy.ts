// Bounded copying of body chunks into a BodyCapture. Copies (never references) so later reuse or
// mutation of the app's buffers cannot change what was captured, and never holds more than `limit`.
import type { BodyCapture } from '../../span-processor/types';
import type { Tracker } from './tracker';

/** Encodings whose bytes are one per character: a string prefix maps to a byte prefix. */
const SINGLE_BYTE = new Set(['latin1', 'binary', 'ascii']);

/** Copies the part of `chunk` that fits; ignores chunk types that are not bytes (object mode). */
export function appendChunk(t: Tracker, chunk: unknown, encoding?: unknown): void {
  if (t.done) return;
  if (chunk instanceof Uint8Array) {
    appendBytes(t, chunk);
  } else if (typeof chunk === 'string') {
    appendString(t, chunk, typeof encoding === 'string' ? encoding.toLowerCase() : undefined);
  } else if (chunk instanceof ArrayBuffer) {
    appendBytes(t, new Uint8Array(chunk));
  }
}

export function appendBytes(t: Tracker, chunk: Uint8Array): void {
  const len = chunk.byteLength;
  t.seen += len;
  const body = t.capture.body;
  const room = t.limit - body.bytes;
  if (len === 0) return;
  if (room <= 0) {
    body.truncated = true;
    return;
  }
  const take = len < room ? len : room;
  const copy = Buffer.allocUnsafe(take);
  copy.set(take === len ? chunk : chunk.subarray(0, take));
  body.chunks.push(copy);
  body.bytes += take;
  if (take < len) body.truncated = true;
}

function appendString(t: Tracker, s: string, encoding: string | undefined): void {
  if (s.length === 0) return;
  const enc = (encoding ?? 'utf8') as BufferEncoding;
  const total = Buffer.byteLength(s, enc);
  const room = t.limit - t.capture.body.bytes;
  let part = s;
  // Encode only a prefix of a large string. For UTF-8, `room + 1` characters always cover the
  // first `room` bytes exactly even when the cut splits a surrogate pair (the broken character
  // starts at byte offset ≥ room).
  if (total > room) {
    if (enc === 'utf8' || enc === 'utf-8') part = s.slice(0, Math.max(0, room) + 1);
    else if (SINGLE_BYTE.has(enc)) part = s.slice(0, Math.max(0, room));
  }
  const bytes = Buffer.from(part, enc);
  const before = t.seen;
  appendBytes(t, bytes);
  t.seen = before + total;
  if (total > room) t.capture.body.truncated = true;
}

const joined = new WeakMap<BodyCapture, { bytes: number; count: number; buf: Buffer }>();

/** All captured bytes as one Buffer; cached until more chunks arrive. */
export function bodyBytes(b: BodyCapture): Buffer {
  try {
    if (!b || !Array.isArray(b.chunks) || b.chunks.length === 0) return Buffer.alloc(0);
    if (b.chunks.length === 1) return b.chunks[0];
    const hit = joined.get(b);
    if (hit && hit.count === b.chunks.length && hit.bytes === b.bytes) return hit.buf;
    const buf = Buffer.concat(b.chunks);
    joined.set(b, { bytes: b.bytes, count: b.chunks.length, buf });
    return buf;
  } catch {
    return Buffer.alloc(0);
  }
}
