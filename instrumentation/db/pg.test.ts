// node-postgres through the upstream instrumentation with our hooks, on the real server: the
// capture holds text, values, columns and capped rows; the query the server runs is the app's own
// text; results and errors are the same as without the instrumentation.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { createPgInstrumentation } from './pg';
import { getCapture } from '../capture/tracker';
import type { DbCapture } from '../../span-processor/types';
import { PGURL, unreachable } from '../../test/db/servers';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const inst = createPgInstrumentation({ maxRows: 2, maxRowBytes: 10_000 });
const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [inst] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as typeof import('pg');

let skip: string | null = null;
let client: import('pg').Client;
const table = `inst_pg_${process.pid}`;

before(async () => {
  skip = await unreachable(PGURL, 5432);
  if (skip) return;
  client = new pg.Client({ connectionString: PGURL });
  await client.connect();
  await client.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, email text UNIQUE, name text, born date, profile jsonb)`);
});
after(async () => {
  if (!skip) {
    await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end();
  }
  unregister();
});

function captureOf(match: (s: ReadableSpan) => boolean): { span: ReadableSpan; c: DbCapture } {
  const span = exporter.getFinishedSpans().filter(match).at(-1);
  assert.ok(span, 'a span');
  const c = getCapture(span);
  assert.ok(c && c.kind === 'db', 'with a DB capture');
  return { span, c };
}
const byText = (t: string) => (s: ReadableSpan) => s.attributes['db.query.text'] === t;

test('INSERT: text and values captured, no values in attributes', async (t) => {
  if (skip) return t.skip(`PostgreSQL not reachable: ${skip}`);
  const sql = `INSERT INTO ${table} (email, name, born, profile) VALUES ($1, $2, $3, $4) RETURNING id`;
  await client.query(sql, ['eva.ng@example.com', 'Eva Ng', '1991-04-02', { phone: '+14155550177' }]);
  const { span, c } = captureOf(byText(sql));
  assert.equal(c.system, 'postgresql');
  assert.equal(c.statement, sql);
  assert.deepEqual(c.params, ['eva.ng@example.com', 'Eva Ng', '1991-04-02', '{"phone":"+14155550177"}']);
  assert.deepEqual(c.columns, ['id']);
  assert.equal(span.attributes['db.postgresql.values'], undefined);
  assert.equal(JSON.stringify(span.attributes).includes('eva.ng'), false);
});

test('SELECT: columns and rows as text (dates as YYYY-MM-DD, json as JSON), capped by maxRows', async (t) => {
  if (skip) return t.skip(`PostgreSQL not reachable: ${skip}`);
  await client.query(`INSERT INTO ${table} (email, name) VALUES ($1, $2), ($3, $4)`, ['x1@example.com', 'X One', 'x2@example.com', 'X Two']);
  const sql = `SELECT email, name, born, profile FROM ${table} ORDER BY id`;
  const res = await client.query(sql);
  assert.equal(res.rows.length, 3);
  const { c } = captureOf(byText(sql));
  assert.deepEqual(c.columns, ['email', 'name', 'born', 'profile']);
  assert.deepEqual(c.rows, [['eva.ng@example.com', 'Eva Ng', '1991-04-02', '{"phone":"+14155550177"}'], ['x1@example.com', 'X One', null, null]]);
  assert.equal(c.rowCount, 3);
  assert.equal(c.truncated, true);

  const arr = `SELECT email FROM ${table} WHERE id = $1`;
  const ra = await client.query({ text: arr, values: [1], rowMode: 'array' });
  assert.deepEqual(ra.rows, [['eva.ng@example.com']]);
  assert.deepEqual(captureOf(byText(arr)).c.rows, [['eva.ng@example.com']]);
});

test('the server runs the text the app sent (no SQL commenter)', async (t) => {
  if (skip) return t.skip(`PostgreSQL not reachable: ${skip}`);
  const sql = 'SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid()';
  const r = await client.query(sql);
  assert.equal(r.rows[0].query, sql);
});

test('results and errors are identical with the instrumentation disabled (promise and callback)', async (t) => {
  if (skip) return t.skip(`PostgreSQL not reachable: ${skip}`);
  const run = async () => {
    const out: unknown[] = [];
    const r = await client.query(`SELECT id, email, name FROM ${table} ORDER BY id`);
    out.push(r.rows, r.fields.map((f) => [f.name, f.dataTypeID]), r.command, r.rowCount);
    const err = await client.query(`INSERT INTO ${table} (email) VALUES ($1)`, ['eva.ng@example.com']).then(() => null, (e: Error & { code?: string; detail?: string; constraint?: string }) =>
      [e.constructor.name, e.message, e.code, e.detail, e.constraint]);
    out.push(err);
    out.push(await client.query('SELEC 1').then(() => null, (e: Error & { code?: string }) => [e.message, e.code]));
    out.push(await new Promise((resolve) => client.query('SELECT $1::int AS n', [7], (e, res) => resolve(e ? e.message : res.rows))));
    return out;
  };
  const withInst = await run();
  assert.ok(withInst[4], 'the duplicate insert failed');
  inst.disable();
  try {
    assert.deepEqual(await run(), withInst);
  } finally {
    inst.enable();
  }
});
