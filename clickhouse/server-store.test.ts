// The server path (SST_CLICKHOUSE_URL → @clickhouse/client) exercised end to end without a server:
// chdb/connection plugs chDB into @clickhouse/client's connection hook, so the same client code
// (query_params, JSONEachRow, stream inserts, per-request settings) runs. Its own process, so its
// own chDB directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreError, type Store } from './client';
import { FP_EMAIL, fixtureRequest, spoolText } from './fixtures';
import { ingest } from './loader';
import { lineage, report } from './queries';
import { ensureSchema } from './schema';

const root = mkdtempSync(join(tmpdir(), 'sst-server-store-'));
let store: Store | undefined;
after(async () => {
  await store?.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

test('the @clickhouse/client store runs the same schema, loader and queries', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createChdbConnection } = require('chdb/connection') as { createChdbConnection: (o: { path: string }) => unknown };
  const connection = createChdbConnection({ path: join(root, 'ch') });
  store = await openStore({ connection }, {});
  assert.equal(store.kind, 'server');
  const res = await ensureSchema(store, { database: store.database, table: store.table });
  assert.equal(res.existed, false);
  const file = join(root, 'f.jsonl');
  writeFileSync(file, spoolText(fixtureRequest()));
  const st = await ingest(store, { paths: [file] });
  assert.equal(st.spans, 7);
  assert.equal((await ingest(store, { paths: [file] })).spans, 0);
  const r = await report(store);
  assert.equal(r.totals.thirdPartyShares, 1);
  assert.deepEqual((await lineage(store, [FP_EMAIL])).map((s) => s.flow), ['collect', 'store', 'share']);
  const n = await store.query<{ n: string }>('SELECT count() AS n FROM otel.otel_traces WHERE SpanKind = {k:String}', { k: 'Client' });
  assert.equal(Number(n[0].n), 2);
  await store.enterReadonly();
  await assert.rejects(store.exec('CREATE TABLE t_ro (a UInt8) ENGINE = Memory'), (e: unknown) => e instanceof StoreError && /readonly/i.test(e.message));
  assert.equal((await store.query('SELECT 1 AS one')).length, 1);
});

test('a bad SST_CLICKHOUSE_URL is one clear error', async () => {
  await assert.rejects(openStore({}, { SST_CLICKHOUSE_URL: 'not a url' }), /SST_CLICKHOUSE_URL is not a valid URL/);
  await assert.rejects(openStore({}, { SST_CLICKHOUSE_URL: 'http://127.0.0.1:9/', SST_CLICKHOUSE_DATABASE: 'bad-name' }), /invalid database name/);
});
