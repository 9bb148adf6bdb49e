// Watches the bytes a producer pushes into a Readable without consuming it.
//
// Why `push` and `_destroy`, as own properties of the one instance:
// - Every byte a Readable hands to its consumers goes through `this.push(chunk)` (Node's HTTP parser
//   calls `stream.push(b)` per body piece and `stream.push(null)` at message end). Wrapping it sees
//   each chunk exactly once, whoever reads and however (data events, for-await, pipe, read(), or
//   nobody), and adds no listener, so flowing mode, backpressure and `readableFlowing` stay untouched.
// - A stream that stops before push(null) always goes through `_destroy` exactly once (client abort
//   → the server calls req.destroy(); app-side destroy(); autoDestroy after end). Wrapping it is
//   quieter than wrapping `emit` (which would sit on every event) or listening to 'aborted'/'close'
//   (which the app could observe through listenerCount/eventNames).
import type { Readable } from 'node:stream';
import { appendChunk } from './body-copy';
import { finish, noteError, type Tracker } from './tracker';

type PushFn = (chunk: unknown, encoding?: BufferEncoding) => boolean;
type DestroyFn = (err: Error | null, cb: (err?: Error | null) => void) => void;

/** Decides at push(null) whether the copy saw the whole body. */
export type EndCheck = (stream: Readable, t: Tracker) => boolean;

export function tapReadable(stream: Readable, t: Tracker, endCheck?: EndCheck): void {
  const s = stream as unknown as { push: PushFn; _destroy: DestroyFn };
  const origPush = s.push;
  const origDestroy = s._destroy;
  if (typeof origPush !== 'function' || typeof origDestroy !== 'function') {
    noteError(t, new Error('stream has no push/_destroy'));
    return;
  }
  s.push = function capturePush(this: Readable, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (!t.done) {
      try {
        // Copy before the original push: in flowing mode it emits 'data' synchronously, and the app
        // may reuse or mutate the buffer in its handler.
        if (chunk === null) finish(t, endCheck ? endCheck(this, t) : true);
        else appendChunk(t, chunk, encoding);
      } catch (err) {
        noteError(t, err);
      }
    }
    // `arguments` keeps the caller's exact arity (push(chunk) vs push(chunk, undefined)).
    return origPush.apply(this, arguments as unknown as Parameters<PushFn>);
  };
  s._destroy = function captureDestroy(this: Readable, err: Error | null, cb: (err?: Error | null) => void): void {
    if (!t.done) {
      try {
        finish(t, false);
      } catch (e) {
        noteError(t, e);
      }
    }
    return origDestroy.apply(this, arguments as unknown as Parameters<DestroyFn>);
  };
}

/** True when bytes already sit in (or went through) the stream, so the tap started too late. */
export function alreadyBuffered(stream: Readable): boolean {
  const st = (stream as unknown as { _readableState?: { length?: number; ended?: boolean } })._readableState;
  return stream.readableLength > 0 || stream.readableDidRead === true || st?.ended === true;
}
