// The fake vendors: one HTTPS server on <addr>:443 and one HTTP server on <addr>:80, where addr is
// a random 127.x.y.z loopback address (so parallel test files, and the shared conformance kit on
// 127.0.0.1/127.0.0.2, never collide). Every request is recorded with its raw and decoded body.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FakeCerts } from './certs';
import { viewBody, type DecodedBody } from './decode-body';
import { replyFor, sendReply } from './vendor-replies';

export interface FakeRequest {
  seq: number;
  at: number;
  scheme: 'https' | 'http';
  method: string;
  /** Host header without the port, lowercased: the vendor the client meant to reach. */
  host: string;
  hostHeader: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Body after content-encoding was undone. */
  bodyText: string;
  decoded: DecodedBody;
}

const MAX_RECORDED_BODY = 16 * 1024 * 1024;
const MAX_BIND_ATTEMPTS = 25;

function randomLoopback(): string {
  const octet = (): number => 10 + Math.floor(Math.random() * 241); // 10..250
  return `127.0.${octet()}.${octet()}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export class FakeVendors {
  readonly requests: FakeRequest[] = [];
  address = '';
  private servers: Server[] = [];
  private seq = 0;
  private waiters = new Set<() => void>();

  constructor(private readonly certs: FakeCerts) {}

  async start(): Promise<string> {
    let lastError: unknown;
    for (let attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
      const address = randomLoopback();
      const tls = createHttpsServer({ key: this.certs.key, cert: this.certs.cert, keepAliveTimeout: 1000 }, this.handler('https'));
      const plain = createHttpServer({ keepAliveTimeout: 1000 }, this.handler('http'));
      try {
        await listen(tls, 443, address);
        await listen(plain, 80, address);
        this.servers = [tls, plain];
        this.address = address;
        return address;
      } catch (e) {
        lastError = e;
        await Promise.all([close(tls), close(plain)]);
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    throw new Error(`no free loopback address for the fakes after ${MAX_BIND_ATTEMPTS} attempts: ${String(lastError)}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map(close));
    this.servers = [];
  }

  forHost(host: string): FakeRequest[] {
    return this.requests.filter((r) => r.host === host);
  }

  hosts(): string[] {
    return [...new Set(this.requests.map((r) => r.host))].sort();
  }

  /** Resolves once `done()` holds for the recorded requests; rejects after `timeoutMs`. */
  waitFor(done: (requests: readonly FakeRequest[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (done(this.requests)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done(this.requests)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fakes: condition not met within ${timeoutMs} ms (hosts seen: ${this.hosts().join(', ') || 'none'})`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private handler(scheme: 'https' | 'http') {
    return (req: IncomingMessage, res: ServerResponse): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_RECORDED_BODY) chunks.push(c);
      });
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const hostHeader = String(req.headers.host ?? '').toLowerCase();
        const view = viewBody(rawBody, req.headers);
        const rec: FakeRequest = {
          seq: ++this.seq,
          at: Date.now(),
          scheme,
          method: req.method ?? 'GET',
          host: hostHeader.replace(/:\d+$/, ''),
          hostHeader,
          path: req.url ?? '/',
          headers: { ...req.headers },
          rawBody,
          bodyText: view.text,
          decoded: view.decoded,
        };
        this.requests.push(rec);
        try {
          sendReply(res, replyFor(rec));
        } catch {
          if (!res.headersSent) sendReply(res, { status: 500 });
        }
        for (const w of [...this.waiters]) w();
      });
    };
  }
}
