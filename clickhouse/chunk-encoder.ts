// One chunk of complete OTLP-JSON lines → encoded otel_traces rows, plus what the loader needs to
// keep its bookkeeping in file order: how many lines, which were corrupt (by index, never quoting
// content), each row's (TraceId, SpanId) key and end offset (so a duplicate can be cut out
// afterwards) and which rows the last good line produced (the file's `lastKeys`). Pure and
// synchronous: it runs in a worker thread, or inline for small loads.
import { requestRows } from './otlp-rows';
import type { RowBuffer } from './row-buffer';

export interface ChunkOutcome {
  /** Complete lines in the chunk (blank and corrupt ones included). */
  lines: number;
  rows: number;
  /** Per corrupt line: its index in the chunk (0-based) and why it was skipped. */
  corrupt: Array<[number, string]>;
  /** `TraceId + SpanId` of each row, '\n'-separated, in row order. */
  keys: string;
  /** Byte offset after each row in the encoded output. */
  rowEnds: Uint32Array;
  /** Rows of the last line that parsed (first row, count); -1 when no line parsed. */
  lastLineFirstRow: number;
  lastLineRows: number;
}

const WHITESPACE_ONLY = /^\s*$/;
/** What an encoder worker posts once its modules have loaded. */
export const WORKER_READY = 'ready';

/** Encodes every '\n'-terminated line of `text` (which ends right after its last newline) into
 *  `out` (appending). */
export function encodeChunk(text: string, out: RowBuffer): ChunkOutcome {
  const corrupt: Array<[number, string]> = [];
  const keys: string[] = [];
  let ends = new Uint32Array(1024);
  let rows = 0;
  let lines = 0;
  let lastLineFirstRow = -1;
  let lastLineRows = 0;
  const base = out.length;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = text.slice(start, nl);
    start = nl + 1;
    const index = lines++;
    if (WHITESPACE_ONLY.test(line)) continue;
    let parsed: unknown;
    try { parsed = JSON.parse(line); } catch {
      // The parser's message quotes the input, which may hold personal data: say only where.
      corrupt.push([index, 'not valid JSON']);
      continue;
    }
    const { rows: spanRows, error } = requestRows(parsed);
    if (error) {
      corrupt.push([index, error]);
      continue;
    }
    lastLineFirstRow = rows;
    lastLineRows = spanRows.length;
    for (const row of spanRows) {
      keys.push(row.TraceId + row.SpanId);
      out.row(row);
      if (rows === ends.length) {
        const next = new Uint32Array(ends.length * 2);
        next.set(ends);
        ends = next;
      }
      ends[rows++] = out.length - base;
    }
  }
  return { lines, rows, corrupt, keys: keys.join('\n'), rowEnds: ends.subarray(0, rows), lastLineFirstRow, lastLineRows };
}
