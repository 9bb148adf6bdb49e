// Egress hook for node:http(s) ClientRequest: copies what the app writes into the request.
//
// `write` and `end` are wrapped as own properties of the one instance: every body byte of a
// ClientRequest enters through them (Readable#pipe and stream.pipeline also call dest.write/end),
// and Node's `end(chunk)` writes its chunk internally without calling `this.write`, so no byte is
// seen twice. The originals run first and keep their return values, callbacks and exceptions; the
// copy happens only after they accepted the chunk.
import type { ClientRequest } from 'node:http';
import type { EgressCapture, HeaderMap } from '../../span-processor/types';
import { appendChunk } from './body-copy';
import { emptyEgress, finish, noteError, track, type CaptureOptions, type CaptureWithError, type Tracker } from './tracker';
import { authorityFromHost, authorityOfUrl, hostOfAuthority, isAbsoluteUrl } from './url-parts';

type AnyFn = (...args: unknown[]) => unknown;
const MAX_HEADERS = 1000;

export function captureOutgoing(owner: object, req: ClientRequest, opts: CaptureOptions): EgressCapture {
  return track(owner, emptyEgress(), opts, (t) => {
    const capture = t.capture as CaptureWithError & { kind: 'egress' };
    capture.method = typeof req.method === 'string' ? req.method : 'GET';
    describeTarget(req, capture);
    capture.headers = headersOf(req, t);
    if (req.writableEnded) {
      // Hooked after end() (e.g. http.get outside OTel): the body already left unseen.
      t.missedPrefix = true;
      finish(t, false);
      return;
    }
    wrap(req, t);
  });
}

function wrap(req: ClientRequest, t: Tracker): void {
  const r = req as unknown as { write: AnyFn; end: AnyFn; destroy: AnyFn };
  const origWrite = r.write;
  const origEnd = r.end;
  const origDestroy = r.destroy;
  r.write = function captureWrite(this: ClientRequest, chunk: unknown, encoding?: unknown): unknown {
    const ret = origWrite.apply(this, arguments as unknown as unknown[]);
    if (!t.done) {
      try {
        appendChunk(t, chunk, typeof encoding === 'string' ? encoding : undefined);
      } catch (err) {
        noteError(t, err);
      }
    }
    return ret;
  };
  r.end = function captureEnd(this: ClientRequest, chunk?: unknown, encoding?: unknown): unknown {
    const ret = origEnd.apply(this, arguments as unknown as unknown[]);
    if (!t.done) {
      try {
        if (typeof chunk !== 'function' && chunk != null) {
          appendChunk(t, chunk, typeof encoding === 'string' ? encoding : undefined);
        }
        // Taken again now: the app may set headers between creating the request and ending it.
        t.capture.headers = headersOf(this, t);
        finish(t, true);
      } catch (err) {
        noteError(t, err);
      }
    }
    return ret;
  };
  if (typeof origDestroy === 'function') {
    r.destroy = function captureDestroy(this: ClientRequest): unknown {
      if (!t.done) {
        try {
          t.capture.headers = headersOf(this, t);
          finish(t, false);
        } catch (err) {
          noteError(t, err);
        }
      }
      return origDestroy.apply(this, arguments as unknown as unknown[]);
    };
  }
}

function describeTarget(req: ClientRequest, capture: CaptureWithError & { kind: 'egress' }): void {
  const path = typeof req.path === 'string' ? req.path : '/';
  // Forward-proxy form: the request line already carries the absolute URL.
  if (isAbsoluteUrl(path)) {
    capture.url = path;
    capture.host = hostOfAuthority(authorityOfUrl(path) ?? '');
    return;
  }
  const agentProtocol = (req as unknown as { agent?: { protocol?: unknown } }).agent?.protocol;
  const protocol = typeof req.protocol === 'string' ? req.protocol
    : typeof agentProtocol === 'string' ? agentProtocol : 'http:';
  const hostHeader = safeHeader(req, 'host');
  const reqHost = typeof req.host === 'string' && req.host.length > 0 ? req.host : undefined;
  const host = reqHost !== undefined ? hostOfAuthority(authorityFromHost(reqHost)) : hostOfAuthority(hostHeader ?? '');
  // The Host header carries the port Node added for non-default ports; use it when it names the same host.
  const authority = hostHeader !== undefined && hostOfAuthority(hostHeader) === host
    ? hostHeader.toLowerCase() : authorityFromHost(host);
  capture.host = host;
  capture.url = `${protocol}//${authority}${path}`;
}

function safeHeader(req: ClientRequest, name: string): string | undefined {
  try {
    const v = req.getHeader(name);
    return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
  } catch {
    return undefined;
  }
}

function headersOf(req: ClientRequest, t: Tracker): HeaderMap {
  const out: HeaderMap = {};
  let raw: Record<string, unknown>;
  try {
    raw = req.getHeaders() as Record<string, unknown>;
  } catch (err) {
    noteError(t, err);
    return t.capture.headers;
  }
  let n = 0;
  for (const name in raw) {
    if (++n > MAX_HEADERS) break;
    const v = raw[name];
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number') out[name] = String(v);
    else if (Array.isArray(v)) out[name] = v.map(String);
  }
  return out;
}
