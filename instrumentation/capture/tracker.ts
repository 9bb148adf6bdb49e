// Per-capture bookkeeping shared by every hook: the bounded body copy, the owners to notify, and
// the once-only completion. Kept apart from the hooks so each hook only decides *when* bytes pass.
import type { BodyCapture, Capture } from '../../span-processor/types';

/** A capture plus an optional note of what went wrong inside the hook (never raw data). */
export type CaptureWithError = Extract<Capture, { body: BodyCapture }> & { error?: string };

export interface CaptureOptions {
  /** Most body bytes copied per capture. */
  limit: number;
  /** Called exactly once per owner: when the body ended (complete) or can no longer end (aborted). */
  onComplete?: (owner: object, capture: CaptureWithError) => void;
}

interface Listener {
  owner: object;
  onComplete?: (owner: object, capture: CaptureWithError) => void;
}

export interface Tracker {
  capture: CaptureWithError;
  limit: number;
  /** Body bytes that passed, copied or not (to tell a finished body from a skipped one). */
  seen: number;
  done: boolean;
  /** Bytes passed before the hook could see them: the capture can never be complete. */
  missedPrefix: boolean;
  listeners: Listener[];
}

const captures = new WeakMap<object, Capture>();
// Upper bound of owners sharing one capture; protects against a hook being called in a loop.
const MAX_LISTENERS = 8;

export function emptyBody(): BodyCapture {
  return { chunks: [], bytes: 0, truncated: false, complete: false };
}

export function normalizeLimit(limit: unknown): number {
  return typeof limit === 'number' && limit > 0 ? (Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER) : 0;
}

export function createTracker(owner: object, capture: CaptureWithError, opts: CaptureOptions | undefined): Tracker {
  const t: Tracker = {
    capture,
    limit: normalizeLimit(opts?.limit),
    seen: 0,
    done: false,
    missedPrefix: false,
    listeners: [],
  };
  addOwner(t, owner, opts);
  return t;
}

export function addOwner(t: Tracker, owner: object, opts: CaptureOptions | undefined): void {
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) return;
  captures.set(owner, t.capture);
  if (t.listeners.length >= MAX_LISTENERS) return;
  t.listeners.push({ owner, onComplete: typeof opts?.onComplete === 'function' ? opts.onComplete : undefined });
  // A late owner of an already finished capture still gets its single notification.
  if (t.done) notify(t.capture, t.listeners[t.listeners.length - 1]);
}

/** Attach a capture that has no body stream to follow (a DB call): no tracker, no listeners. */
export function setCapture(owner: object, capture: Capture): void {
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) return;
  captures.set(owner, capture);
}

export function getCapture(owner: object): Capture | undefined {
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) return undefined;
  return captures.get(owner);
}

/** Runs a hook's work on a new tracker for `capture`; whatever it throws is noted on the capture,
 *  never passed to the app. */
export function track<C extends CaptureWithError>(owner: object, capture: C, opts: CaptureOptions | undefined, work: (t: Tracker) => void): C {
  let t: Tracker | undefined;
  try {
    t = createTracker(owner, capture, opts);
    work(t);
  } catch (err) {
    if (t) noteError(t, err);
    else capture.error = err instanceof Error ? err.message.slice(0, 200) : 'capture failed';
  }
  return capture;
}

export function emptyEgress(): CaptureWithError & { kind: 'egress' } {
  return { kind: 'egress', method: '', url: '', host: '', headers: {}, body: emptyBody() };
}

export function noteError(t: Tracker, err: unknown): void {
  if (t.capture.error !== undefined) return;
  // Only the error's message: hook errors come from our own code or Node, never from payload bytes.
  t.capture.error = err instanceof Error ? err.message.slice(0, 200) : 'capture failed';
}

/** Marks the body finished once and notifies every owner once. */
export function finish(t: Tracker, complete: boolean): void {
  if (t.done) return;
  t.done = true;
  t.capture.body.complete = complete && !t.missedPrefix;
  for (const l of t.listeners) notify(t.capture, l);
}

function notify(capture: CaptureWithError, l: Listener): void {
  if (!l.onComplete) return;
  try {
    l.onComplete(l.owner, capture);
  } catch {
    // The lead's callback failing must not surface inside the app's stream machinery.
  }
}
