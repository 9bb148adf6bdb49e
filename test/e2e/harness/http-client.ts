// Requests to the app under test. `send` uses global fetch; the others use node:http / a raw socket
// for what fetch cannot do: a body streamed in chunks, a body the server never reads, and a client
// that gives up halfway through its body.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface AppResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

export async function send(port: number, path: string, opts: SendOptions = {}): Promise<AppResponse> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: opts.headers,
    body: opts.body,
    signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => { headers[k] = v; });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers, body, text: body.toString('utf8') };
}

function toResponse(status: number, headers: IncomingHttpHeaders, body: Buffer): AppResponse {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status, contentType: flat['content-type'] ?? '', headers: flat, body, text: body.toString('utf8') };
}

export interface StreamOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Written one by one with `delayMs` between them, chunked transfer encoding (no content-length). */
  chunks: Buffer[];
  delayMs?: number;
  timeoutMs?: number;
}

export function sendChunked(port: number, path: string, opts: StreamOptions): Promise<AppResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'POST', headers: opts.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve(toResponse(res.statusCode ?? 0, res.headers, Buffer.concat(parts))));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    const delay = opts.delayMs ?? 20;
    let i = 0;
    const next = (): void => {
      if (i >= opts.chunks.length) {
        req.end();
        return;
      }
      req.write(opts.chunks[i++]);
      setTimeout(next, delay);
    };
    next();
  });
}

/**
 * Sends the head and `body` but answers are taken as soon as they come: for a server that replies
 * without reading the body. The socket is closed once the response is complete.
 */
export function sendWithoutWaitingForBody(port: number, path: string, opts: SendOptions & { body: Buffer }): Promise<AppResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...(opts.headers ?? {}), 'content-length': String(opts.body.length) };
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'POST', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve(toResponse(res.statusCode ?? 0, res.headers, Buffer.concat(parts)));
        req.destroy();
      });
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    // A server that answers early may reset the connection while the body is still going out.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
    });
    req.end(opts.body);
  });
}

export interface AbortOptions {
  method?: string;
  headers?: Record<string, string>;
  /** The content-length announced. */
  declaredLength: number;
  /** What is actually sent before the socket is destroyed (shorter than declaredLength). */
  partialBody: Buffer;
  /** How long to hold the half-sent request open before destroying it. */
  holdMs?: number;
}

/** A client that announces a body, sends part of it, then destroys the connection. */
export function sendAborted(port: number, path: string, opts: AbortOptions): Promise<{ gotResponseBytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    socket.on('data', (c: Buffer) => { received += c.length; });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
    });
    socket.on('close', () => resolve({ gotResponseBytes: received }));
    socket.on('connect', () => {
      const lines = [`${opts.method ?? 'POST'} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${opts.declaredLength}`];
      for (const [k, v] of Object.entries(opts.headers ?? {})) lines.push(`${k}: ${v}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      socket.write(opts.partialBody);
      setTimeout(() => socket.destroy(), opts.holdMs ?? 150);
    });
  });
}
