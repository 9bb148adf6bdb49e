// Ingress hook: copies what an incoming request carries, without reading it.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { HeaderMap, IngressCapture } from '../../span-processor/types';
import { resolveClientIp } from './client-ip';
import { tapReadable } from './readable-tap';
import {
  addOwner, emptyBody, finish, track,
  type CaptureOptions, type CaptureWithError, type Tracker,
} from './tracker';

const TRACKER = Symbol('sst.capture.ingress');
type Tagged = IncomingMessage & { [TRACKER]?: Tracker };

export function captureIncoming(owner: object, req: IncomingMessage, opts: CaptureOptions): IngressCapture {
  const capture: CaptureWithError = {
    kind: 'ingress', method: '', target: '', headers: {}, body: emptyBody(),
  };
  // A second hook on the same request (e.g. two spans) shares the first copy instead of wrapping twice.
  const existing = (req as Tagged | null | undefined)?.[TRACKER];
  if (existing) {
    addOwner(existing, owner, opts);
    return existing.capture as IngressCapture;
  }
  return track(owner, capture, opts, (t) => {
    capture.method = typeof req.method === 'string' ? req.method : '';
    capture.target = typeof req.url === 'string' ? req.url : '';
    // A snapshot: middleware may later rewrite or delete entries of req.headers.
    capture.headers = { ...(req.headers as HeaderMap) };
    capture.clientIp = resolveClientIp(capture.headers, req.socket?.remoteAddress);
    (req as Tagged)[TRACKER] = t;
    if (req.complete) {
      // The parser already finished before the hook ran (not the case for the OTel http hook):
      // the bytes are gone or buffered out of reach; only an empty body is known to be complete.
      finish(t, !declaresBody(capture.headers) && req.readableLength === 0 && !req.readableDidRead);
      return;
    }
    if (req.readableLength > 0 || req.readableDidRead) t.missedPrefix = true;
    tapReadable(req, t, endedWhole);
  }) as IngressCapture;
}

/** When the app never read the body, Node "dumps" it once the response ends: later body pieces are
 *  dropped without push(), yet push(null) still comes. Then the copy is whole only if the byte
 *  count matches a declared Content-Length. */
function endedWhole(stream: Readable, t: Tracker): boolean {
  if ((stream as unknown as { _dumped?: boolean })._dumped !== true) return true;
  const cl = (t.capture.headers as HeaderMap)['content-length'];
  if (typeof cl !== 'string') return false;
  const n = Number(cl);
  return Number.isSafeInteger(n) && n === t.seen;
}

function declaresBody(h: HeaderMap): boolean {
  const cl = h['content-length'];
  if (h['transfer-encoding'] !== undefined) return true;
  return typeof cl === 'string' && cl.trim() !== '0';
}
