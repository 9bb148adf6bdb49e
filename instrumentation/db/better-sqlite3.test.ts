// The better-sqlite3 instrumentation on a real SQLite file: CLIENT spans with DB semconv
// attributes, a capture per statement (parameters, columns, capped rows), and results and errors
// identical to the uninstrumented driver.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BetterSqlite3Instrumentation } from './better-sqlite3';
import { getCapture } from '../capture/tracker';
import type { DbCapture } from '../../span-processor/types';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const inst = new BetterSqlite3Instrumentation({ capture: { maxRows: 3, maxRowBytes: 10_000 } });
const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [inst] });
// Required after the instrumentation is enabled so the patch applies.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const dir = mkdtempSync(join(tmpdir(), 'sst-sqlite-'));
const db = new Database(join(dir, 'app.db'));
after(() => { unregister(); db.close(); rmSync(dir, { recursive: true, force: true }); });

db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, profile TEXT)');

function last(): { span: ReturnType<InMemorySpanExporter['getFinishedSpans']>[number]; capture: DbCapture } {
  const spans = exporter.getFinishedSpans();
  const span = spans[spans.length - 1];
  const c = getCapture(span);
  assert.ok(c && c.kind === 'db', 'the span has a DB capture');
  return { span, capture: c };
}

test('run() with positional values: CLIENT span, semconv attributes, captured parameters', () => {
  db.prepare('INSERT INTO users (email, name, profile) VALUES (?, ?, ?)').run('ann@example.com', 'Ann Lee', JSON.stringify({ phone: '+14155550100' }));
  const { span, capture } = last();
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.equal(span.name, 'INSERT users');
  assert.equal(span.attributes['db.system.name'], 'sqlite');
  assert.equal(span.attributes['db.operation.name'], 'INSERT');
  assert.equal(span.attributes['db.collection.name'], 'users');
  assert.equal(span.attributes['db.namespace'], 'app.db', 'the file name, never its directory');
  assert.equal(span.attributes['db.query.text'], 'INSERT INTO users (email, name, profile) VALUES (?, ?, ?)');
  assert.deepEqual(capture.params, ['ann@example.com', 'Ann Lee', '{"phone":"+14155550100"}']);
  assert.equal(capture.rows, undefined);
});

test('named parameters, bind(), get(), all(), pluck(), raw(), expand() and iterate() are captured', () => {
  db.prepare('INSERT INTO users (email, name) VALUES (@email, @name)').run({ email: 'bo@example.com', name: 'Bo Chan' });
  assert.deepEqual(last().capture.named, { email: 'bo@example.com', name: 'Bo Chan' });

  const bound = db.prepare('INSERT INTO users (email, name) VALUES (?, ?)').bind('cy@example.com', 'Cy Dee');
  bound.run();
  assert.deepEqual(last().capture.params, ['cy@example.com', 'Cy Dee']);

  const row = db.prepare('SELECT email AS mail, name FROM users WHERE id = ?').get(1);
  assert.deepEqual(row, { mail: 'ann@example.com', name: 'Ann Lee' });
  assert.deepEqual(last().capture.columns, ['mail', 'name']);
  assert.deepEqual(last().capture.rows, [['ann@example.com', 'Ann Lee']]);

  const emails = db.prepare('SELECT email FROM users ORDER BY id').pluck().all();
  assert.deepEqual(emails, ['ann@example.com', 'bo@example.com', 'cy@example.com']);
  assert.deepEqual(last().capture.columns, ['email']);
  assert.deepEqual(last().capture.rows, [['ann@example.com'], ['bo@example.com'], ['cy@example.com']]);

  const raw = db.prepare('SELECT id, email FROM users ORDER BY id LIMIT 1').raw().all();
  assert.deepEqual(raw, [[1, 'ann@example.com']]);
  assert.deepEqual(last().capture.columns, ['id', 'email']);
  assert.deepEqual(last().capture.rows, [['1', 'ann@example.com']]);

  const exp = db.prepare('SELECT u.email FROM users u WHERE u.id = 2').expand().get();
  assert.deepEqual(exp, { users: { email: 'bo@example.com' } });
  assert.deepEqual(last().capture.columns, ['users.email']);

  const seen: string[] = [];
  for (const r of db.prepare('SELECT email FROM users ORDER BY id').iterate() as Iterable<{ email: string }>) seen.push(r.email);
  assert.equal(seen.length, 3);
  assert.deepEqual(last().capture.rows, [['ann@example.com'], ['bo@example.com'], ['cy@example.com']]);

  // An iterator left early still ends its span.
  const before = exporter.getFinishedSpans().length;
  for (const r of db.prepare('SELECT email FROM users').iterate() as Iterable<unknown>) { void r; break; }
  assert.equal(exporter.getFinishedSpans().length, before + 1);
});

test('rows are capped by count (maxRows) and the capture says so', () => {
  for (let i = 0; i < 5; i++) db.prepare('INSERT INTO users (email) VALUES (?)').run(`bulk${i}@example.com`);
  db.prepare('SELECT email FROM users').all();
  const { capture } = last();
  assert.equal(capture.rows!.length, 3);
  assert.equal(capture.rowCount, 8);
  assert.equal(capture.truncated, true);
});

test('exec() and transactions are traced; BEGIN/COMMIT statements too', () => {
  exporter.reset();
  db.exec("INSERT INTO users (email) VALUES ('lit@example.com')");
  const insert = db.prepare('INSERT INTO users (email) VALUES (?)');
  const many = db.transaction((list: string[]) => { for (const e of list) insert.run(e); return list.length; });
  assert.equal(many(['t1@example.com', 't2@example.com']), 2);
  const names = exporter.getFinishedSpans().map((s) => s.name);
  assert.deepEqual(names, ['INSERT users', 'BEGIN', 'INSERT users', 'INSERT users', 'COMMIT']);
});

test('errors are the same error, recorded on the span', () => {
  const stmt = db.prepare('INSERT INTO users (email) VALUES (?)');
  let err: unknown;
  try { stmt.run('ann@example.com'); } catch (e) { err = e; }
  assert.ok(err instanceof Database.SqliteError);
  assert.equal((err as { code?: string }).code, 'SQLITE_CONSTRAINT_UNIQUE');
  const { span } = last();
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.throws(() => db.prepare('SELECT nope FROM users'), /no such column/);
  assert.throws(() => db.exec('NOT SQL'), /syntax error/);
});

test('results and errors are identical with the instrumentation disabled', () => {
  const run = () => {
    const out: unknown[] = [];
    const r = db.prepare('UPDATE users SET name = ? WHERE id = ?').run('Ann L.', 1);
    out.push(r.changes);
    out.push(db.prepare('SELECT id, email, name FROM users ORDER BY id').all());
    out.push(db.prepare('SELECT email FROM users WHERE id = ?').pluck().get(2));
    out.push(db.prepare('SELECT * FROM users WHERE id = ?').raw().get(1));
    out.push([...(db.prepare('SELECT id FROM users ORDER BY id').iterate() as Iterable<unknown>)]);
    try { db.prepare('INSERT INTO users (id) VALUES (1)').run(); } catch (e) { out.push([(e as Error).constructor.name, (e as Error).message, (e as { code?: string }).code]); }
    return out;
  };
  const withInst = run();
  inst.disable();
  try {
    const spansBefore = exporter.getFinishedSpans().length;
    const without = run();
    assert.equal(exporter.getFinishedSpans().length, spansBefore, 'disabled: no spans');
    assert.deepEqual(withInst, without);
  } finally {
    inst.enable();
  }
  db.prepare('SELECT 1').get();
  assert.ok(getCapture(exporter.getFinishedSpans().at(-1)!), 're-enabled: spans again');
});
