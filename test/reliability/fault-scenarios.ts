// Fault scenarios (issue 9 §3), shared by faults.test.ts (assertions) and faults-run.ts (the
// figures in docs/reliability.md): the fault app under `--require @sst/otel-auto` against a broken
// sink, a burst of requests, then a signal. Measured: request latency, RSS, what the app printed
// on stderr, how long the exit took after the signal, and how it ended.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../e2e/harness/project';

export const FAULT_APP = join(__dirname, 'apps', 'fault-app.cjs');

/** A stand-in collector that misbehaves in one way. */
export interface Sink { endpoint: string; received: number; spans: number; close(): Promise<void> }

/** Spans in one OTLP-JSON export request (a POST body or a spool line). */
export function spansIn(text: string): number {
  try {
    const req = JSON.parse(text) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> };
    let n = 0;
    for (const rs of req.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
    return n;
  } catch {
    return 0;
  }
}

export type SinkKind = 'ok' | 'down' | 'slow' | 'status-500' | 'status-429' | 'none';

export async function startSink(kind: SinkKind, slowMs = 10_000): Promise<Sink> {
  if (kind === 'none') return { endpoint: '', received: 0, spans: 0, close: async () => undefined };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const sink: Sink = { endpoint: '', received: 0, spans: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.received++;
      if (kind === 'ok') sink.spans += spansIn(Buffer.concat(chunks).toString('utf8'));
      const answer = (status: number) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end('{}'); };
      if (kind === 'slow') { const t = setTimeout(() => { timers.delete(t); answer(200); }, slowMs); timers.add(t); return; }
      answer(kind === 'status-500' ? 500 : kind === 'status-429' ? 429 : 200);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  sink.endpoint = `http://127.0.0.1:${port}`;
  const close = async () => {
    for (const t of timers) clearTimeout(t);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  if (kind === 'down') await close(); // the port is now refused
  sink.close = kind === 'down' ? async () => undefined : close;
  return sink;
}

export interface FaultOptions {
  name: string;
  sink: SinkKind;
  /** Extra environment for the app (wins over the defaults). */
  env?: Record<string, string>;
  /** `--require @sst/otel-auto` (default) or the app alone. */
  instrumented?: boolean;
  requests?: number;
  concurrency?: number;
  signal?: NodeJS.Signals;
  /** FAULT_APP_SIGNALS: `exit:<code>` makes the app handle the signal and exit with that code. */
  appSignals?: string;
  /** Send the signal while the burst is still running (after this many responses). */
  signalAfter?: number;
  /** After the burst, wait up to this many ms for the analysis to catch up (its queue empty) and
   *  the sink to receive an export before the signal: for scenarios about what the app says when
   *  the collector answers, not about whether the analysis keeps pace on a loaded machine (on a
   *  busy CI machine the niced analysis thread can be seconds behind the burst). */
  settleMs?: number;
  flushTimeoutMs?: number;
}

export interface FaultResult {
  name: string;
  requests: number;
  failedRequests: number;
  latencyMs: { p50: number; p99: number; max: number };
  rssMB: { start: number; end: number };
  exit: { code: number | null; signal: NodeJS.Signals | null; ms: number; hung: boolean };
  /** `sst:` lines on stderr, without the startup line. */
  diagLines: string[];
  /** Stack-trace-looking lines on stderr (must be none). */
  traceLines: string[];
  sinkRequests: number;
  /** Spans the healthy collector received, and spans found in the spool files after the exit. */
  sinkSpans: number;
  spoolSpans: number;
}

function spoolSpans(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir)) for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) n += spansIn(line);
  } catch { /* no spool */ }
  return n;
}

const EXIT_WAIT_MS = 15_000;

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sst-fault-'));
  mkdirSync(join(dir, 'node_modules', '@sst'), { recursive: true });
  symlinkSync(projectRoot(), join(dir, 'node_modules', '@sst', 'otel-auto'), 'dir');
  return dir;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

function call(agent: Agent, port: number, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runFault(o: FaultOptions): Promise<FaultResult> {
  const sink = await startSink(o.sink);
  const dir = sandbox();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: dir, SST_FINGERPRINT_KEY: 'fault-test-key-0123456789',
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process', SST_FLUSH_TIMEOUT_MS: String(o.flushTimeoutMs ?? 2000),
    SST_SPOOL_DIR: join(dir, 'spool'),
    ...(sink.endpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' } : {}),
    ...(o.appSignals ? { FAULT_APP_SIGNALS: o.appSignals } : {}),
    ...o.env,
  };
  const args = o.instrumented === false ? [FAULT_APP] : ['--require', '@sst/otel-auto', FAULT_APP];
  const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { if (stderr.length < 1e6) stderr += c; });
  let exitAt = 0;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((r) => child.on('exit', (code, signal) => { exitAt = Date.now(); exitInfo = { code, signal }; r(); }));
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency ?? 8 });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${o.name}: no READY; stderr=${stderr}`)), 30_000);
      child.stdout.on('data', () => { const m = /READY (\d+)/.exec(stdout); if (m) { clearTimeout(t); resolve(Number(m[1])); } });
      void exited.then(() => { clearTimeout(t); reject(new Error(`${o.name}: exited before READY (${exitInfo?.code}/${exitInfo?.signal}); stderr=${stderr}`)); });
    });
    const mem = async () => JSON.parse((await call(agent, port, 'GET', '/mem')).text) as { rss: number };
    const rssStart = (await mem()).rss;
    const total = o.requests ?? 400;
    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    let signalSentAt = 0;
    const signal = o.signal ?? 'SIGTERM';
    const worker = async () => {
      while (next < total && !signalSentAt) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        try {
          const r = await call(agent, port, 'POST', '/signup', JSON.stringify({ email: `fault.user.${i}@example.org`, phone: `+1415555${String(1000 + (i % 8999)).padStart(4, '0')}`, firstName: 'Rhea', plan: 'free' }));
          if (r.status !== 200) failed++;
        } catch { failed++; }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (o.signalAfter !== undefined && latencies.length >= o.signalAfter && !signalSentAt) { signalSentAt = Date.now(); child.kill(signal); }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
    let rssEnd = rssStart;
    if (!signalSentAt && o.settleMs !== undefined) {
      const until = Date.now() + o.settleMs;
      const settled = async () => (JSON.parse((await call(agent, port, 'GET', '/settled')).text) as { pending: number | null }).pending === 0;
      while (Date.now() < until && !(sink.received > 0 && (await settled()))) await new Promise((r) => setTimeout(r, 50));
      // the collector's answer reaches the exporter a moment after the sink counted the request
      await new Promise((r) => setTimeout(r, 300));
    }
    if (!signalSentAt) {
      rssEnd = (await mem()).rss;
      signalSentAt = Date.now();
      child.kill(signal);
    }
    agent.destroy();
    const hung = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), EXIT_WAIT_MS).unref())]);
    if (hung) { child.kill('SIGKILL'); await exited; }
    latencies.sort((a, b) => a - b);
    const lines = stderr.split('\n').filter(Boolean);
    return {
      name: o.name,
      requests: latencies.length,
      failedRequests: failed,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
      rssMB: { start: Math.round(rssStart / 1048576), end: Math.round(rssEnd / 1048576) },
      exit: { code: hung ? null : exitInfo!.code, signal: hung ? 'SIGKILL' : exitInfo!.signal, ms: (hung ? Date.now() : exitAt) - signalSentAt, hung },
      diagLines: lines.filter((l) => l.startsWith('sst:') && !/@sst\/otel-auto .* active;/.test(l)),
      traceLines: lines.filter((l) => /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/.test(l)),
      sinkRequests: sink.received,
      sinkSpans: sink.spans,
      spoolSpans: spoolSpans(join(dir, 'spool')),
    };
  } finally {
    agent.destroy();
    if (!exitInfo) { child.kill('SIGKILL'); await exited; }
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fault matrix: every scenario the docs report. */
export const MATRIX: FaultOptions[] = [
  { name: 'no instrumentation (reference)', sink: 'none', instrumented: false },
  { name: 'collector healthy', sink: 'ok', settleMs: 20_000 },
  { name: 'collector down (connection refused)', sink: 'down' },
  { name: 'collector slow (answers after 10 s)', sink: 'slow' },
  { name: 'collector answers 500', sink: 'status-500', settleMs: 20_000 },
  { name: 'collector answers 429', sink: 'status-429' },
  { name: 'collector slow, 3000 requests (export queue cap)', sink: 'slow', requests: 3000, concurrency: 16 },
  { name: 'spool dir unwritable (ENOTDIR)', sink: 'none', env: { SST_SPOOL_DIR: '/dev/null/spool' } },
  { name: 'collector down, SIGINT during load, no app handler', sink: 'down', signal: 'SIGINT', signalAfter: 200 },
  { name: 'collector slow, SIGTERM during load, app exits 7', sink: 'slow', appSignals: 'exit:7', signalAfter: 200 },
  { name: 'spool, SIGTERM during load, app exits 7', sink: 'none', appSignals: 'exit:7', signalAfter: 200 },
  { name: 'invalid SST_CONFIG', sink: 'none', env: { SST_CONFIG: '/nonexistent/sst.yaml' } },
];
