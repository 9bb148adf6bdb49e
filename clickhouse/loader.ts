// OTLP-JSON lines (our spool, or the collector `file` exporter's output) → otel_traces, in batches.
// Incremental: per file, only the bytes after the last complete line already loaded are read
// (sst_ingest_state), so loading twice inserts nothing twice. A span seen again within a load (the
// spool may write its in-flight line twice at exit) is skipped by (TraceId, SpanId). A corrupt line
// is reported with file and line number, skipped, and the rest loads.
import { open, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Store } from './client';
import { createEncoder, inlineEncoder, type Encoded, type Encoder } from './encode-pool';
import { ensureStateTable, headHash, HEAD_BYTES, MAX_LAST_KEYS, readStates, saveStates, type FileState } from './ingest-state';
import { rowBuffer, SPAN_COLUMNS, type RowBuffer } from './row-buffer';

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesRead: number;
  bytesTotal: number;
  spans: number;
  elapsedMs: number;
}

export interface IngestOptions {
  /** Files or directories (a directory contributes its *.jsonl, *.ndjson and *.json files). */
  paths: string[];
  /** Rows per INSERT. */
  batchRows?: number;
  /** Payload bytes per INSERT. */
  batchBytes?: number;
  /** Read size. */
  chunkBytes?: number;
  /** A longer line is reported as corrupt and skipped. */
  maxLineBytes?: number;
  /** Span keys remembered per file for duplicate detection. */
  dedupeWindow?: number;
  onProgress?: (p: IngestProgress) => void;
  progressIntervalMs?: number;
  /** Worker threads that parse and encode (0: this thread). Default: see defaultWorkers. */
  workers?: number;
  /** Loads smaller than this many new bytes are parsed on this thread (a worker takes tens of ms
   *  to start). */
  workerMinBytes?: number;
  /** INSERTs running at once (default 1, or SST_INGEST_INSERTS). More than one pays off on a
   *  server with spare cores; if one fails, batches after it may be loaded twice. */
  inserts?: number;
}

export interface IngestStats {
  /** Input files considered. */
  files: number;
  /** Files that had new bytes. */
  filesRead: number;
  /** Complete lines read in this load (including blank and corrupt ones). */
  lines: number;
  /** Rows inserted. */
  spans: number;
  /** Spans skipped because their (TraceId, SpanId) was already loaded. */
  duplicates: number;
  /** Lines skipped as corrupt. */
  corrupt: number;
  /** Unfinished last lines left for the next load (a writer is still appending). */
  pending: number;
  bytes: number;
  ms: number;
  /** `file:line: reason` for corrupt lines (capped), and notes such as a file read again. */
  messages: string[];
  /** Paths given that do not exist. */
  missing: string[];
}

const INPUT_FILE = /\.(jsonl|ndjson|json)$/i;
// Bigger inserts make fewer parts (less merging later); two batches are in memory at once.
const DEFAULT_BATCH_ROWS = 100_000;
const DEFAULT_BATCH_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 100_000;
const MAX_MESSAGES = 100;
const NEWLINE = 0x0a;
const WORKER_MIN_BYTES = 8 * 1024 * 1024;
const MAX_WORKERS = 8;
const MAX_INSERTS = 16;

export function defaultInserts(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SST_INGEST_INSERTS);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_INSERTS) : 1;
}

/** Parser threads: with chDB one core stays for the insert, which runs in this process; a server
 *  inserts on its own cores. SST_INGEST_WORKERS overrides (0 parses on the main thread). */
export function defaultWorkers(store: Pick<Store, 'kind'>, env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const set = Number(env.SST_INGEST_WORKERS);
  if (env.SST_INGEST_WORKERS !== undefined && env.SST_INGEST_WORKERS !== '' && Number.isInteger(set) && set >= 0) return Math.min(set, MAX_WORKERS);
  return Math.max(1, Math.min(MAX_WORKERS, store.kind === 'chdb' ? cores - 1 : cores));
}

/** Expands directories (not recursively) into their OTLP-JSON files, sorted by name. */
export async function listInputFiles(paths: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try { st = await stat(abs); } catch { missing.push(p); continue; }
    if (st.isDirectory()) {
      const names = (await readdir(abs)).filter((n) => INPUT_FILE.test(n)).sort();
      for (const n of names) {
        if (files.length >= MAX_FILES) break;
        const f = join(abs, n);
        try { if ((await stat(f)).isFile()) files.push(f); } catch { /* vanished */ }
      }
    } else if (st.isFile() && files.length < MAX_FILES) {
      files.push(abs);
    }
  }
  return { files: [...new Set(files)], missing };
}

/** Remembers recent keys in two generations, so memory stays bounded on huge files. */
class KeyWindow {
  private current = new Set<string>();
  private previous = new Set<string>();
  constructor(private readonly half: number, seed: string[]) {
    for (const k of seed) this.current.add(k);
  }
  /** True when the key was already seen (and then it is not added again). */
  seen(key: string): boolean {
    if (this.current.has(key) || this.previous.has(key)) return true;
    if (this.current.size >= this.half) { this.previous = this.current; this.current = new Set(); }
    this.current.add(key);
    return false;
  }
}

/** A file being read. */
interface FileRun {
  path: string;
  state: FileState;
  window: KeyWindow;
}

interface Batch {
  /** Encoded rows; a second buffer is being inserted meanwhile. */
  rows: RowBuffer;
  touched: Map<string, FileState>;
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The saved state still describes this file: same device and inode, not shorter, same first bytes. */
async function stillSameFile(prev: FileState, path: string, device: string, inode: string, size: number): Promise<boolean> {
  if (prev.device !== device || prev.inode !== inode || prev.offset > size) return false;
  if (prev.headLength === 0) return prev.offset === 0;
  const head = await readHead(path, prev.headLength);
  return head.length === prev.headLength && headHash(head) === prev.headHash;
}

export async function ingest(store: Store, opts: IngestOptions): Promise<IngestStats> {
  const t0 = Date.now();
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const batchBytes = opts.batchBytes ?? DEFAULT_BATCH_BYTES;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  const maxLineBytes = opts.maxLineBytes ?? 64 * 1024 * 1024;
  const dedupeHalf = Math.max(1, Math.floor((opts.dedupeWindow ?? 500_000) / 2));
  const interval = opts.progressIntervalMs ?? 500;
  const stats: IngestStats = {
    files: 0, filesRead: 0, lines: 0, spans: 0, duplicates: 0, corrupt: 0, pending: 0, bytes: 0, ms: 0,
    messages: [], missing: [],
  };
  const note = (m: string): void => { if (stats.messages.length < MAX_MESSAGES) stats.messages.push(m); };

  await ensureStateTable(store);
  const states = await readStates(store);
  const { files, missing } = await listInputFiles(opts.paths);
  stats.files = files.length;
  stats.missing = missing;

  // Which files have new bytes, and from where.
  const work: Array<{ path: string; state: FileState; size: number }> = [];
  let bytesTotal = 0;
  for (const path of files) {
    let st;
    try { st = await stat(path, { bigint: true }); } catch { continue; }
    const size = Number(st.size);
    const device = st.dev.toString();
    const inode = st.ino.toString();
    const prev = states.get(path);
    let state: FileState = { path, device, inode, offset: 0, lines: 0, headHash: '', headLength: 0, lastKeys: [] };
    if (prev) {
      if (await stillSameFile(prev, path, device, inode, size)) state = { ...prev, lastKeys: [...prev.lastKeys] };
      else note(`${path}: changed since the last load (replaced or truncated); reading it again from the start`);
    }
    if (state.offset >= size) continue;
    work.push({ path, state, size });
    bytesTotal += size - state.offset;
  }

  const format = store.rowFormat;
  // Batch buffers sized for a whole batch up front: growing by doubling copies ~2× a batch, and
  // untouched capacity costs nothing.
  const capacity = Math.min(batchBytes + 2 * chunkBytes, Math.max(1 << 16, bytesTotal + 1024));
  const batch: Batch = { rows: rowBuffer(format, capacity), touched: new Map() };
  const freeBuffers: RowBuffer[] = [];
  let lastProgress = Date.now();
  let filesDone = 0;
  const progress = (force = false): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    opts.onProgress({ filesDone, filesTotal: work.length, bytesRead: stats.bytes, bytesTotal, spans: stats.spans, elapsedMs: now - t0 });
  };

  // Inserts run in chDB's threads (or on the server) while the next batch is parsed: one at a time
  // by default, up to `inserts` at once when asked (a server takes them on several cores). The state
  // of a batch is saved only after its rows are in and the batches before it are saved, so a failed
  // insert is loaded again later. With several at once, batches after a failed one may already be
  // in and are then loaded again too (the price of parallel inserts).
  const inserts = Math.max(1, Math.floor(opts.inserts ?? defaultInserts()));
  const running: Array<{ done: Promise<void>; rows: RowBuffer }> = [];
  let saved: Promise<void> = Promise.resolve();
  const commit = async (prevSaved: Promise<void>, encoded: RowBuffer, touched: FileState[]): Promise<void> => {
    if (encoded.rows > 0) {
      await store.insertEncoded(store.table, SPAN_COLUMNS, encoded.format, encoded.bytes());
      stats.spans += encoded.rows;
    }
    await prevSaved;
    for (const s of touched) {
      const len = Math.min(HEAD_BYTES, s.offset);
      if (len !== s.headLength || !s.headHash) {
        s.headLength = len;
        s.headHash = headHash(await readHead(s.path, len));
      }
    }
    if (touched.length) await saveStates(store, touched);
  };
  /** Waits for the oldest batch in flight; its buffer takes new rows. */
  const retireOldest = async (): Promise<void> => {
    const oldest = running[0];
    await oldest.done;
    running.shift();
    oldest.rows.reset();
    freeBuffers.push(oldest.rows);
  };
  const flush = async (): Promise<void> => {
    while (running.length >= inserts) await retireOldest();
    // Snapshots: the live states keep advancing while this batch is being inserted.
    const touched = [...batch.touched.values()].map((st) => ({ ...st, lastKeys: [...st.lastKeys] }));
    const full = batch.rows;
    batch.touched = new Map();
    const done = commit(saved, full, touched);
    // Marked handled here; the error surfaces where the batch is retired.
    done.catch(() => undefined);
    saved = done;
    running.push({ done, rows: full });
    // `full` stays untouched until its insert is done.
    batch.rows = freeBuffers.pop() ?? rowBuffer(format, capacity);
    progress();
  };

  // Parsing and encoding run in worker threads for big loads; this thread reads, keeps the
  // bookkeeping in file order and runs the inserts. Results are applied strictly in the order the
  // chunks were read, so line numbers, duplicates and offsets are exactly those of a serial load.
  const wanted = opts.workers ?? defaultWorkers(store);
  const encoder = await createEncoder(bytesTotal >= (opts.workerMinBytes ?? WORKER_MIN_BYTES) ? wanted : 0);
  const inline = encoder.workers ? inlineEncoder() : encoder;
  // Chunks read ahead of the one being applied: enough to keep every worker busy.
  const ahead = encoder.workers ? encoder.workers * 2 : 0;
  const queue: Array<Promise<() => Promise<void> | void>> = [];
  const enqueue = (step: Promise<() => Promise<void> | void>): void => {
    // Marked handled here; a failure surfaces when the step is awaited in order.
    step.catch(() => undefined);
    queue.push(step);
  };
  const drain = async (limit: number): Promise<void> => {
    while (queue.length > limit) {
      const apply = await queue.shift()!;
      await apply();
    }
  };
  // Read buffers own their ArrayBuffer (they travel to a worker and back) and are reused: fresh
  // multi-megabyte buffers per read cost page faults that also stall chDB's threads.
  const readPool: Buffer[] = [];
  const takeReadBuf = (min: number): Buffer => {
    for (let i = readPool.length - 1; i >= 0; i--) {
      if (readPool[i].length >= min) return readPool.splice(i, 1)[0];
    }
    return Buffer.allocUnsafeSlow(Math.max(min, chunkBytes));
  };
  const giveBack = (b: Buffer): void => { if (readPool.length < ahead + 4) readPool.push(b); };

  /** One encoded chunk of a file, in order: line numbers, corrupt lines, duplicates, rows, offset. */
  const applyChunk = async (file: FileRun, r: Encoded, endOffset: number, from: Encoder): Promise<void> => {
    const { outcome } = r;
    const { state } = file;
    const firstLine = state.lines;
    stats.lines += outcome.lines;
    state.lines += outcome.lines;
    for (const [i, reason] of outcome.corrupt) {
      stats.corrupt++;
      note(`${file.path}:${firstLine + i + 1}: ${reason}; line skipped`);
    }
    const keys = outcome.rows ? outcome.keys.split('\n') : [];
    let keep: Uint8Array | undefined;
    for (let i = 0; i < keys.length; i++) {
      if (file.window.seen(keys[i])) {
        stats.duplicates++;
        keep ??= new Uint8Array(keys.length).fill(1);
        keep[i] = 0;
      }
    }
    if (!keep) {
      batch.rows.append(r.out, 0, r.outLength, outcome.rows);
    } else {
      const ends = outcome.rowEnds;
      for (let i = 0; i < keys.length; i++) if (keep[i]) batch.rows.append(r.out, i ? ends[i - 1] : 0, ends[i], 1);
    }
    if (outcome.lastLineFirstRow >= 0) {
      state.lastKeys = keys.slice(outcome.lastLineFirstRow, outcome.lastLineFirstRow + Math.min(outcome.lastLineRows, MAX_LAST_KEYS));
    }
    state.offset = endOffset;
    batch.touched.set(file.path, state);
    giveBack(r.input);
    from.recycle(r.out);
    if (batch.rows.rows >= batchRows || batch.rows.length >= batchBytes) await flush();
    progress();
  };

  const chunkEncoder = encoder.workers ? encoder : inline;
  try {
    for (const { path, state, size } of work) {
      stats.filesRead++;
      const file: FileRun = { path, state, window: new KeyWindow(dedupeHalf, state.lastKeys) };
      const fh = await open(path, 'r');
      // Bytes of an unfinished line at the front of `buf`; the next read lands after them.
      let buf = takeReadBuf(chunkBytes);
      let have = 0;
      let skippingLongLine = false;
      try {
        let pos = state.offset;
        while (pos < size) {
          if (buf.length - have < chunkBytes) {
            const bigger = takeReadBuf(have + chunkBytes);
            buf.copy(bigger, 0, 0, have);
            giveBack(buf);
            buf = bigger;
          }
          const want = Math.min(chunkBytes, size - pos);
          const { bytesRead } = await fh.read(buf, have, want, pos);
          if (bytesRead <= 0) break;
          const end = have + bytesRead;
          const bufStart = pos - have;
          pos += bytesRead;
          stats.bytes += bytesRead;
          const lastNl = buf.lastIndexOf(NEWLINE, end - 1);
          if (lastNl < 0) {
            if (skippingLongLine) have = 0;
            else if (end > maxLineBytes) { skippingLongLine = true; have = 0; } else have = end;
          } else {
            let from = 0;
            if (skippingLongLine) {
              // The rest of an over-long line ends at the first newline.
              from = buf.indexOf(NEWLINE) + 1;
              skippingLongLine = false;
              enqueue(Promise.resolve(() => {
                stats.lines++;
                stats.corrupt++;
                state.lines++;
                batch.touched.set(path, state);
                note(`${path}:${state.lines}: line longer than ${maxLineBytes} bytes; line skipped`);
              }));
            }
            const restFrom = lastNl + 1;
            const rest = end - restFrom;
            // Offsets only at chunk ends: batches are flushed between chunks.
            const endOffset = bufStart + restFrom;
            // The unfinished tail moves to another buffer first: this one goes off to be encoded.
            let next: Buffer;
            if (rest > maxLineBytes) {
              skippingLongLine = true;
              have = 0;
              next = takeReadBuf(chunkBytes);
            } else {
              next = takeReadBuf(rest + chunkBytes);
              buf.copy(next, 0, restFrom, end);
              have = rest;
            }
            if (restFrom > from) {
              const encoded = chunkEncoder.encode(format, buf, from, restFrom);
              enqueue(encoded.then((r) => () => applyChunk(file, r, endOffset, chunkEncoder)));
            } else {
              giveBack(buf);
              enqueue(Promise.resolve(() => { state.offset = endOffset; batch.touched.set(path, state); }));
            }
            buf = next;
          }
          await drain(ahead);
          progress();
        }
      } finally {
        await fh.close();
      }
      // A last line without its newline: complete if it parses (a file written by another tool),
      // otherwise a writer is mid-line and it is left for the next load.
      if (have > 0 && !skippingLongLine) {
        let complete = false;
        try { JSON.parse(buf.toString('utf8', 0, have)); complete = true; } catch { /* unfinished */ }
        if (complete) {
          const line = Buffer.allocUnsafeSlow(have + 1);
          buf.copy(line, 0, 0, have);
          line[have] = NEWLINE;
          const encoded = inline.encode(format, line, 0, have + 1);
          enqueue(encoded.then((r) => () => applyChunk(file, r, size, inline)));
        } else {
          stats.pending++;
        }
      } else if (skippingLongLine) {
        stats.pending++;
      }
      giveBack(buf);
      enqueue(Promise.resolve(() => { filesDone++; }));
    }
    await drain(0);
    await flush();
    while (running.length) await retireOldest();
  } catch (e) {
    // Inserts already under way finish (or fail) before the load reports its error.
    await Promise.allSettled(running.map((r) => r.done));
    throw e;
  } finally {
    await encoder.close();
  }
  progress(true);
  stats.ms = Date.now() - t0;
  return stats;
}
