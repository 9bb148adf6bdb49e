// Several INSERTs at once (a server's cores), through the server store (@clickhouse/client over
// chdb/connection): the same rows as one at a time, state saved strictly in batch order, and what a
// failed insert costs with one and with several in flight. Its own process, so its own chDB directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './client';
import { oneSpanRequest, spoolText } from './fixtures';
import { defaultInserts, ingest, type IngestOptions } from './loader';
import { ensureSchema } from './schema';

const root = mkdtempSync(join(tmpdir(), 'sst-loader-inserts-'));
const stores: Store[] = [];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createChdbConnection } = require('chdb/connection') as { createChdbConnection: (o: { path: string }) => unknown };
const connection = createChdbConnection({ path: join(root, 'ch') });
after(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

async function storeFor(database: string): Promise<Store> {
  const s = await openStore({ connection, database }, {});
  stores.push(s);
  await ensureSchema(s, { database, table: s.table }, 'bloom');
  return s;
}

const SPANS = 40;
const file = join(root, 'spool.jsonl');
writeFileSync(file, spoolText(...Array.from({ length: SPANS }, (_, i) => oneSpanRequest(300 + i))));
// Reads shorter than a line hold at most one line end: five rows per batch, eight batches.
const base: IngestOptions = { paths: [file], chunkBytes: 300, batchRows: 5, workers: 0 };
assert.ok(JSON.stringify(oneSpanRequest(300)).length > 300);

const count = async (s: Store): Promise<number> => Number((await s.query<{ n: string }>(`SELECT count() AS n FROM ${s.database}.otel_traces`))[0].n);
const offset = async (s: Store): Promise<number> => Number((await s.query<{ o: string }>(`SELECT argMax(Offset, UpdatedAt) AS o FROM ${s.database}.sst_ingest_state`))[0]?.o ?? 0);

/** The store, with its `n`th batch insert failing. */
function failingAt(s: Store, n: number): Store {
  let calls = 0;
  return Object.assign(Object.create(s) as Store, {
    insertEncoded: (...a: Parameters<Store['insertEncoded']>) => (++calls === n ? Promise.reject(new Error('insert refused')) : s.insertEncoded(...a)),
  });
}

test('three inserts at once load the same rows and end in the same state as one at a time', async () => {
  const one = await storeFor('ins_one');
  const three = await storeFor('ins_three');
  const a = await ingest(one, { ...base, inserts: 1 });
  // JSONEachRow (the server's format) encoded in worker threads, too.
  const b = await ingest(three, { ...base, inserts: 3, workers: 2, workerMinBytes: 0 });
  assert.equal(a.spans, SPANS);
  assert.deepEqual({ ...b, ms: 0 }, { ...a, ms: 0 });
  const rows = (s: Store): Promise<unknown[]> => s.query(`SELECT TraceId, SpanId, SpanAttributes FROM ${s.database}.otel_traces ORDER BY TraceId, SpanId`);
  assert.deepEqual(await rows(three), await rows(one));
  assert.equal(await offset(three), statSync(file).size);
  assert.equal((await ingest(three, { ...base, inserts: 3 })).spans, 0);
});

test('a failed insert: state stops before it; one at a time loads nothing twice, several at once may', async () => {
  // One at a time: batch 2 fails, nothing after it starts; the next load brings exactly the rest.
  const serial = await storeFor('fail_one');
  await assert.rejects(ingest(failingAt(serial, 2), { ...base, inserts: 1 }), /insert refused/);
  assert.equal(await count(serial), 5);
  assert.equal(await offset(serial), offsetAfterBatches(1));
  await ingest(serial, { ...base, inserts: 1 });
  assert.equal(await count(serial), SPANS);

  // Three at once: batches 1, 3 and 4 are in when batch 2's failure is seen, but the state is
  // saved only up to batch 1, so the next load inserts batches 3 and 4 again.
  const parallel = await storeFor('fail_three');
  await assert.rejects(ingest(failingAt(parallel, 2), { ...base, inserts: 3 }), /insert refused/);
  assert.equal(await count(parallel), 15);
  assert.equal(await offset(parallel), offsetAfterBatches(1));
  await ingest(parallel, { ...base, inserts: 3 });
  assert.equal(await count(parallel), SPANS + 10);
});

/** File offset after the first `n` batches (five one-span lines each). */
function offsetAfterBatches(n: number): number {
  const text = spoolText(...Array.from({ length: SPANS }, (_, i) => oneSpanRequest(300 + i)));
  let at = 0;
  for (let i = 0; i < n * 5; i++) at = text.indexOf('\n', at) + 1;
  return Buffer.byteLength(text.slice(0, at));
}

test('SST_INGEST_INSERTS sets how many at once (1 by default)', () => {
  assert.equal(defaultInserts({}), 1);
  assert.equal(defaultInserts({ SST_INGEST_INSERTS: '4' }), 4);
  assert.equal(defaultInserts({ SST_INGEST_INSERTS: '0' }), 1);
  assert.equal(defaultInserts({ SST_INGEST_INSERTS: 'x' }), 1);
});
