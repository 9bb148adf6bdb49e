// The loader's parse-and-encode step on its own: a chunk's outcome (lines, corrupt lines, keys,
// row boundaries, the last good line), worker threads giving exactly the inline bytes, and the
// RowBinary 64-bit numbers written without BigInt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeChunk } from './chunk-encoder';
import { createEncoder, inlineEncoder, type Encoded } from './encode-pool';
import { fixtureRequest, oneSpanRequest, spoolText } from './fixtures';
import { defaultWorkers } from './loader';
import { requestRows } from './otlp-rows';
import { RowBinaryBuffer, rowBuffer, type RowFormat } from './row-buffer';

const chunk = (): string => spoolText(oneSpanRequest(1), fixtureRequest())
  + '   \n'
  + '{"resourceSpans": [ broken\n'
  + spoolText(oneSpanRequest(2), oneSpanRequest(2))
  + '[1,2]\n';

/** Through JSON text, as the loader sees them (JSON.stringify writes the fixture's -0 as 0). */
const viaText = (r: object): object => JSON.parse(JSON.stringify(r)) as object;

function expectedBytes(format: RowFormat, requests: object[]): Buffer {
  const b = rowBuffer(format, 16);
  for (const r of requests) for (const row of requestRows(viaText(r)).rows) b.row(row);
  return Buffer.from(b.bytes());
}

test('a chunk: every line counted, corrupt ones by index, rows with keys and boundaries, the last good line', () => {
  const out = rowBuffer('RowBinary', 16);
  const o = encodeChunk(chunk(), out);
  const fixtureRows = requestRows(viaText(fixtureRequest())).rows;
  const one = requestRows(oneSpanRequest(1)).rows[0];
  const two = requestRows(oneSpanRequest(2)).rows[0];
  assert.equal(o.lines, 7);
  assert.deepEqual(o.corrupt, [[3, 'not valid JSON'], [6, 'not an OTLP trace export request (expected an object)']]);
  assert.equal(o.rows, 1 + fixtureRows.length + 2);
  assert.deepEqual(o.keys.split('\n'), [one, ...fixtureRows, two, two].map((r) => r.TraceId + r.SpanId));
  // The last line that parsed is the second copy of request 2: one row, the last.
  assert.deepEqual([o.lastLineFirstRow, o.lastLineRows], [o.rows - 1, 1]);
  assert.equal(o.rowEnds.length, o.rows);
  assert.equal(o.rowEnds[o.rows - 1], out.length);
  assert.deepEqual(Buffer.from(out.bytes()), expectedBytes('RowBinary', [oneSpanRequest(1), fixtureRequest(), oneSpanRequest(2), oneSpanRequest(2)]));
  // Each boundary ends one row: the bytes between two are that row alone.
  const single = rowBuffer('RowBinary', 16);
  single.row(fixtureRows[0]);
  assert.deepEqual(Buffer.from(out.bytes().subarray(o.rowEnds[0], o.rowEnds[1])), Buffer.from(single.bytes()));
});

test('a chunk with no good line', () => {
  const o = encodeChunk('\nnot json\n', rowBuffer('RowBinary', 16));
  assert.deepEqual([o.lines, o.rows, o.keys, o.lastLineFirstRow], [2, 0, '', -1]);
});

async function encodeAll(workers: number, format: RowFormat, text: string): Promise<Encoded[]> {
  const enc = workers ? await createEncoder(workers) : inlineEncoder();
  try {
    assert.equal(enc.workers, workers);
    const input = (): Buffer => {
      const b = Buffer.allocUnsafeSlow(text.length * 3 + 10);
      const n = b.write('xx' + text, 'utf8');
      return b.subarray(0, n);
    };
    // Several at once, so the workers share them out and answer out of order.
    const jobs = Array.from({ length: 6 }, () => {
      const b = input();
      return enc.encode(format, Buffer.from(b.buffer), 2, b.length);
    });
    return await Promise.all(jobs);
  } finally {
    await enc.close();
  }
}

test('worker threads encode exactly what this thread does, in both formats', async () => {
  for (const format of ['RowBinary', 'JSONEachRow'] as const) {
    const [inline] = await encodeAll(0, format, chunk());
    const want = Buffer.from(inline.out.subarray(0, inline.outLength));
    assert.deepEqual(want, expectedBytes(format, [oneSpanRequest(1), fixtureRequest(), oneSpanRequest(2), oneSpanRequest(2)]));
    const got = await encodeAll(2, format, chunk());
    for (const r of got) {
      assert.deepEqual(Buffer.from(r.out.subarray(0, r.outLength)), want);
      assert.deepEqual({ ...r.outcome, rowEnds: [...r.outcome.rowEnds] }, { ...inline.outcome, rowEnds: [...inline.outcome.rowEnds] });
      // The input comes back whole for reuse.
      assert.ok(r.input.byteLength >= chunk().length);
    }
  }
});

test('parser threads: one core left for chDB, all cores for a server, SST_INGEST_WORKERS overrides', () => {
  assert.equal(defaultWorkers({ kind: 'chdb' }, {}, 2), 1);
  assert.equal(defaultWorkers({ kind: 'chdb' }, {}, 1), 1);
  assert.equal(defaultWorkers({ kind: 'chdb' }, {}, 8), 7);
  assert.equal(defaultWorkers({ kind: 'server' }, {}, 4), 4);
  assert.equal(defaultWorkers({ kind: 'server' }, {}, 64), 8);
  assert.equal(defaultWorkers({ kind: 'chdb' }, { SST_INGEST_WORKERS: '0' }, 4), 0);
  assert.equal(defaultWorkers({ kind: 'chdb' }, { SST_INGEST_WORKERS: '3' }, 2), 3);
  assert.equal(defaultWorkers({ kind: 'chdb' }, { SST_INGEST_WORKERS: 'many' }, 4), 3);
});

test('RowBinary 64-bit numbers without BigInt: every width up to int64 max', () => {
  const values = ['0', '1', '4294967295', '4294967296', '999999999999999', '1000000000000000', '1000000000000000000',
    '4294967295999999999', '4294967296000000000', '9223372036854775807', '1764196000123456789'];
  let seed = 7;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let i = 0; i < 20_000; i++) {
    let s = String(1 + Math.floor(rnd() * 9));
    const digits = 16 + Math.floor(rnd() * 4);
    while (s.length < digits) s += Math.floor(rnd() * 10);
    if (BigInt(s) <= 9223372036854775807n) values.push(s);
  }
  const [base] = requestRows(fixtureRequest()).rows;
  const b = new RowBinaryBuffer(16);
  for (const v of values) {
    b.reset();
    b.row({ ...base, Timestamp: v });
    assert.equal(b.bytes().readBigUInt64LE(0).toString(), v);
  }
});
