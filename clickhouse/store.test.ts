// chDB tests: DDL generations, the schema test against the database, the incremental loader, the
// SST views on a table created the collector's way, and the CLI queries. chDB binds one data
// directory per process, so every test here uses the same directory (one database per test).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreError, type Store } from './client';
import { expectedRows, FP_EMAIL, FP_NAME, fixtureRequest, oneSpanRequest, spoolText, SPAN_SHARE, TRACE_A } from './fixtures';
import { ingest } from './loader';
import { requestRows, rowJson, type SpanRow } from './otlp-rows';
import { SPAN_COLUMNS } from './row-buffer';
import { lineage, lineageSpans, report, shares } from './queries';
import { ensureSchema, schemaStatements } from './schema';

const root = mkdtempSync(join(tmpdir(), 'sst-store-test-'));
const dir = join(root, 'clickhouse');
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

async function storeFor(database: string, generation: 'bloom' | 'textindex' = 'bloom', schema = true): Promise<Store> {
  const s = await openStore({ dir, database, create: true }, {});
  stores.push(s);
  if (schema) await ensureSchema(s, { database, table: s.table }, generation);
  return s;
}

const EXPORTER_COLUMNS = [
  'Timestamp DateTime64(9)', 'TraceId String', 'SpanId String', 'ParentSpanId String', 'TraceState String',
  'SpanName LowCardinality(String)', 'SpanKind LowCardinality(String)', 'ServiceName LowCardinality(String)',
  'ResourceAttributes Map(LowCardinality(String), String)', 'ScopeName String', 'ScopeVersion String',
  'SpanAttributes Map(LowCardinality(String), String)', 'Duration UInt64', 'StatusCode LowCardinality(String)',
  'StatusMessage String', 'Events.Timestamp Array(DateTime64(9))', 'Events.Name Array(LowCardinality(String))',
  'Events.Attributes Array(Map(LowCardinality(String), String))', 'Links.TraceId Array(String)', 'Links.SpanId Array(String)',
  'Links.TraceState Array(String)', 'Links.Attributes Array(Map(LowCardinality(String), String))',
];

test('both DDL generations create the exporter table, lookup table and view; they differ only in indexes', async () => {
  const indexes: Record<string, string[]> = {};
  for (const gen of ['bloom', 'textindex'] as const) {
    const db = `gen_${gen}`;
    const s = await storeFor(db, gen);
    const cols = await s.query<{ c: string }>(
      `SELECT concat(name, ' ', type) AS c FROM system.columns WHERE database = {db:String} AND table = 'otel_traces' AND default_kind = '' ORDER BY position`, { db });
    assert.deepEqual(cols.map((r) => r.c), EXPORTER_COLUMNS, gen);
    // The loader's RowBinary batches are laid out by these names and types.
    assert.deepEqual(SPAN_COLUMNS.map(([n, t]) => `${n} ${t}`), EXPORTER_COLUMNS);
    const aliases = await s.query<{ name: string }>(`SELECT name FROM system.columns WHERE database = {db:String} AND table = 'otel_traces' AND default_kind = 'ALIAS' ORDER BY name`, { db });
    assert.deepEqual(aliases.map((r) => r.name), ['ResourceAttributeItems', 'SpanAttributeItems']);
    const tables = await s.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name`, { db });
    assert.deepEqual(tables.map((r) => r.name), ['otel_traces', 'otel_traces_trace_id_ts', 'otel_traces_trace_id_ts_mv', 'sst_errors', 'sst_fingerprint_flows', 'sst_flows', 'sst_lineage', 'sst_shares']);
    const idx = await s.query<{ i: string }>(`SELECT concat(name, ' ', type_full) AS i FROM system.data_skipping_indices WHERE database = {db:String} AND table = 'otel_traces' AND name NOT LIKE 'idx_sst%' ORDER BY name`, { db });
    indexes[gen] = idx.map((r) => r.i);
    const key = await s.query<{ sorting_key: string; primary_key: string }>(`SELECT sorting_key, primary_key FROM system.tables WHERE database = {db:String} AND name = 'otel_traces'`, { db });
    assert.equal(key[0].primary_key, 'ServiceName, SpanName, toDateTime(Timestamp)');
    assert.equal(key[0].sorting_key, 'ServiceName, SpanName, toDateTime(Timestamp), Timestamp');
  }
  assert.deepEqual(indexes.bloom, [
    'idx_duration minmax', 'idx_res_attr_key bloom_filter(0.01)', 'idx_res_attr_value bloom_filter(0.01)',
    'idx_span_attr_key bloom_filter(0.01)', 'idx_span_attr_value bloom_filter(0.01)', 'idx_trace_id bloom_filter(0.001)',
  ]);
  assert.deepEqual(indexes.textindex.map((i) => i.split(' ')[0]), [
    'idx_duration', 'idx_res_attr_items', 'idx_res_attr_key', 'idx_span_attr_items', 'idx_span_attr_key', 'idx_trace_id',
  ]);
  assert.ok(indexes.textindex.filter((i) => i.includes("text(tokenizer = 'array')")).length === 5, indexes.textindex.join('; '));
});

test('DDL templates render the exporter TTL rule, cluster and engine', () => {
  const days = schemaStatements('bloom', { database: 'otel', table: 'otel_traces', ttlSeconds: 72 * 3600 }).join('\n');
  assert.match(days, /TTL toDateTime\(Timestamp\) \+ toIntervalDay\(3\)/);
  assert.match(days, /TTL toDateTime\(Start\) \+ toIntervalDay\(3\)/);
  const mins = schemaStatements('textindex', { database: 'o', table: 't', ttlSeconds: 5400, cluster: 'c1', engine: "ReplicatedMergeTree('/t/{shard}', '{replica}')" }).join('\n');
  assert.match(mins, /toIntervalMinute\(90\)/);
  assert.match(mins, /CREATE TABLE IF NOT EXISTS `o`\.`t` ON CLUSTER `c1`/);
  assert.match(mins, /ENGINE = ReplicatedAggregatingMergeTree\('\/t\/\{shard\}', '\{replica\}'\)/);
  assert.doesNotMatch(schemaStatements('bloom', { database: 'otel', table: 'otel_traces' }).join('\n'), /TTL /);
});

/** Reads rows back in the SpanRow shape: maps as ordered pairs, timestamps as ns text. */
async function readBack(s: Store): Promise<SpanRow[]> {
  const pairs = (c: string): string => `CAST(${c}, 'Array(Tuple(String, String))')`;
  const rows = await s.query<Record<string, unknown>>(`
    SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind,
           ServiceName, ${pairs('ResourceAttributes')} AS ResourceAttributes, ScopeName, ScopeVersion,
           ${pairs('SpanAttributes')} AS SpanAttributes, toString(Duration) AS Duration, StatusCode, StatusMessage,
           arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventsTimestamp, Events.Name AS EventsName,
           arrayMap(m -> ${pairs('m')}, Events.Attributes) AS EventsAttributes,
           Links.TraceId AS LinksTraceId, Links.SpanId AS LinksSpanId, Links.TraceState AS LinksTraceState,
           arrayMap(m -> ${pairs('m')}, Links.Attributes) AS LinksAttributes
    FROM ${s.database}.otel_traces ORDER BY Timestamp`);
  return rows as unknown as SpanRow[];
}

test('schema test: loaded rows read back from ClickHouse equal the exporter mapping, byte for byte', async () => {
  const s = await storeFor('schema_test');
  const file = join(root, 'fixture.jsonl');
  // JSON.stringify writes -0 as 0; a Go or protobuf-JSON writer keeps the sign.
  const text = spoolText(fixtureRequest()).replace('"neg.zero","value":{"doubleValue":0}', '"neg.zero","value":{"doubleValue":-0}');
  assert.ok(text.includes('"doubleValue":-0'));
  writeFileSync(file, text);
  const st = await ingest(s, { paths: [file] });
  assert.equal(st.spans, 7);
  const got = await readBack(s);
  const want = [...expectedRows()].sort((a, b) => (BigInt(a.Timestamp) < BigInt(b.Timestamp) ? -1 : 1));
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `row ${want[i].SpanId}`);
});

test('loader: incremental, corrupt lines reported with file:line, duplicates skipped, unfinished lines wait', async () => {
  const s = await storeFor('loader_test');
  const spool = join(root, 'spool-loader');
  rmSync(spool, { recursive: true, force: true });
  mkdirSync(spool);
  const a = join(spool, 'a.jsonl');
  const b = join(spool, 'b.jsonl');
  writeFileSync(a, spoolText(oneSpanRequest(1), oneSpanRequest(2)) + '{"resourceSpans": [ broken\n' + spoolText(oneSpanRequest(3)));
  writeFileSync(b, spoolText(oneSpanRequest(10), oneSpanRequest(10), oneSpanRequest(11)) + '[1,2]\n');
  const count = async (): Promise<number> => Number((await s.query<{ n: string }>(`SELECT count() AS n FROM loader_test.otel_traces`))[0].n);

  const first = await ingest(s, { paths: [spool] });
  assert.equal(first.files, 2);
  assert.equal(first.spans, 5);
  assert.equal(first.duplicates, 1);
  assert.equal(first.corrupt, 2);
  assert.deepEqual(first.messages, [
    `${a}:3: not valid JSON; line skipped`,
    `${b}:4: not an OTLP trace export request (expected an object); line skipped`,
  ]);
  assert.equal(await count(), 5);

  const again = await ingest(s, { paths: [spool] });
  assert.equal(again.spans, 0);
  assert.equal(again.filesRead, 0);
  assert.equal(await count(), 5);

  // The spool rewrites its last line at exit: the copy is skipped even in a later load; a new
  // line and an unfinished one are appended.
  appendFileSync(a, spoolText(oneSpanRequest(3), oneSpanRequest(4)) + '{"resourceSpans":[');
  const third = await ingest(s, { paths: [spool] });
  assert.equal(third.spans, 1);
  assert.equal(third.duplicates, 1);
  assert.equal(third.pending, 1);
  assert.equal(await count(), 6);

  // The writer finishes the line: it loads, with the right line number for later messages.
  appendFileSync(a, ']}\nnot json\n');
  const fourth = await ingest(s, { paths: [a] });
  assert.equal(fourth.pending, 0);
  assert.equal(fourth.corrupt, 1);
  assert.deepEqual(fourth.messages, [`${a}:8: not valid JSON; line skipped`]);

  // A file replaced by a shorter one is read again from the start.
  writeFileSync(b, spoolText(oneSpanRequest(20)));
  const fifth = await ingest(s, { paths: [spool] });
  assert.equal(fifth.spans, 1);
  assert.match(fifth.messages.join('\n'), /b\.jsonl: changed since the last load/);
  assert.equal(await count(), 7);

  // A last line without newline that is complete JSON (another tool's file) is loaded.
  const c = join(spool, 'c.json');
  writeFileSync(c, JSON.stringify(oneSpanRequest(30)));
  const sixth = await ingest(s, { paths: [c] });
  assert.equal(sixth.spans, 1);
  assert.equal(sixth.pending, 0);
});

test('loader: small chunks and batches give the same rows (line boundaries across reads)', async () => {
  const s = await storeFor('chunk_test');
  const file = join(root, 'chunks.jsonl');
  const reqs = Array.from({ length: 40 }, (_, i) => oneSpanRequest(100 + i, i % 2 ? 'odd' : 'even'));
  writeFileSync(file, spoolText(...reqs));
  const st = await ingest(s, { paths: [file], chunkBytes: 97, batchRows: 3, maxLineBytes: 10_000 });
  assert.equal(st.spans, 40);
  assert.equal(st.corrupt, 0);
  const r = await s.query<{ n: string; svc: string[] }>('SELECT count() AS n, arraySort(groupUniqArray(ServiceName)) AS svc FROM chunk_test.otel_traces');
  assert.equal(Number(r[0].n), 40);
  assert.deepEqual(r[0].svc, ['even', 'odd']);
  // An over-long line is skipped and reported; the next one loads.
  const long = join(root, 'long.jsonl');
  writeFileSync(long, JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(5000) }) + '\n' + spoolText(oneSpanRequest(999)));
  const st2 = await ingest(s, { paths: [long], chunkBytes: 512, maxLineBytes: 1000 });
  assert.equal(st2.spans, 1);
  assert.deepEqual(st2.messages, [`${long}:1: line longer than 1000 bytes; line skipped`]);
});

/** Rows inserted the collector's way: the exporter's DDL, its 22 columns, no SST layer yet. */
async function collectorTable(database: string): Promise<Store> {
  const s = await storeFor(database, 'bloom', false);
  for (const sql of schemaStatements('bloom', { database, table: 'otel_traces' })) await s.exec(sql);
  const rows = requestRows(fixtureRequest()).rows;
  await s.insert('otel_traces', Buffer.from(rows.map(rowJson).join('\n') + '\n'));
  return s;
}

test('views work on a table the collector created and filled before the SST layer existed', async () => {
  const s = await collectorTable('collector');
  const before = await s.query<{ name: string }>(`SELECT name FROM system.columns WHERE database = 'collector' AND table = 'otel_traces' AND name LIKE 'Sst%'`);
  assert.equal(before.length, 0);
  const res = await ensureSchema(s, { database: 'collector', table: 'otel_traces' });
  assert.equal(res.existed, true);

  const flows = await s.query<{ Flow: string; Target: string; ThirdParty: boolean }>(`SELECT Flow, Target, ThirdParty FROM collector.sst_flows ORDER BY Timestamp`);
  assert.deepEqual(flows.map((f) => [f.Flow, f.Target]), [['collect', 'POST /signup'], ['store', 'postgresql/app/users'], ['share', 'graph.facebook.com']]);

  const sh = await s.query<Record<string, unknown>>(`SELECT SpanId, DestinationVendor, DestinationKind, ThirdParty, Categories, Transforms, MatchCount, HttpMethod, StatusCode FROM collector.sst_shares`);
  assert.deepEqual(sh, [{ SpanId: SPAN_SHARE, DestinationVendor: 'meta', DestinationKind: 'advertising', ThirdParty: true, Categories: ['email', 'phone'], Transforms: ['normalized+sha256'], MatchCount: 2, HttpMethod: 'POST', StatusCode: 'Error' }]);

  const lin = await s.query<Record<string, unknown>>(`SELECT Flow, Target, Categories, Fields, Transforms, IsSubject, Spans, SampleTraceIds FROM collector.sst_lineage WHERE Fingerprint = {fp:String} ORDER BY FirstSeen`, { fp: FP_EMAIL });
  assert.deepEqual(lin, [
    { Flow: 'collect', Target: 'POST /signup', Categories: ['email'], Fields: ['body.email'], Transforms: [], IsSubject: 1, Spans: 1, SampleTraceIds: [TRACE_A] },
    { Flow: 'store', Target: 'postgresql/app/users', Categories: ['email'], Fields: ['users.email'], Transforms: ['plain'], IsSubject: 1, Spans: 1, SampleTraceIds: [TRACE_A] },
    { Flow: 'share', Target: 'graph.facebook.com', Categories: ['email'], Fields: ['body.data[0].user_data.em'], Transforms: ['normalized+sha256'], IsSubject: 1, Spans: 1, SampleTraceIds: [TRACE_A] },
  ]);
  const name = await s.query<{ Flow: string; IsSubject: number }>(`SELECT Flow, IsSubject FROM collector.sst_lineage WHERE Fingerprint = {fp:String} ORDER BY FirstSeen`, { fp: FP_NAME });
  assert.deepEqual(name.map((r) => [r.Flow, r.IsSubject]), [['collect', 0], ['store', 0]]);

  // Rows the collector keeps writing after the ALTER get the columns materialized at insert.
  const more = requestRows(fixtureRequest()).rows.filter((r) => r.SpanId === SPAN_SHARE).map((r) => ({ ...r, SpanId: 'ffffffffffffff01' }));
  await s.insert('otel_traces', Buffer.from(more.map(rowJson).join('\n') + '\n'));
  const n = await s.query<{ n: string }>(`SELECT count() AS n FROM collector.sst_shares WHERE has(Fingerprints, {fp:String})`, { fp: FP_EMAIL });
  assert.equal(Number(n[0].n), 2);
});

test('report, shares and lineage queries answer from the views', async () => {
  const s = await collectorTable('queries');
  await ensureSchema(s, { database: 'queries', table: 'otel_traces' });
  const r = await report(s);
  assert.equal(r.totals.spans, 7);
  assert.equal(r.totals.sstSpans, 3);
  assert.deepEqual([r.totals.collect, r.totals.store, r.totals.load, r.totals.share, r.totals.thirdPartyShares], [1, 1, 0, 1, 1]);
  assert.deepEqual(r.totals.services, ['checkout']);
  const email = r.categories.find((c) => c.category === 'email');
  assert.deepEqual(email, { category: 'email', collectSpans: 1, storeSpans: 1, loadSpans: 0, shareSpans: 1, thirdPartyShares: 1, valuesCollected: 1, valuesShared: 1, vendors: ['meta'] });
  assert.deepEqual(r.destinations.map((d) => [d.vendor, d.host, d.thirdParty, d.shares, d.values, d.subjects]), [['meta', 'graph.facebook.com', true, 1, 2, 1]]);

  assert.equal((await shares(s, { vendor: 'meta' })).length, 1);
  assert.equal((await shares(s, { vendor: 'graph.facebook.com', category: 'phone' })).length, 1);
  assert.equal((await shares(s, { category: 'name' })).length, 0);
  assert.equal((await shares(s, { sinceMs: Date.parse('2099-01-01') })).length, 0);
  assert.equal((await shares(s, { sinceMs: 0 }))[0].traceId, TRACE_A);

  const steps = await lineage(s, [FP_EMAIL]);
  assert.deepEqual(steps.map((x) => x.flow), ['collect', 'store', 'share']);
  assert.equal(steps[2].vendor, 'meta');
  assert.equal(steps[2].thirdParty, true);
  const spans = await lineageSpans(s, [FP_EMAIL, FP_NAME]);
  assert.equal(spans.length, 5);
  assert.deepEqual(await lineage(s, ['AAAAAAAAAAAAAAAAAAAAAA']), []);
});

test('sst_errors shows spans whose detection failed or was cut, including those with no flow', async () => {
  const s = await storeFor('errors');
  const failed = oneSpanRequest(1) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  failed.resourceSpans[0].scopeSpans[0].spans[0].attributes = [{ key: 'sst.error', value: { stringValue: 'capture failed: body stream errored' } }];
  const cut = oneSpanRequest(2) as typeof failed;
  cut.resourceSpans[0].scopeSpans[0].spans[0].attributes = [
    { key: 'sst.flow', value: { stringValue: 'collect' } }, { key: 'sst.truncated', value: { boolValue: true } },
    { key: 'sst.fingerprints', value: { arrayValue: { values: [{ stringValue: FP_EMAIL }] } } },
  ];
  const file = join(root, 'errors.jsonl');
  writeFileSync(file, spoolText(failed, cut, oneSpanRequest(3)));
  await ingest(s, { paths: [file] });
  const rows = await s.query<{ SpanName: string; Flow: string; DetectionError: string; Truncated: boolean }>(
    `SELECT SpanName, Flow, DetectionError, Truncated FROM errors.sst_errors ORDER BY SpanName`);
  assert.deepEqual(rows, [
    { SpanName: 'span 1', Flow: '', DetectionError: 'capture failed: body stream errored', Truncated: false },
    { SpanName: 'span 2', Flow: 'collect', DetectionError: '', Truncated: true },
  ]);
  // The failed span carries no flow, so the flow views cannot show it.
  const flows = await s.query<{ n: string }>(`SELECT count() AS n FROM errors.sst_flows`);
  assert.equal(Number(flows[0].n), 1);

  // A capped span (no events) with sst.fingerprint_categories: each id keeps its own category.
  const batch = oneSpanRequest(4) as typeof failed;
  const arr = (xs: string[]) => ({ arrayValue: { values: xs.map((x) => ({ stringValue: x })) } });
  batch.resourceSpans[0].scopeSpans[0].spans[0].attributes = [
    { key: 'sst.flow', value: { stringValue: 'share' } }, { key: 'sst.truncated', value: { boolValue: true } },
    { key: 'sst.categories', value: arr(['email', 'phone']) },
    { key: 'sst.fingerprints', value: arr(['fpA', 'fpB', 'fpC']) },
    { key: 'sst.fingerprint_categories', value: arr(['email', 'phone', 'email']) },
  ];
  const file2 = join(root, 'errors-2.jsonl');
  writeFileSync(file2, spoolText(batch));
  await ingest(s, { paths: [file2] });
  const cats = await s.query<{ Fingerprint: string; Categories: string[] }>(
    `SELECT Fingerprint, Categories FROM errors.sst_fingerprint_flows WHERE Flow = 'share' ORDER BY Fingerprint`);
  assert.deepEqual(cats, [{ Fingerprint: 'fpA', Categories: ['email'] }, { Fingerprint: 'fpB', Categories: ['phone'] }, { Fingerprint: 'fpC', Categories: ['email'] }]);
  // Spans without the attribute (older data) fall back to every category of the span.
  const old = await s.query<{ Categories: string[] }>(`SELECT Categories FROM errors.sst_fingerprint_flows WHERE Flow = 'collect'`);
  assert.deepEqual(old, [{ Categories: [] }]);
});

test('store errors are one line; readonly refuses writes but answers reads', async () => {
  const s = await storeFor('ro_test');
  await assert.rejects(s.query('SELEC 1'), (e: unknown) => e instanceof StoreError && !e.message.includes('\n') && /Syntax error/.test(e.message));
  const r = await openStore({ dir, database: 'ro_test' }, {});
  stores.push(r);
  await r.enterReadonly();
  assert.deepEqual(await r.query('SELECT 1 AS one'), [{ one: 1 }]);
  await assert.rejects(r.exec('CREATE TABLE ro_test.x (a UInt8) ENGINE = Memory'), /readonly/i);
  await assert.rejects(r.exec('INSERT INTO ro_test.otel_traces (TraceId) VALUES (1)'), /readonly/i);
  await assert.rejects(openStore({ dir: join(root, 'nope') }, {}), /no store at .*nope/);
});
