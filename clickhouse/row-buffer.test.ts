import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureRequest } from './fixtures';
import { requestRows, rowJson, type Pairs, type SpanRow } from './otlp-rows';
import { JsonRowsBuffer, RowBinaryBuffer, SPAN_COLUMNS } from './row-buffer';

/** A RowBinary reader for the SPAN_COLUMNS layout, written from the format's definition. */
function readRows(buf: Buffer): SpanRow[] {
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[at++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  };
  const str = (): string => {
    const len = varint();
    const s = buf.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  const u64 = (): string => {
    const v = buf.readBigUInt64LE(at);
    at += 8;
    return v.toString();
  };
  const list = <T>(item: () => T): T[] => Array.from({ length: varint() }, item);
  const map = (): Pairs => list(() => [str(), str()] as [string, string]);
  const out: SpanRow[] = [];
  while (at < buf.length) {
    out.push({
      Timestamp: u64(), TraceId: str(), SpanId: str(), ParentSpanId: str(), TraceState: str(), SpanName: str(),
      SpanKind: str(), ServiceName: str(), ResourceAttributes: map(), ScopeName: str(), ScopeVersion: str(),
      SpanAttributes: map(), Duration: u64(), StatusCode: str(), StatusMessage: str(),
      EventsTimestamp: list(u64), EventsName: list(str), EventsAttributes: list(map),
      LinksTraceId: list(str), LinksSpanId: list(str), LinksTraceState: list(str), LinksAttributes: list(map),
    });
  }
  return out;
}

test('RowBinary rows decode back to the mapped rows (every value type, events, links)', () => {
  const rows = requestRows(fixtureRequest()).rows;
  assert.ok(rows.length > 3);
  const b = new RowBinaryBuffer(16); // tiny: growth on the way
  for (const r of rows) b.row(r);
  assert.equal(b.rows, rows.length);
  assert.deepEqual(readRows(b.bytes()), rows);
});

test('RowBinary: long and non-ASCII strings, 64-bit timestamps, repeated resources, reset', () => {
  const [base] = requestRows(fixtureRequest()).rows;
  const resource: Pairs = [['service.name', 'ä-svc'], ['k', 'v']];
  const long = 'x'.repeat(130) + 'é';
  const row: SpanRow = {
    ...base, ResourceAttributes: resource, Timestamp: '9223372036854775807', Duration: '123',
    SpanName: 'naïve café ' + '€'.repeat(40), StatusMessage: long, SpanAttributes: [['emoji', '😀'], ['empty', ''], ['dup', '1'], ['dup', '2']],
    EventsTimestamp: ['1700000000123456789', '0'], EventsName: ['a', 'b'], EventsAttributes: [[], [['k', 'v']]],
  };
  const b = new RowBinaryBuffer(8);
  b.row(row);
  b.row({ ...row, SpanId: 'ffffffffffffff01' }); // same resource array: copied bytes
  const back = readRows(b.bytes());
  assert.deepEqual(back, [row, { ...row, SpanId: 'ffffffffffffff01' }]);
  // A string of more than 127 bytes takes a two-byte length prefix.
  assert.ok(Buffer.byteLength(long) > 127);
  b.reset();
  assert.equal(b.length, 0);
  b.row(base);
  assert.deepEqual(readRows(b.bytes()), [base]);
});

test('the JSONEachRow buffer holds exactly the rowJson lines', () => {
  const rows = requestRows(fixtureRequest()).rows;
  const b = new JsonRowsBuffer(4);
  for (const r of rows) b.row(r);
  assert.equal(b.rows, rows.length);
  assert.equal(b.bytes().toString('utf8'), rows.map(rowJson).join('\n') + '\n');
});

test('SPAN_COLUMNS are the exporter insert columns in order', () => {
  assert.deepEqual(SPAN_COLUMNS.map(([n]) => n), [
    'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName',
    'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage',
    'Events.Timestamp', 'Events.Name', 'Events.Attributes', 'Links.TraceId', 'Links.SpanId', 'Links.TraceState', 'Links.Attributes',
  ]);
});
