// Where the loader's chunks are parsed and encoded: worker threads (one core each; the main thread
// is left to read files and run inserts) or, for small loads or when no worker can start, this
// thread. Buffers move between threads by transfer (no copy); output buffers come back for reuse,
// because fresh memory is slow to touch on some VMs and garbage for the collector everywhere.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodeChunk, WORKER_READY, type ChunkOutcome } from './chunk-encoder';
import type { EncodeJob } from './ingest-worker';
import { rowBuffer, type RowBuffer, type RowFormat } from './row-buffer';

export interface Encoded {
  outcome: ChunkOutcome;
  /** The input buffer, back for reuse. */
  input: Buffer;
  /** Encoded rows in its first `outLength` bytes; give it back with `recycle` once copied. */
  out: Buffer;
  outLength: number;
}

export interface Encoder {
  /** Worker threads (0: inline). */
  readonly workers: number;
  /** Encodes the complete lines in `input[start, end)`. `input` must own its ArrayBuffer
   *  (allocUnsafeSlow) and is not to be touched until the result (which returns it) arrives. */
  encode(format: RowFormat, input: Buffer, start: number, end: number): Promise<Encoded>;
  recycle(out: Buffer): void;
  close(): Promise<void>;
}

/** Output space to start with, per input byte (RowBinary is ~0.55× the JSON; JSONEachRow ~0.9×). */
const OUT_PER_IN = 1;
const MAX_SPARE = 16;

class InlineEncoder implements Encoder {
  readonly workers = 0;
  private spare: Buffer[] = [];
  private readonly buffers = new Map<RowFormat, RowBuffer>();

  async encode(format: RowFormat, input: Buffer, start: number, end: number): Promise<Encoded> {
    let rb = this.buffers.get(format);
    if (!rb) {
      rb = rowBuffer(format, 1024);
      this.buffers.set(format, rb);
    }
    rb.adopt(this.spare.pop() ?? Buffer.allocUnsafeSlow(Math.max(1024, (end - start) * OUT_PER_IN)));
    const outcome = encodeChunk(input.toString('utf8', start, end), rb);
    return { outcome, input, out: rb.backing(), outLength: rb.length };
  }

  recycle(out: Buffer): void {
    if (this.spare.length < MAX_SPARE) this.spare.push(out);
  }

  async close(): Promise<void> { this.spare = []; }
}

interface Pending { resolve: (e: Encoded) => void; reject: (e: Error) => void }

interface WorkerReply {
  id: number;
  input: ArrayBuffer;
  error?: string;
  outcome?: ChunkOutcome;
  out?: ArrayBuffer;
  outLength?: number;
}

class WorkerPool implements Encoder {
  private readonly pending: Array<Map<number, Pending>>;
  private spare: ArrayBuffer[] = [];
  private seq = 0;
  private failure: Error | undefined;

  constructor(private readonly threads: Worker[]) {
    this.pending = threads.map(() => new Map());
    threads.forEach((w, i) => {
      // Never keep the process alive for a worker (the loader closes the pool when done).
      w.unref();
      w.on('message', (m: WorkerReply) => this.reply(i, m));
      w.on('error', (e) => this.fail(new Error(`ingest worker failed: ${e.message}`)));
      w.on('exit', (code) => { if (this.pending[i].size) this.fail(new Error(`ingest worker exited (code ${code})`)); });
    });
  }

  get workers(): number { return this.threads.length; }

  private reply(i: number, m: WorkerReply): void {
    const p = this.pending[i].get(m.id);
    if (!p) return;
    this.pending[i].delete(m.id);
    if (m.error !== undefined || !m.outcome || !m.out) {
      p.reject(new Error(`ingest worker failed: ${m.error ?? 'no result'}`));
      return;
    }
    p.resolve({ outcome: m.outcome, input: Buffer.from(m.input), out: Buffer.from(m.out), outLength: m.outLength ?? 0 });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const map of this.pending) {
      for (const p of map.values()) p.reject(e);
      map.clear();
    }
  }

  encode(format: RowFormat, input: Buffer, start: number, end: number): Promise<Encoded> {
    if (this.failure) return Promise.reject(this.failure);
    // The least busy worker.
    let w = 0;
    for (let i = 1; i < this.threads.length; i++) if (this.pending[i].size < this.pending[w].size) w = i;
    const id = this.seq++;
    const out = this.spare.pop();
    const job: EncodeJob = { id, format, input: input.buffer as ArrayBuffer, start, end, out, outBytes: Math.max(1024, (end - start) * OUT_PER_IN) };
    return new Promise<Encoded>((resolve, reject) => {
      this.pending[w].set(id, { resolve, reject });
      this.threads[w].postMessage(job, out ? [job.input, out] : [job.input]);
    });
  }

  recycle(out: Buffer): void {
    if (this.spare.length < MAX_SPARE && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) this.spare.push(out.buffer as ArrayBuffer);
  }

  async close(): Promise<void> {
    this.spare = [];
    await Promise.all(this.threads.map((w) => w.terminate().catch(() => 0)));
  }
}

const START_TIMEOUT_MS = 10_000;

function started(w: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => { clearTimeout(timer); w.off('message', onMessage); w.off('error', onError); w.off('exit', onError); resolve(ok); };
    const onMessage = (m: unknown): void => { if (m === WORKER_READY) done(true); };
    const onError = (): void => done(false);
    const timer = setTimeout(() => done(false), START_TIMEOUT_MS);
    w.on('message', onMessage);
    w.once('error', onError);
    w.once('exit', onError);
  });
}

/** `workers` threads, or inline when 0 or when they cannot start (fail open: the load still runs,
 *  on this thread). */
export async function createEncoder(workers: number): Promise<Encoder> {
  const script = join(__dirname, 'ingest-worker.js');
  if (workers <= 0 || !existsSync(script)) return new InlineEncoder();
  const threads: Worker[] = [];
  try {
    for (let i = 0; i < workers; i++) threads.push(new Worker(script));
  } catch {
    await Promise.all(threads.map((t) => t.terminate().catch(() => 0)));
    return new InlineEncoder();
  }
  const ok = await Promise.all(threads.map(started));
  if (ok.includes(false)) {
    await Promise.all(threads.map((t) => t.terminate().catch(() => 0)));
    return new InlineEncoder();
  }
  return new WorkerPool(threads);
}

export function inlineEncoder(): Encoder {
  return new InlineEncoder();
}
