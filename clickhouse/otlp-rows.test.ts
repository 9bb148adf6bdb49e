// Schema test, part 1: the rows our loader builds equal the rows spelled out by hand from the
// clickhouseexporter's mapping (fixtures.ts). Part 2 (the same rows read back from ClickHouse) is in
// store.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedRows, fixtureRequest } from './fixtures';
import { idHex, nanosText, requestRows, rowJson, spanKindText, statusCodeText } from './otlp-rows';

test('fixture request → exactly the exporter rows (every attribute type, events, links, kinds, statuses)', () => {
  const { rows, error } = requestRows(fixtureRequest());
  assert.equal(error, undefined);
  const want = expectedRows();
  assert.equal(rows.length, want.length);
  for (let i = 0; i < want.length; i++) assert.deepEqual(rows[i], want[i], `row ${i} (${want[i].SpanId})`);
});

test('kind and status names are pdata String() names; unknown numbers give ""', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map((k) => spanKindText(k)), ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer', '']);
  assert.equal(spanKindText('SPAN_KIND_SERVER'), 'Server');
  assert.deepEqual([0, 1, 2, 7].map((c) => statusCodeText(c)), ['Unset', 'Ok', 'Error', '']);
  assert.equal(statusCodeText('STATUS_CODE_ERROR'), 'Error');
});

test('ids: lowercase hex, empty for missing or all-zero, a bad id rejects the request', () => {
  assert.equal(idHex('ABCDEF0123456789', 8, 'span id'), 'abcdef0123456789');
  assert.equal(idHex('0000000000000000', 8, 'span id'), '');
  assert.equal(idHex(undefined, 8, 'span id'), '');
  const bad = requestRows({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: '0102030405060708' }] }] }] });
  assert.equal(bad.rows.length, 0);
  assert.match(bad.error ?? '', /invalid trace id/);
});

test('timestamps: nanosecond text kept exactly, capped at int64', () => {
  assert.equal(nanosText('1795716540819000001'), '1795716540819000001');
  assert.equal(nanosText(5), '5');
  assert.equal(nanosText('99999999999999999999'), '9223372036854775807');
  assert.throws(() => nanosText('12a'));
});

test('not a request: a clear error, no rows', () => {
  assert.match(requestRows([1, 2]).error ?? '', /expected an object/);
  assert.match(requestRows({ resourceSpans: 3 }).error ?? '', /not a list/);
  assert.deepEqual(requestRows({}), { rows: [] });
});

test('rowJson writes maps in order with duplicates, timestamps as integer ticks, nested columns by name', () => {
  const [row] = requestRows(fixtureRequest()).rows;
  const line = rowJson({ ...row, SpanAttributes: [['b', '1'], ['a', 'x"y'], ['b', '2']] });
  assert.ok(line.startsWith(`{"Timestamp":${row.Timestamp},"TraceId":"${row.TraceId}"`));
  assert.ok(line.includes('"SpanAttributes":{"b":"1","a":"x\\"y","b":"2"}'));
  assert.ok(line.includes(`"Events.Timestamp":[${row.EventsTimestamp.join(',')}]`));
  assert.ok(line.includes('"Links.Attributes":[]'));
  // Parses as JSON (the duplicate key collapses in JS, not in ClickHouse).
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed.SpanKind, 'Server');
  assert.equal(Object.keys(parsed).length, 22);
});
