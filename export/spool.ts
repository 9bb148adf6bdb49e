// The embedded export path: spans appended as OTLP-JSON lines (one ExportTraceServiceRequest per
// line, the OpenTelemetry Collector `file` exporter's format) to one file per process, so several
// services can share a spool directory and the CLI can load it later. Writes are asynchronous and
// batched on a timer; whatever is still pending when the process exits is written synchronously.
//
// Serializing is the expensive part (~35 µs of CPU per span of the soak, synchronous JSON): a
// write's lines are serialized a few at a time, at most SLICE_MS of work per event-loop turn, so a
// backlog never holds the loop. Writes are positional (pwrite at offsets this process tracks, not
// O_APPEND): flushSync() at exit writes the line in flight again, the same bytes at the same
// offsets, which is right whether the asynchronous write finished, stopped part-way or has not
// started yet (a queued thread-pool job), and never duplicates a line.
import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { diagOnce, errorText } from '../instrumentation/diag';

/** Serialization work per event-loop turn (the detection drain keeps to 10 ms the same way). */
const SLICE_MS = 5;
const NEWLINE = Buffer.from('\n');

/** Path of a process's spool files without the `.jsonl` (and rotation) suffix. */
export function spoolBase(dir: string, serviceName: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const svc = serviceName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'service';
  const host = hostname().replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64);
  return join(dir, `${svc}-${host}-${process.pid}-${stamp}`);
}

export interface SpoolOptions {
  dir: string;
  serviceName: string;
  /** The file path without suffix, when it was chosen elsewhere (the analysis thread's spool is
   *  named by the app's thread, which prints it); default spoolBase(dir, serviceName). */
  base?: string;
  /** Rotate to a new file past this size. */
  maxFileBytes?: number;
  /** Stop writing (and count drops) past this many bytes written by this process. */
  maxTotalBytes?: number;
  /** Spans waiting to be written; beyond it new spans are dropped and counted. */
  maxQueue?: number;
  flushIntervalMs?: number;
  /** Spans per write. */
  maxBatch?: number;
  /** Spans per line (one export request, serialized in one synchronous call): 32 soak spans
   *  (~130 KB of JSON) take ~1.1 ms; the resource repeated per line adds 0.8 % to the file. 512
   *  spans in one call made half of the soak's seconds stall past 50 ms (docs/reliability.md). */
  lineSpans?: number;
}

/** A write handed to the thread pool: its bytes, where they go, the spans they hold. */
interface Pending {
  buf: Buffer;
  fd: number;
  at: number;
  spans: ReadableSpan[];
  /** flushSync() wrote it itself; the asynchronous write only rewrites the same bytes. */
  takenOver?: boolean;
  /** The file was closed meanwhile: close the fd once the thread pool is done with it (closing it
   *  earlier lets the next file reuse the number, and the late write land in that file). */
  closeWhenDone?: boolean;
}

export class SpoolSpanProcessor implements SpanProcessor {
  private readonly opts: Required<SpoolOptions>;
  private queue: ReadableSpan[] = [];
  /** Lines of the next write serialized so far, and their spans. */
  private parts: Uint8Array[] = [];
  private partSpans: ReadableSpan[] = [];
  private inFlight: Pending | undefined;
  /** A write flushSync() took over that the thread pool may still be doing. */
  private orphan: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** A pump() is scheduled for the next turn (serialization continues). */
  private scheduled = false;
  private fd: number | undefined;
  private fileIndex = 0;
  /** End of the last complete line in the current file: where the next write goes. */
  private fileBytes = 0;
  /** The current file was opened before: a reopen resumes at fileBytes, not at the file's size. */
  private fileKnown = false;
  private totalBytes = 0;
  private readonly base: string;
  private waiters: Array<() => void> = [];
  private closed = false;
  dropped = 0;
  written = 0;

  constructor(opts: SpoolOptions) {
    this.opts = {
      maxFileBytes: 32 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxQueue: 20000,
      flushIntervalMs: 1000, maxBatch: 128, lineSpans: 32, ...opts, base: opts.base ?? '',
    };
    this.base = opts.base ?? spoolBase(opts.dir, opts.serviceName);
  }

  /** Path of the file currently written (for tests and the startup line). */
  currentFile(): string { return `${this.base}${this.fileIndex ? '-' + this.fileIndex : ''}.jsonl`; }

  onStart(_span: Span, _ctx: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.opts.maxQueue) { this.drop(1, 'queue full'); return; }
    this.queue.push(span);
    if (!this.timer && !this.busy()) this.armTimer();
  }

  forceFlush(): Promise<void> {
    if (!this.queue.length && !this.partSpans.length && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => { this.waiters.push(resolve); if (!this.busy()) this.pump(); });
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    this.closeFile();
  }

  /** For process 'exit': write the in-flight, serialized and queued spans synchronously. */
  flushSync(): void {
    const f = this.inFlight;
    const lines = this.parts;
    const lineSpans = this.partSpans.length;
    const queue = this.queue;
    this.inFlight = undefined;
    this.parts = [];
    this.partSpans = [];
    this.queue = [];
    let unwritten = (f?.spans.length ?? 0) + lineSpans + queue.length;
    // ensureFile / writeAllSync already said why (unwritable directory, the size cap): count only.
    const put = (fd: number | undefined, buf: Buffer, at: number, spans: number): boolean => {
      if (fd === undefined || !this.writeAllSync(fd, buf, at)) { this.dropped += unwritten; return false; }
      this.completed(at, buf.length, spans);
      unwritten -= spans;
      return true;
    };
    const append = (buf: Buffer, spans: number): boolean => {
      const fd = this.ensureFile(buf.length); // may rotate: fileBytes is read after it
      return put(fd, buf, this.fileBytes, spans);
    };
    if (f) {
      f.takenOver = true;
      this.orphan = f;
      // Same bytes at the same offsets: right whether the asynchronous write is done, half done or
      // not started (see the top of the file).
      if (!put(f.fd, f.buf, f.at, f.spans.length)) return;
    }
    if (lines.length && !append(Buffer.concat(lines), lineSpans)) return;
    for (let i = 0; i < queue.length; i += this.opts.lineSpans) {
      const batch = queue.slice(i, i + this.opts.lineSpans);
      const line = this.serialize(batch);
      if (!line) { unwritten -= batch.length; continue; }
      if (!append(Buffer.concat(line), batch.length)) return;
    }
  }

  private busy(): boolean { return this.scheduled || this.inFlight !== undefined; }

  private armTimer(): void {
    this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, this.opts.flushIntervalMs);
    this.timer.unref();
  }

  /** Serializes lines of the next write, SLICE_MS at a time, then hands the write to the pool. */
  private pump(): void {
    this.scheduled = false;
    if (this.closed) { this.release(); return; }
    if (this.inFlight) return;
    // A flush someone waits for (shutdown, a signal) serializes a whole write per turn: the app
    // may exit a few ms later.
    const budget = this.waiters.length ? Infinity : SLICE_MS;
    const t0 = performance.now();
    while (this.queue.length && this.partSpans.length < this.opts.maxBatch) {
      const batch = this.queue.splice(0, Math.min(this.opts.lineSpans, this.opts.maxBatch - this.partSpans.length));
      const line = this.serialize(batch);
      if (line) { this.parts.push(...line); this.partSpans.push(...batch); }
      if (performance.now() - t0 >= budget) break;
    }
    if (this.queue.length && this.partSpans.length < this.opts.maxBatch) {
      this.scheduled = true;
      setImmediate(() => this.pump());
      return;
    }
    if (!this.partSpans.length) { this.release(); return; }
    const buf = Buffer.concat(this.parts);
    const spans = this.partSpans;
    this.parts = [];
    this.partSpans = [];
    const fd = this.ensureFile(buf.length);
    if (fd === undefined) { this.retryLater(spans); return; }
    this.inFlight = { buf, fd, at: this.fileBytes, spans };
    this.writeFrom(this.inFlight, 0);
  }

  /** Writes `f.buf` from `done` on; fs.write may write fewer bytes than asked. */
  private writeFrom(f: Pending, done: number): void {
    write(f.fd, f.buf, done, f.buf.length - done, f.at + done, (err, n) => {
      if (f.takenOver) {
        if (f.closeWhenDone) { try { closeSync(f.fd); } catch { /* ignore */ } }
        if (this.orphan === f) this.orphan = undefined;
        return;
      }
      if (!err && n === 0) err = Object.assign(new Error('no bytes written'), { code: 'EIO' });
      if (err) {
        this.inFlight = undefined;
        trimTo(f.fd, f.at);
        this.writeFailed(err);
        this.retryLater(f.spans);
        return;
      }
      if (done + n < f.buf.length) { this.writeFrom(f, done + n); return; }
      this.inFlight = undefined;
      this.completed(f.at, f.buf.length, f.spans.length);
      if (this.queue.length) { this.scheduled = true; setImmediate(() => this.pump()); } else this.release();
    });
  }

  private completed(at: number, bytes: number, spans: number): void {
    this.fileBytes = at + bytes;
    this.totalBytes += bytes;
    this.written += spans;
  }

  /** pwrite until done; false (reported) on an error. */
  private writeAllSync(fd: number, buf: Buffer, at: number): boolean {
    try {
      for (let done = 0; done < buf.length;) {
        const n = writeSync(fd, buf, done, buf.length - done, at + done);
        if (n === 0) throw Object.assign(new Error('no bytes written'), { code: 'EIO' });
        done += n;
      }
      return true;
    } catch (e) {
      trimTo(fd, at);
      this.writeFailed(e);
      return false;
    }
  }

  /** Keep what could not be written (within the queue cap) and try again on the next tick of the
   *  timer; flush callers are released so nobody waits on a full disk. */
  private retryLater(batch: ReadableSpan[]): void {
    if (this.closed) { this.dropped += batch.length; this.release(); return; }
    const room = Math.max(0, this.opts.maxQueue - this.queue.length);
    if (room < batch.length) this.drop(batch.length - room, 'unwritable spool and full queue');
    this.queue.unshift(...batch.slice(0, room));
    this.release();
    if (!this.timer) this.armTimer();
  }

  /** One line (the request's JSON and its newline), or undefined when the serializer failed. */
  private serialize(spans: ReadableSpan[]): Uint8Array[] | undefined {
    try {
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (!bytes) throw new Error('serializer returned nothing');
      return [bytes, NEWLINE];
    } catch (e) {
      diagOnce('spool-serialize', `spool: could not serialize ${spans.length} spans (${errorText(e)}); dropped`);
      this.dropped += spans.length;
      return undefined;
    }
  }

  private ensureFile(nextBytes: number): number | undefined {
    if (this.totalBytes + nextBytes > this.opts.maxTotalBytes) {
      this.closed = true;
      this.dropped += this.queue.length + this.partSpans.length;
      this.queue = [];
      this.parts = [];
      this.partSpans = [];
      diagOnce('spool-cap', `spool: ${this.base}* reached its cap of ${this.opts.maxTotalBytes} bytes; further spans are dropped`);
      return undefined;
    }
    if (this.fd !== undefined && this.fileBytes + nextBytes > this.opts.maxFileBytes && this.fileBytes > 0) {
      this.closeFile();
      this.fileIndex++;
      this.fileBytes = 0;
      this.fileKnown = false;
    }
    if (this.fd === undefined) {
      try {
        mkdirSync(this.opts.dir, { recursive: true });
        const fd = openSync(this.currentFile(), constants.O_WRONLY | constants.O_CREAT, 0o600);
        // A file reopened after a failed write is resumed after its last complete line.
        if (!this.fileKnown) this.fileBytes = fstatSync(fd).size;
        this.fileKnown = true;
        this.fd = fd;
      } catch (e) {
        this.writeFailed(e);
        return undefined;
      }
    }
    return this.fd;
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    if (this.orphan?.fd === this.fd) this.orphan.closeWhenDone = true;
    else { try { closeSync(this.fd); } catch { /* already closed */ } }
    this.fd = undefined;
  }

  private writeFailed(e: unknown): void {
    const code = (e as NodeJS.ErrnoException)?.code;
    diagOnce(`spool-write-${code ?? 'error'}`, `spool: cannot write to ${this.opts.dir} (${code ?? errorText(e)}); spans are dropped until it is writable`);
    this.closeFile();
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

/** Cuts what a failed write left of a line, so the file ends with a complete line (best effort:
 *  /dev/full and the like cannot be truncated; the next write overwrites it anyway). */
function trimTo(fd: number, size: number): void {
  try { ftruncateSync(fd, size); } catch { /* not a regular file, or the file system refuses */ }
}
