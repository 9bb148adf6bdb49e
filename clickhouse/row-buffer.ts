// A batch of otel_traces rows, encoded as they are mapped into one growing off-heap buffer, so
// the V8 heap never holds a batch (joining 100 000 row strings and re-encoding them made garbage
// collection the largest cost of a load; writing each row into a Buffer is ~10× cheaper).
//   * RowBinary (chDB): ClickHouse reads it with less work than JSON, and no escaping is needed.
//     Strings as UTF-8 (already well-formed), maps in their original order with duplicates,
//     DateTime64(9) and UInt64 as little-endian ticks: the same values `rowJson` spells out.
//   * JSONEachRow (a ClickHouse server, whose HTTP client path takes text): `rowJson` lines.
import { rowJson, type Pairs, type SpanRow } from './otlp-rows';

export type RowFormat = 'RowBinary' | 'JSONEachRow';

export interface RowBuffer {
  readonly format: RowFormat;
  /** Bytes written. */
  readonly length: number;
  /** Rows written. */
  readonly rows: number;
  row(r: SpanRow): void;
  /** Rows already encoded in this format (bytes `start`..`end` of `src`). */
  append(src: Uint8Array, start: number, end: number, rows: number): void;
  /** The rows so far (a view: valid until the next write or reset). */
  bytes(): Buffer;
  reset(): void;
  /** Writes from now on go into `buf` (emptied first); for handing buffers between threads. */
  adopt(buf: Buffer): void;
  /** The whole backing buffer (rows in its first `length` bytes). */
  backing(): Buffer;
}

export function rowBuffer(format: RowFormat, capacity?: number): RowBuffer {
  return format === 'RowBinary' ? new RowBinaryBuffer(capacity) : new JsonRowsBuffer(capacity);
}

/** Grows by doubling; old contents copied. allocUnsafeSlow: every backing buffer owns its
 *  ArrayBuffer, so it can be handed to another thread (a pooled slice cannot). */
function grown(buf: Buffer, used: number, need: number): Buffer {
  const next = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
  buf.copy(next, 0, 0, used);
  return next;
}

/** The exporter's 22 insert columns, in its order, with their types (the RowBinary structure). */
export const SPAN_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['Timestamp', 'DateTime64(9)'],
  ['TraceId', 'String'],
  ['SpanId', 'String'],
  ['ParentSpanId', 'String'],
  ['TraceState', 'String'],
  ['SpanName', 'LowCardinality(String)'],
  ['SpanKind', 'LowCardinality(String)'],
  ['ServiceName', 'LowCardinality(String)'],
  ['ResourceAttributes', 'Map(LowCardinality(String), String)'],
  ['ScopeName', 'String'],
  ['ScopeVersion', 'String'],
  ['SpanAttributes', 'Map(LowCardinality(String), String)'],
  ['Duration', 'UInt64'],
  ['StatusCode', 'LowCardinality(String)'],
  ['StatusMessage', 'String'],
  ['Events.Timestamp', 'Array(DateTime64(9))'],
  ['Events.Name', 'Array(LowCardinality(String))'],
  ['Events.Attributes', 'Array(Map(LowCardinality(String), String))'],
  ['Links.TraceId', 'Array(String)'],
  ['Links.SpanId', 'Array(String)'],
  ['Links.TraceState', 'Array(String)'],
  ['Links.Attributes', 'Array(Map(LowCardinality(String), String))'],
];

const TWO_32 = 4294967296;
/** Strings up to this length are copied byte by byte when ASCII (length prefix: one byte). */
const ASCII_LOOP = 64;

/** The growing byte buffer both encodings write into, reused across batches. */
abstract class GrowingBuffer {
  protected buf: Buffer;
  /** Bytes written. */
  length = 0;
  /** Rows written. */
  rows = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
    this.rows = 0;
  }

  adopt(buf: Buffer): void {
    this.buf = buf;
    this.reset();
  }

  backing(): Buffer {
    return this.buf;
  }

  append(src: Uint8Array, start: number, end: number, rows: number): void {
    this.room(end - start);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += end - start;
    this.rows += rows;
  }

  protected room(n: number): void {
    if (this.length + n > this.buf.length) this.buf = grown(this.buf, this.length, this.length + n);
  }
}

export class RowBinaryBuffer extends GrowingBuffer implements RowBuffer {
  readonly format = 'RowBinary' as const;
  // Spans of one resource share the same pairs array: its bytes are encoded once and copied.
  private lastResource: Pairs | undefined;
  private resourceBytes: Buffer = Buffer.alloc(0);


  private varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.length++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.length++] = n;
  }

  private count(n: number): void {
    this.room(10);
    this.varint(n);
  }

  private str(s: string): void {
    const n = s.length;
    if (n <= ASCII_LOOP) {
      // Most strings are short ASCII (ids, keys, names): a byte loop beats a call into C++.
      this.room(n + 1);
      const buf = this.buf;
      const at = this.length + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[at - 1] = n;
        this.length = at + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.room(bytes + 10);
    this.varint(bytes);
    this.length += this.buf.write(s, this.length, bytes, 'utf8');
  }

  /** Unsigned decimal text (≤ int64 max, as nanosText makes it) → 8 bytes little-endian. */
  private u64(text: string): void {
    this.room(8);
    const n = text.length;
    let lo: number;
    let hi: number;
    if (n <= 15) {
      const v = Number(text);
      lo = v % TWO_32;
      hi = Math.floor(v / TWO_32);
    } else {
      // Nanosecond timestamps have 19 digits, past a double's exact range, and a BigInt per value
      // is slow. v = h·10⁹ + l with h < 2³⁴, h = hh·2¹⁶ + hl: every product below stays under 2⁵³.
      const h = Number(text.slice(0, n - 9));
      const l = Number(text.slice(n - 9));
      const hh = Math.floor(h / 65536);
      const a = (h % 65536) * 1e9 + l;
      const b = hh * 1e9;
      const low = (a % TWO_32) + (b % 65536) * 65536;
      lo = low % TWO_32;
      hi = Math.floor(a / TWO_32) + Math.floor(b / 65536) + Math.floor(low / TWO_32);
    }
    const buf = this.buf;
    const at = this.length;
    buf[at] = lo & 0xff;
    buf[at + 1] = (lo >>> 8) & 0xff;
    buf[at + 2] = (lo >>> 16) & 0xff;
    buf[at + 3] = lo >>> 24;
    buf[at + 4] = hi & 0xff;
    buf[at + 5] = (hi >>> 8) & 0xff;
    buf[at + 6] = (hi >>> 16) & 0xff;
    buf[at + 7] = hi >>> 24;
    this.length = at + 8;
  }

  private map(p: Pairs): void {
    this.count(p.length);
    for (let i = 0; i < p.length; i++) {
      this.str(p[i][0]);
      this.str(p[i][1]);
    }
  }

  private strings(a: string[]): void {
    this.count(a.length);
    for (let i = 0; i < a.length; i++) this.str(a[i]);
  }

  private maps(a: Pairs[]): void {
    this.count(a.length);
    for (let i = 0; i < a.length; i++) this.map(a[i]);
  }

  private resource(p: Pairs): void {
    if (p !== this.lastResource) {
      const start = this.length;
      this.map(p);
      this.lastResource = p;
      this.resourceBytes = Buffer.from(this.buf.subarray(start, this.length));
      return;
    }
    const b = this.resourceBytes;
    this.room(b.length);
    // TypedArray.set: a copy without Buffer.copy's call into C++ (which costs more than the copy).
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** One row in SPAN_COLUMNS order. */
  row(r: SpanRow): void {
    this.u64(r.Timestamp);
    this.str(r.TraceId);
    this.str(r.SpanId);
    this.str(r.ParentSpanId);
    this.str(r.TraceState);
    this.str(r.SpanName);
    this.str(r.SpanKind);
    this.str(r.ServiceName);
    this.resource(r.ResourceAttributes);
    this.str(r.ScopeName);
    this.str(r.ScopeVersion);
    this.map(r.SpanAttributes);
    this.u64(r.Duration);
    this.str(r.StatusCode);
    this.str(r.StatusMessage);
    this.count(r.EventsTimestamp.length);
    for (let i = 0; i < r.EventsTimestamp.length; i++) this.u64(r.EventsTimestamp[i]);
    this.strings(r.EventsName);
    this.maps(r.EventsAttributes);
    this.strings(r.LinksTraceId);
    this.strings(r.LinksSpanId);
    this.strings(r.LinksTraceState);
    this.maps(r.LinksAttributes);
    this.rows++;
  }
}

/** JSONEachRow lines (`rowJson`), each written into the buffer as soon as it is made. */
export class JsonRowsBuffer extends GrowingBuffer implements RowBuffer {
  readonly format = 'JSONEachRow' as const;

  row(r: SpanRow): void {
    const line = rowJson(r);
    this.room(line.length * 3 + 1);
    this.length += this.buf.write(line, this.length, 'utf8');
    this.buf[this.length++] = 0x0a;
    this.rows++;
  }
}
