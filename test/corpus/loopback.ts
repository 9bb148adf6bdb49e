// A loopback fake of vendor APIs for recording what real SDKs send. SDKs that hardcode
// `https://<vendor host>` are pointed at a local HTTPS server: vendor hosts resolve to 127.0.0.1
// (dns.lookup override) and TLS connections to them on port 443 go to the local port instead, with
// a throwaway self-signed certificate made by `openssl`. Only this generator process is affected.
import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface Recorded {
  method: string;
  /** `https://<Host header><path>`: the URL the SDK meant to call. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

type Responder = (host: string, path: string) => { status: number; body: string };

const defaultResponder: Responder = (host, path) => {
  if (host === 'graph.facebook.com') return { status: 200, body: '{"events_received":1,"messages":[],"fbtrace_id":"AbC"}' };
  if (host.endsWith('posthog.com')) return { status: 200, body: path.startsWith('/flags') || path.startsWith('/decide') ? '{"featureFlags":{}}' : '{"status":1}' };
  if (host === 'api.sendgrid.com') return { status: 202, body: '' };
  return { status: 200, body: '{"success":true}' };
};

export class LoopbackVendors {
  private readonly records: Recorded[] = [];
  private readonly restore: Array<() => void> = [];

  private constructor(private readonly server: https.Server, private readonly dir: string) {}

  static async start(hosts: readonly string[], respond: Responder = defaultResponder): Promise<LoopbackVendors> {
    const dir = mkdtempSync(join(tmpdir(), 'sst-corpus-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=loopback.invalid'], { stdio: 'ignore' });
    let self: LoopbackVendors | undefined;
    const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        self!.records.push({ method: req.method ?? 'GET', url: `https://${host}${req.url ?? '/'}`, headers, body: Buffer.concat(chunks) });
        const r = respond(host, req.url ?? '/');
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new LoopbackVendors(server, dir);
    self.intercept(new Set(hosts), (server.address() as AddressInfo).port);
    return self;
  }

  private intercept(hosts: ReadonlySet<string>, port: number): void {
    const realLookup = dns.lookup;
    const fake = function (this: unknown, host: string, opts: unknown, cb?: unknown): void {
      if (!hosts.has(host)) return void (realLookup as Function).call(dns, host, opts, cb);
      const callback = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
      const all = typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all;
      if (all) process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
      else process.nextTick(callback, null, '127.0.0.1', 4);
    };
    (dns as { lookup: unknown }).lookup = fake;
    this.restore.push(() => { (dns as { lookup: unknown }).lookup = realLookup; });

    const realConnect = tls.connect;
    const patched = function (this: unknown, ...args: unknown[]): tls.TLSSocket {
      const o = args[0];
      if (typeof o === 'object' && o !== null) {
        const opt = o as tls.ConnectionOptions & { hostname?: string };
        const host = opt.servername ?? opt.host ?? opt.hostname;
        if (typeof host === 'string' && hosts.has(host) && (opt.port === undefined || Number(opt.port) === 443)) {
          args[0] = { ...opt, port, rejectUnauthorized: false };
        }
      }
      return (realConnect as Function).apply(tls, args) as tls.TLSSocket;
    };
    (tls as { connect: unknown }).connect = patched;
    this.restore.push(() => { (tls as { connect: unknown }).connect = realConnect; });
  }

  /** Runs `fn` and returns the requests recorded while it ran. */
  async capture(fn: () => Promise<unknown>): Promise<Recorded[]> {
    const from = this.records.length;
    await fn();
    return this.records.slice(from);
  }

  async close(): Promise<void> {
    for (const r of this.restore.reverse()) r();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
