// Worker thread of the ingest encoder pool (encode-pool.ts): decodes a chunk of complete lines,
// maps and encodes them, and hands both buffers back (transferred, not copied).
import { parentPort } from 'node:worker_threads';
import { encodeChunk, WORKER_READY } from './chunk-encoder';
import { rowBuffer, type RowBuffer, type RowFormat } from './row-buffer';

export interface EncodeJob {
  id: number;
  format: RowFormat;
  input: ArrayBuffer;
  start: number;
  end: number;
  /** A spare output buffer to write into (the main thread's recycled one), if any. */
  out?: ArrayBuffer;
  /** Output capacity to allocate when no spare fits. */
  outBytes: number;
}

const buffers = new Map<RowFormat, RowBuffer>();

function outputFor(job: EncodeJob): RowBuffer {
  let rb = buffers.get(job.format);
  if (!rb) {
    rb = rowBuffer(job.format, 1024);
    buffers.set(job.format, rb);
  }
  // The previous output was transferred away (its memory is gone from this thread).
  rb.adopt(job.out ? Buffer.from(job.out) : Buffer.allocUnsafeSlow(job.outBytes));
  return rb;
}

/** A buffer that owns its whole ArrayBuffer, as transfer needs. */
function own(buf: Buffer): ArrayBuffer {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return buf.buffer as ArrayBuffer;
  const copy = Buffer.allocUnsafeSlow(buf.length);
  buf.copy(copy);
  return copy.buffer as ArrayBuffer;
}

parentPort?.on('message', (job: EncodeJob) => {
  try {
    const text = Buffer.from(job.input).toString('utf8', job.start, job.end);
    const rb = outputFor(job);
    const outcome = encodeChunk(text, rb);
    const out = own(rb.backing());
    parentPort!.postMessage({ id: job.id, outcome, input: job.input, out, outLength: rb.length }, [job.input, out, outcome.rowEnds.buffer as ArrayBuffer]);
  } catch (e) {
    // A bug, not bad input (bad input is reported per line): fail the load with one clear line.
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e), input: job.input }, [job.input]);
  }
});

parentPort?.postMessage(WORKER_READY);
