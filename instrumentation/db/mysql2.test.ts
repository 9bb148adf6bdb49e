// mysql2 through the upstream instrumentation plus our argument note, on the real server: the
// capture holds text, values and rows for query/execute, promise and callback APIs; db.query.text
// keeps placeholders; results and errors are the same as without the instrumentation.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { createMySQL2Instrumentation } from './mysql2';
import { getCapture } from '../capture/tracker';
import type { DbCapture } from '../../span-processor/types';
import { MYSQL_URL, unreachable } from '../../test/db/servers';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const inst = createMySQL2Instrumentation({ maxRows: 2, maxRowBytes: 10_000 });
const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [inst] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mysqlCb = require('mysql2') as typeof import('mysql2');

let skip: string | null = null;
let conn: import('mysql2/promise').Connection;
const table = `inst_my_${process.pid}`;

before(async () => {
  skip = await unreachable(MYSQL_URL, 3306);
  if (skip) return;
  conn = await mysql.createConnection({ uri: MYSQL_URL });
  await conn.query(`CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200) UNIQUE, name VARCHAR(200))`);
});
after(async () => {
  if (!skip) {
    await conn.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await conn.end();
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

test('execute() and query() with values: captured, db.query.text keeps the placeholders', async (t) => {
  if (skip) return t.skip(`MariaDB/MySQL not reachable: ${skip}`);
  const ins = `INSERT INTO ${table} (email, name) VALUES (?, ?)`;
  await conn.execute(ins, ['ivy.stone@example.com', 'Ivy Stone']);
  const a = captureOf(byText(ins));
  assert.equal(a.c.system, 'mysql');
  assert.deepEqual(a.c.params, ['ivy.stone@example.com', 'Ivy Stone']);
  assert.equal(JSON.stringify(a.span.attributes).includes('ivy.stone'), false, 'values are not inlined into attributes');
  await conn.query(ins, ['max.roe@example.com', 'Max Roe']);
  assert.deepEqual(captureOf(byText(ins)).c.params, ['max.roe@example.com', 'Max Roe']);
  // `SET ?` with an object
  const setq = `INSERT INTO ${table} SET ?`;
  await conn.query(setq, { email: 'set.obj@example.com', name: 'Set Obj' });
  assert.deepEqual(captureOf(byText(setq)).c.named, { email: 'set.obj@example.com', name: 'Set Obj' });
});

test('rows: objects, rowsAsArray, callback API; capped by maxRows', async (t) => {
  if (skip) return t.skip(`MariaDB/MySQL not reachable: ${skip}`);
  const sel = `SELECT email, name FROM ${table} ORDER BY id`;
  const [rows] = await conn.query(sel);
  assert.equal((rows as unknown[]).length, 3);
  const { c } = captureOf(byText(sel));
  assert.deepEqual(c.columns, ['email', 'name']);
  assert.deepEqual(c.rows, [['ivy.stone@example.com', 'Ivy Stone'], ['max.roe@example.com', 'Max Roe']]);
  assert.equal(c.rowCount, 3);
  assert.equal(c.truncated, true);

  const one = `SELECT email FROM ${table} WHERE id = ?`;
  await conn.query({ sql: one, rowsAsArray: true }, [1]);
  const arr = captureOf(byText(one)).c;
  assert.deepEqual(arr.params, ['1']);
  assert.deepEqual(arr.rows, [['ivy.stone@example.com']]);

  const cb = mysqlCb.createConnection({ uri: MYSQL_URL });
  const cbRows = await new Promise<unknown>((resolve, reject) => cb.query(`SELECT name FROM ${table} WHERE email = ?`, ['max.roe@example.com'], (e, r) => (e ? reject(e) : resolve(r))));
  cb.end();
  assert.deepEqual(cbRows, [{ name: 'Max Roe' }]);
  assert.deepEqual(captureOf(byText(`SELECT name FROM ${table} WHERE email = ?`)).c.rows, [['Max Roe']]);
});

test('results and errors are identical with the instrumentation disabled', async (t) => {
  if (skip) return t.skip(`MariaDB/MySQL not reachable: ${skip}`);
  const run = async () => {
    const out: unknown[] = [];
    const [ok] = await conn.execute(`UPDATE ${table} SET name = ? WHERE id = ?`, ['Ivy S.', 1]);
    out.push((ok as { affectedRows: number }).affectedRows);
    const [rows, fields] = await conn.query(`SELECT id, email, name FROM ${table} ORDER BY id`);
    out.push(rows, (fields as Array<{ name: string }>).map((f) => f.name));
    out.push(await conn.execute(`INSERT INTO ${table} (email) VALUES (?)`, ['ivy.stone@example.com']).then(() => null,
      (e: Error & { code?: string; errno?: number; sqlState?: string }) => [e.constructor.name, e.message, e.code, e.errno, e.sqlState]));
    out.push(await conn.query('SELEC 1').then(() => null, (e: Error & { code?: string }) => [e.message, e.code]));
    return out;
  };
  const withInst = await run();
  assert.ok(withInst[3], 'the duplicate insert failed');
  inst.disable();
  try {
    assert.deepEqual(await run(), withInst);
  } finally {
    inst.enable();
  }
});
