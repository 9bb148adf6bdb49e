// Content-Encoding undo with zlib's synchronous API. Output is capped by the remaining byte budget
// (maxOutputLength), and truncated input (body cut at the capture limit) still yields its prefix
// thanks to a sync-flush finish instead of the default "unexpected end of file" error.
import * as zlib from 'node:zlib';
import { addError, reserveBytes, type DecodeContext } from './options';

export type Coding = 'gzip' | 'deflate' | 'br';

/** Worst-case deflate expansion (~1032:1), used to pick an input prefix that fits the budget. */
const DEFLATE_MAX_RATIO = 1100;

export function parseCoding(token: string): Coding | 'identity' | null {
  switch (token.trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return 'gzip';
    case 'deflate': return 'deflate';
    case 'br': return 'br';
    case '': case 'identity': return 'identity';
    default: return null;
  }
}

export function hasGzipMagic(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

function run(buf: Buffer, coding: Coding, maxOutputLength: number): Buffer {
  if (coding === 'br') {
    return zlib.brotliDecompressSync(buf, { maxOutputLength, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
  const opts: zlib.ZlibOptions = { maxOutputLength, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip') return zlib.gunzipSync(buf, opts);
  try {
    return zlib.inflateSync(buf, opts);
  } catch (err) {
    if (isTooLarge(err)) throw err;
    // `Content-Encoding: deflate` is often raw deflate without the zlib header
    return zlib.inflateRawSync(buf, opts);
  }
}

function isTooLarge(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
}

/**
 * Decompressed bytes, or null when undecodable (error recorded) or when not even a prefix fits the
 * byte budget (truncated set). A bomb yields the output of a budget-sized input prefix, truncated.
 */
export function decompress(ctx: DecodeContext, buf: Buffer, coding: Coding): Buffer | null {
  const budget = ctx.maxBytes - ctx.bytesUsed;
  if (budget <= 0) {
    ctx.truncated = true;
    return null;
  }
  let out: Buffer;
  try {
    out = run(buf, coding, budget);
  } catch (err) {
    if (!isTooLarge(err)) {
      addError(ctx, `undecodable ${coding} body`);
      return null;
    }
    ctx.truncated = true;
    const prefix = Math.max(16, Math.floor(budget / DEFLATE_MAX_RATIO));
    try {
      out = run(buf.subarray(0, Math.min(prefix, buf.length)), coding, budget);
    } catch {
      return null;
    }
  }
  if (!reserveBytes(ctx, out.length)) return null;
  return out;
}
