// The embedded export path: spans appended as OTLP-JSON lines (one ExportTraceServiceRequest per
// line, the OpenTelemetry Collector `file` exporter's format) to one file per process, so several
// services can share a spool directory and the CLI can load it later. Writes are asynchronous and
// batched on a timer; whatever is still pending when the process exits is written synchronously.
import { closeSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { diagOnce, errorText } from '../instrumentation/diag';

export interface SpoolOptions {
  dir: string;
  serviceName: string;
  /** Rotate to a new file past this size. */
  maxFileBytes?: number;
  /** Stop writing (and count drops) past this many bytes written by this process. */
  maxTotalBytes?: number;
  /** Spans waiting to be written; beyond it new spans are dropped and counted. */
  maxQueue?: number;
  flushIntervalMs?: number;
  /** Spans per line (one export request). Serialized synchronously: 128 spans (~0.5 MB of JSON)
   *  keep each write's serialization well under the 50 ms an event-loop stall may take; 512 made
   *  half of the soak's seconds stall past 50 ms (docs/reliability.md). */
  maxBatch?: number;
}

export class SpoolSpanProcessor implements SpanProcessor {
  private readonly opts: Required<SpoolOptions>;
  private queue: ReadableSpan[] = [];
  private inFlight: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fd: number | undefined;
  private fileIndex = 0;
  private fileBytes = 0;
  private totalBytes = 0;
  private readonly base: string;
  private waiters: Array<() => void> = [];
  private closed = false;
  dropped = 0;
  written = 0;

  constructor(opts: SpoolOptions) {
    this.opts = {
      maxFileBytes: 32 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxQueue: 20000,
      flushIntervalMs: 1000, maxBatch: 128, ...opts,
    };
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const svc = opts.serviceName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'service';
    const host = hostname().replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64);
    this.base = join(opts.dir, `${svc}-${host}-${process.pid}-${stamp}`);
  }

  /** Path of the file currently written (for tests and the startup line). */
  currentFile(): string { return `${this.base}${this.fileIndex ? '-' + this.fileIndex : ''}.jsonl`; }

  onStart(_span: Span, _ctx: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.opts.maxQueue) { this.drop(1, 'queue full'); return; }
    this.queue.push(span);
    if (!this.timer && !this.inFlight) {
      this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, this.opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  forceFlush(): Promise<void> {
    if (!this.queue.length && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => { this.waiters.push(resolve); if (!this.inFlight) this.pump(); });
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    if (this.fd !== undefined) { try { closeSync(this.fd); } catch { /* already closed */ } this.fd = undefined; }
  }

  /** For process 'exit': write the in-flight and queued spans synchronously. A line in flight may be
   *  written twice; the loader deduplicates spans, so nothing is lost. */
  flushSync(): void {
    const parts: Buffer[] = [];
    if (this.inFlight) parts.push(this.inFlight);
    while (this.queue.length) parts.push(this.serialize(this.queue.splice(0, this.opts.maxBatch)));
    this.inFlight = undefined;
    for (const buf of parts) {
      const fd = this.ensureFile(buf.length);
      // ensureFile already said why (unwritable directory, or the size cap): count, no second line.
      if (fd === undefined) { this.dropped += parts.length; return; }
      try { writeSync(fd, buf); this.account(buf.length); } catch (e) { this.writeFailed(e); return; }
    }
  }

  private pump(): void {
    if (this.closed) { this.release(); return; }
    if (this.inFlight) return;
    if (!this.queue.length) { this.release(); return; }
    const batch = this.queue.splice(0, this.opts.maxBatch);
    let buf: Buffer;
    try { buf = this.serialize(batch); } catch (e) {
      diagOnce('spool-serialize', `spool: could not serialize ${batch.length} spans (${errorText(e)}); dropped`);
      this.dropped += batch.length;
      setImmediate(() => this.pump());
      return;
    }
    const fd = this.ensureFile(buf.length);
    if (fd === undefined) { this.retryLater(batch); return; }
    this.inFlight = buf;
    write(fd, buf, 0, buf.length, null, (err) => {
      if (!this.inFlight) return; // flushSync took it over at exit
      this.inFlight = undefined;
      if (err) { this.writeFailed(err); this.retryLater(batch); return; }
      this.account(buf.length);
      this.written += batch.length;
      if (this.queue.length) setImmediate(() => this.pump()); else this.release();
    });
  }

  /** Keep what could not be written (within the queue cap) and try again on the next tick of the
   *  timer; flush callers are released so nobody waits on a full disk. */
  private retryLater(batch: ReadableSpan[]): void {
    const room = Math.max(0, this.opts.maxQueue - this.queue.length);
    if (room < batch.length) this.drop(batch.length - room, 'unwritable spool and full queue');
    this.queue.unshift(...batch.slice(0, room));
    this.release();
    if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, this.opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  private serialize(spans: ReadableSpan[]): Buffer {
    const bytes = JsonTraceSerializer.serializeRequest(spans);
    if (!bytes) throw new Error('serializer returned nothing');
    const buf = Buffer.allocUnsafe(bytes.length + 1);
    buf.set(bytes, 0);
    buf[bytes.length] = 0x0a;
    return buf;
  }

  private ensureFile(nextBytes: number): number | undefined {
    if (this.totalBytes + nextBytes > this.opts.maxTotalBytes) {
      this.closed = true;
      this.dropped += this.queue.length;
      this.queue = [];
      diagOnce('spool-cap', `spool: ${this.base}* reached its cap of ${this.opts.maxTotalBytes} bytes; further spans are dropped`);
      return undefined;
    }
    if (this.fd !== undefined && this.fileBytes + nextBytes > this.opts.maxFileBytes && this.fileBytes > 0) {
      try { closeSync(this.fd); } catch { /* ignore */ }
      this.fd = undefined;
      this.fileIndex++;
      this.fileBytes = 0;
    }
    if (this.fd === undefined) {
      try {
        mkdirSync(this.opts.dir, { recursive: true });
        this.fd = openSync(this.currentFile(), 'a', 0o600);
      } catch (e) {
        this.writeFailed(e);
        return undefined;
      }
    }
    return this.fd;
  }

  private account(n: number): void { this.fileBytes += n; this.totalBytes += n; }

  private writeFailed(e: unknown): void {
    const code = (e as NodeJS.ErrnoException)?.code;
    diagOnce(`spool-write-${code ?? 'error'}`, `spool: cannot write to ${this.opts.dir} (${code ?? errorText(e)}); spans are dropped until it is writable`);
    if (this.fd !== undefined) { try { closeSync(this.fd); } catch { /* ignore */ } this.fd = undefined; }
  }

  private drop(n: number, why: string): void {
    this.dropped += n;
    diagOnce(`spool-drop-${why}`, `spool: dropping spans (${why})`);
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
