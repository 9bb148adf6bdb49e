// The loader with worker threads against the loader on one thread, in chDB: the same rows byte for
// byte, the same line numbers, duplicates, offsets and saved state, also across loads and with
// chunks small enough that lines span reads. Its own process, so its own chDB directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './client';
import { fixtureRequest, oneSpanRequest, spoolText } from './fixtures';
import { ingest, type IngestOptions, type IngestStats } from './loader';
import { SPAN_COLUMNS } from './row-buffer';
import { ensureSchema } from './schema';

const root = mkdtempSync(join(tmpdir(), 'sst-loader-workers-'));
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

async function storeFor(database: string): Promise<Store> {
  const s = await openStore({ dir: join(root, 'clickhouse'), database, create: true }, {});
  stores.push(s);
  await ensureSchema(s, { database, table: s.table }, 'bloom');
  return s;
}

/** Every inserted column of every row, in a stable order, as ClickHouse returns it. */
async function rows(s: Store): Promise<string> {
  const cols = SPAN_COLUMNS.map(([n]) => `toString(\`${n}\`)`).join(', ');
  const r = await s.query<{ r: string[] }>(`SELECT [${cols}] AS r FROM ${s.database}.otel_traces ORDER BY TraceId, SpanId, Timestamp`);
  return JSON.stringify(r.map((x) => x.r));
}

async function states(s: Store): Promise<unknown[]> {
  return s.query(`SELECT Path, argMax(Offset, UpdatedAt) AS o, argMax(Lines, UpdatedAt) AS l, argMax(LastKeys, UpdatedAt) AS k
    FROM ${s.database}.sst_ingest_state GROUP BY Path ORDER BY Path`);
}

/** What a load reports, without its timing. */
const summary = (st: IngestStats): object => ({ ...st, ms: 0 });

function writeSpool(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const many = Array.from({ length: 60 }, (_, i) => oneSpanRequest(200 + i, i % 3 ? 'api' : 'worker'));
  writeFileSync(join(dir, 'a.jsonl'), spoolText(oneSpanRequest(1), fixtureRequest(), oneSpanRequest(2)) + '\n{"resourceSpans": [ broken\n'
    + spoolText(...many.slice(0, 30)) + JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(15_000) }) + '\n' + spoolText(...many.slice(30)));
  // The spool's last line written twice at exit, then an unfinished line.
  writeFileSync(join(dir, 'b.jsonl'), spoolText(oneSpanRequest(10), oneSpanRequest(11), oneSpanRequest(11)) + '[1,2]\n' + '{"resourceSpans":[');
  // Another tool's file: its last line has no newline but is complete.
  writeFileSync(join(dir, 'c.json'), spoolText(oneSpanRequest(20)) + JSON.stringify(oneSpanRequest(21)));
}

test('worker threads load exactly what one thread loads: rows, messages, counts, state, across loads', async () => {
  const spool = join(root, 'spool');
  writeSpool(spool);
  // Small reads: lines span chunks, many chunks are in flight, and an over-long line is skipped.
  const base: IngestOptions = { paths: [spool], chunkBytes: 700, batchRows: 25, maxLineBytes: 12_000 };
  const one = await storeFor('one_thread');
  const two = await storeFor('two_workers');
  const a1 = await ingest(one, { ...base, workers: 0 });
  const b1 = await ingest(two, { ...base, workers: 2, workerMinBytes: 0 });
  assert.equal(a1.spans, 1 + 7 + 1 + 60 + 2 + 2);
  assert.equal(a1.duplicates, 1);
  assert.equal(a1.corrupt, 3);
  assert.equal(a1.pending, 1);
  assert.deepEqual(a1.messages, [
    `${join(spool, 'a.jsonl')}:5: not valid JSON; line skipped`,
    `${join(spool, 'a.jsonl')}:36: line longer than 12000 bytes; line skipped`,
    `${join(spool, 'b.jsonl')}:4: not an OTLP trace export request (expected an object); line skipped`,
  ]);
  assert.deepEqual(summary(b1), summary(a1));
  assert.equal(await rows(two), await rows(one));
  assert.deepEqual(await states(two), await states(one));

  // Nothing new: nothing loaded. Then the writer finishes its line and rewrites it (a duplicate
  // across loads), and more lines arrive.
  assert.equal((await ingest(two, { ...base, workers: 2, workerMinBytes: 0 })).spans, 0);
  appendFileSync(join(spool, 'b.jsonl'), ']}\n' + spoolText(oneSpanRequest(11), oneSpanRequest(12)) + 'nope\n');
  const a2 = await ingest(one, { ...base, workers: 0 });
  const b2 = await ingest(two, { ...base, workers: 2, workerMinBytes: 0 });
  assert.equal(a2.spans, 1);
  assert.equal(a2.duplicates, 1);
  assert.deepEqual(a2.messages, [`${join(spool, 'b.jsonl')}:8: not valid JSON; line skipped`]);
  assert.deepEqual(summary(b2), summary(a2));
  assert.equal(await rows(two), await rows(one));
  assert.deepEqual(await states(two), await states(one));
});

test('progress is reported while a load with workers runs', async () => {
  const s = await storeFor('progress');
  const file = join(root, 'progress.jsonl');
  writeFileSync(file, spoolText(...Array.from({ length: 200 }, (_, i) => oneSpanRequest(5000 + i))));
  const seen: number[] = [];
  const st = await ingest(s, { paths: [file], chunkBytes: 4096, batchRows: 50, workers: 2, workerMinBytes: 0, progressIntervalMs: 0, onProgress: (p) => seen.push(p.bytesRead) });
  assert.equal(st.spans, 200);
  assert.ok(seen.length > 3, `progress reports: ${seen.length}`);
  assert.equal(seen[seen.length - 1], st.bytes);
});
