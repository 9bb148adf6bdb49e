// Shared test helpers (no tests here): a local server, a raw client, and a recording capture hook.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaptureWithError as Capture } from './tracker';

export interface Running { port: number; close: () => Promise<void> }

/** Per-test options: a failing or stuck test ends instead of hanging the file. */
export const LIMIT = { timeout: 5000 } as const;

const open = new Set<http.Server>();

/** For `after(closeAll)`: servers of a failed test (which skipped its own close) do not keep the process alive. */
export function closeAll(): void {
  for (const s of open) {
    s.closeAllConnections();
    s.close();
  }
  open.clear();
}

export function listen(server: http.Server): Promise<Running> {
  open.add(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () => new Promise<void>((done) => {
          open.delete(server);
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

export interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Written in these pieces, one write per piece. */
  body?: Buffer | Buffer[];
}

export interface Reply { status: number; body: Buffer; headers: http.IncomingHttpHeaders }

export function send(port: number, s: Sent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: s.method ?? 'POST', path: s.path ?? '/', headers: s.headers, agent: false,
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const pieces = s.body === undefined ? [] : Array.isArray(s.body) ? s.body : [s.body];
    for (const p of pieces) req.write(p);
    req.end();
  });
}

export interface Recorder {
  owner: object;
  captures: Capture[];
  completions: { owner: object; complete: boolean; bytes: number }[];
  onComplete: (owner: object, c: Capture) => void;
  /** Resolves at the next completion (or immediately when one already happened). */
  completed: () => Promise<void>;
}

export function recorder(): Recorder {
  let wake: (() => void) | undefined;
  const r: Recorder = {
    owner: { span: 'fake' },
    captures: [],
    completions: [],
    onComplete: (owner, c) => {
      r.completions.push({ owner, complete: c.body.complete, bytes: c.body.bytes });
      wake?.();
    },
    completed: () => (r.completions.length > 0 ? Promise.resolve() : new Promise<void>((res) => { wake = res; })),
  };
  return r;
}

/** Deterministic pseudo-random bytes (covers every byte value, not only text). */
export function bytes(n: number, seed = 7): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 16;
  }
  return b;
}

export function split(b: Buffer, pieces: number): Buffer[] {
  const out: Buffer[] = [];
  const size = Math.ceil(b.length / pieces);
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
