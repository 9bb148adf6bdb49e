// OTLP-JSON lines (our spool, or the collector `file` exporter's output) → otel_traces, in batches.
// Incremental: per file, only the bytes after the last complete line already loaded are read
// (sst_ingest_state), so loading twice inserts nothing twice. A span seen again within a load (the
// spool may write its in-flight line twice at exit) is skipped by (TraceId, SpanId). A corrupt line
// is reported with file and line number, skipped, and the rest loads.
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Store } from './client';
import { ensureStateTable, headHash, HEAD_BYTES, MAX_LAST_KEYS, readStates, saveStates, type FileState } from './ingest-state';
import { requestRows } from './otlp-rows';
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
const WHITESPACE_ONLY = /^\s*$/;

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

function grownKeeping(buf: Buffer, keep: number, size: number): Buffer {
  const next = Buffer.allocUnsafe(size);
  buf.copy(next, 0, 0, keep);
  return next;
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

  const batch: Batch = { rows: rowBuffer(store.rowFormat), touched: new Map() };
  // One read buffer for the whole load (fresh multi-megabyte buffers per read cost page faults
  // that also stall chDB's threads); it grows only for a line longer than a chunk.
  let readBuf: Buffer = Buffer.allocUnsafe(chunkBytes);
  let spare = rowBuffer(store.rowFormat);
  let lastProgress = Date.now();
  let filesDone = 0;
  const progress = (force = false): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    opts.onProgress({ filesDone, filesTotal: work.length, bytesRead: stats.bytes, bytesTotal, spans: stats.spans, elapsedMs: now - t0 });
  };

  // One INSERT runs in chDB's thread (or on the server) while the next batch is parsed here; the
  // state of a batch is saved only after its rows are in, so a failed insert is loaded again later.
  let inflight: Promise<void> = Promise.resolve();
  const commit = async (prev: Promise<void>, encoded: RowBuffer, touched: FileState[]): Promise<void> => {
    await prev;
    if (encoded.rows > 0) {
      await store.insertEncoded(store.table, SPAN_COLUMNS, encoded.format, encoded.bytes());
      stats.spans += encoded.rows;
    }
    for (const s of touched) {
      const len = Math.min(HEAD_BYTES, s.offset);
      if (len !== s.headLength || !s.headHash) {
        s.headLength = len;
        s.headHash = headHash(await readHead(s.path, len));
      }
    }
    if (touched.length) await saveStates(store, touched);
  };
  const flush = async (): Promise<void> => {
    // Snapshots: the live states keep advancing while this batch is being inserted.
    const touched = [...batch.touched.values()].map((st) => ({ ...st, lastKeys: [...st.lastKeys] }));
    const full = batch.rows;
    batch.touched = new Map();
    const prev = inflight;
    inflight = commit(prev, full, touched);
    // Marked handled here; the error still surfaces where `inflight` is awaited.
    inflight.catch(() => undefined);
    await prev;
    // The previous batch is in, so its buffer takes the next rows; `full` stays untouched until
    // its own insert is done (awaited at the next flush).
    spare.reset();
    batch.rows = spare;
    spare = full;
    progress();
  };

  for (const { path, state, size } of work) {
    stats.filesRead++;
    const window = new KeyWindow(dedupeHalf, state.lastKeys);

    /** One complete line, without its newline. */
    const takeLine = (text: string): void => {
      stats.lines++;
      const lineNo = state.lines + 1;
      state.lines = lineNo;
      if (WHITESPACE_ONLY.test(text)) return;
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch {
        // The parser's message quotes the input, which may hold personal data: say only where.
        stats.corrupt++;
        note(`${path}:${lineNo}: not valid JSON; line skipped`);
        return;
      }
      const { rows, error } = requestRows(parsed);
      if (error) {
        stats.corrupt++;
        note(`${path}:${lineNo}: ${error}; line skipped`);
        return;
      }
      const keys: string[] = [];
      for (const row of rows) {
        const key = row.TraceId + row.SpanId;
        if (keys.length < MAX_LAST_KEYS) keys.push(key);
        if (window.seen(key)) { stats.duplicates++; continue; }
        batch.rows.row(row);
      }
      state.lastKeys = keys;
    };

    const fh = await open(path, 'r');
    try {
      let pos = state.offset;
      // Bytes of an unfinished line kept at the front of readBuf; the next read lands after them.
      let have = 0;
      let skippingLongLine = false;
      while (pos < size) {
        if (readBuf.length - have < chunkBytes) readBuf = grownKeeping(readBuf, have, have + chunkBytes);
        const want = Math.min(chunkBytes, size - pos);
        const { bytesRead } = await fh.read(readBuf, have, want, pos);
        if (bytesRead <= 0) break;
        const end = have + bytesRead;
        const chunkStart = pos - have;
        pos += bytesRead;
        stats.bytes += bytesRead;
        const lastNl = readBuf.lastIndexOf(NEWLINE, end - 1);
        let restFrom = 0;
        if (lastNl >= 0) {
          let from = 0;
          if (skippingLongLine) {
            // The rest of an over-long line ends at the first newline.
            const nl = readBuf.indexOf(NEWLINE);
            skippingLongLine = false;
            stats.lines++;
            stats.corrupt++;
            state.lines++;
            batch.touched.set(path, state);
            note(`${path}:${state.lines}: line longer than ${maxLineBytes} bytes; line skipped`);
            from = nl + 1;
          }
          // Decode all complete lines at once ('\n' never occurs inside a UTF-8 sequence) and cut
          // the string: far cheaper than decoding line by line.
          const text = readBuf.toString('utf8', from, lastNl + 1);
          let start = 0;
          for (;;) {
            const nl = text.indexOf('\n', start);
            if (nl < 0) break;
            takeLine(text.slice(start, nl));
            start = nl + 1;
          }
          // Offsets only at chunk ends: batches are flushed between chunks.
          state.offset = chunkStart + lastNl + 1;
          batch.touched.set(path, state);
          restFrom = lastNl + 1;
        }
        const rest = end - restFrom;
        if (skippingLongLine) {
          have = 0;
        } else if (rest > maxLineBytes) {
          skippingLongLine = true;
          have = 0;
        } else {
          readBuf.copyWithin(0, restFrom, end);
          have = rest;
        }
        if (batch.rows.rows >= batchRows || batch.rows.length >= batchBytes) await flush();
        progress();
      }
      const carry = readBuf.subarray(0, have);
      // A last line without its newline: complete if it parses (a file written by another tool),
      // otherwise a writer is mid-line and it is left for the next load.
      if (carry.length && !skippingLongLine) {
        const text = carry.toString('utf8');
        let complete = false;
        try { JSON.parse(text); complete = true; } catch { /* unfinished */ }
        if (complete) {
          takeLine(text);
          state.offset = size;
          batch.touched.set(path, state);
        } else {
          stats.pending++;
        }
      } else if (skippingLongLine) {
        stats.pending++;
      }
    } finally {
      await fh.close();
    }
    filesDone++;
  }
  await flush();
  await inflight;
  progress(true);
  stats.ms = Date.now() - t0;
  return stats;
}
