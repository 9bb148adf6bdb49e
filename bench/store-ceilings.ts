// `node dist/bench/store.js --ceilings [--spans N]`: what bounds `sst ingest` on this machine, measured
// apart. (a) The JS side alone: read, split, JSON.parse, map, encode RowBinary (stage by stage, on
// one core). (b) chDB alone: the same RowBinary batches, already on disk, inserted with
// `INSERT … SELECT FROM file()` into otel_traces as created (exporter DDL + SST layer), into
// stripped-down variants of it, and with insert settings that might help. CPU time per thread
// (from /proc) shows which threads do the work. Not a test: it prints numbers.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../clickhouse/client';
import { ingest } from '../clickhouse/loader';
import { requestRows } from '../clickhouse/otlp-rows';
import { RowBinaryBuffer, SPAN_COLUMNS, type RowFormat } from '../clickhouse/row-buffer';
import { ensureSchema, quoteIdent, schemaStatements } from '../clickhouse/schema';

/** CPU seconds per thread of this process (from /proc), with the thread's current name. */
export function threadCpu(): Map<string, { name: string; secs: number }> {
  const out = new Map<string, { name: string; secs: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    let s: string;
    try { s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'); } catch { continue; }
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // Pool threads are renamed per task and numbered: group them by name without the number.
    const name = Number(tid) === process.pid ? 'node (JS main)' : comm.replace(/[0-9]+$/, '');
    out.set(tid, { name, secs: (Number(f[11]) + Number(f[12])) / 100 });
  }
  return out;
}

/** CPU seconds per thread name between two snapshots (a thread's time goes to its last name). */
export function threadsByName(a: Map<string, { secs: number }>, b: Map<string, { name: string; secs: number }>): Array<[string, number]> {
  const by = new Map<string, number>();
  for (const [tid, { name, secs }] of b) by.set(name, (by.get(name) ?? 0) + secs - (a.get(tid)?.secs ?? 0));
  return [...by].filter(([, v]) => v >= 0.05).sort((p, q) => q[1] - p[1]);
}

/** Busy time of the whole machine (all processes, all cores) so far, in 1/100 s. */
export function machineBusyTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return f.slice(0, 8).reduce((x, y) => x + y, 0) - f[3] - f[4];
}

export interface Measured {
  wall: number;
  /** CPU seconds of this process (all threads). */
  cpu: number;
  threads: Array<[string, number]>;
  /** Cores busy on the whole machine meanwhile (ours and everyone else's). */
  machineBusy: number;
}

export async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  const th0 = threadCpu();
  const m0 = machineBusyTicks();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const m1 = machineBusyTicks();
  // USER_HZ is 100 on Linux.
  return { wall, cpu: (c.user + c.system) / 1e6, threads: threadsByName(th0, threadCpu()), machineBusy: (m1 - m0) / 100 / wall };
}

const threadsText = (m: Measured): string => m.threads.slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');

export function line(what: string, rows: number, m: Measured): string {
  return `${what.padEnd(58)} ${m.wall.toFixed(2).padStart(6)} s wall ${Math.round(rows / m.wall).toLocaleString('en-US').padStart(8)}/s · ${m.cpu.toFixed(2).padStart(6)} CPU-s ${Math.round(rows / m.cpu).toLocaleString('en-US').padStart(8)}/CPU-s · machine ${m.machineBusy.toFixed(1)} cores busy [${threadsText(m)}]`;
}

/** A Store that keeps the encoded batches as files and does nothing else (for the JS-only run). */
function captureStore(dir: string, format: RowFormat): Store & { files: string[] } {
  const files: string[] = [];
  return {
    kind: 'server', location: dir, database: 'otel', table: 'otel_traces', rowFormat: format, files,
    async query() { return []; },
    async exec() { /* nothing */ },
    async insert() { /* nothing */ },
    async insertEncoded(_t, _c, _f, payload) {
      const f = join(dir, `batch-${String(files.length).padStart(4, '0')}.bin`);
      if (dir) writeFileSync(f, payload);
      files.push(f);
    },
    async enterReadonly() { /* nothing */ },
    async close() { /* nothing */ },
  };
}

/** The JS side stage by stage, on this thread: what one core does per span. */
async function jsStages(spool: string, spans: number): Promise<void> {
  const files = readdirSync(spool).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(spool, f));
  const texts: string[] = [];
  let m = await measure(async () => { for (const f of files) texts.push(readFileSync(f, 'utf8')); });
  console.log(line('read + UTF-8 decode', spans, m));
  const lines: string[] = [];
  m = await measure(async () => {
    for (const t of texts) {
      let s = 0;
      for (;;) { const nl = t.indexOf('\n', s); if (nl < 0) break; lines.push(t.slice(s, nl)); s = nl + 1; }
    }
  });
  console.log(line('split lines', spans, m));
  texts.length = 0;
  let parsed: unknown[] = [];
  m = await measure(async () => { parsed = lines.map((l) => JSON.parse(l)); });
  console.log(line('JSON.parse', spans, m));
  let mapped: ReturnType<typeof requestRows>[] = [];
  m = await measure(async () => { mapped = parsed.map((p) => requestRows(p)); });
  console.log(line('map (requestRows)', spans, m));
  parsed = [];
  const buf = new RowBinaryBuffer(256 << 20);
  m = await measure(async () => { for (const r of mapped) for (const row of r.rows) { buf.row(row); if (buf.length > 200 << 20) buf.reset(); } });
  console.log(line('encode RowBinary', spans, m));
  mapped = [];
}

interface Variant { name: string; setup: (s: Store, db: string) => Promise<void>; settings?: string; perBatch?: boolean }

async function fullSchema(s: Store, db: string): Promise<void> {
  await ensureSchema(s, { database: db, table: 'otel_traces' }, 'bloom');
}

async function exporterOnly(s: Store, db: string): Promise<void> {
  for (const sql of schemaStatements('bloom', { database: db, table: 'otel_traces' })) await s.exec(sql);
}

const EXPORTER_INDEXES = ['idx_trace_id', 'idx_res_attr_key', 'idx_res_attr_value', 'idx_span_attr_key', 'idx_span_attr_value', 'idx_duration'];

async function noView(s: Store, db: string): Promise<void> {
  await exporterOnly(s, db);
  await s.exec(`DROP VIEW ${quoteIdent(db)}.otel_traces_trace_id_ts_mv`);
}

async function bare(s: Store, db: string): Promise<void> {
  await noView(s, db);
  await s.exec(`ALTER TABLE ${quoteIdent(db)}.otel_traces ${EXPORTER_INDEXES.map((i) => `DROP INDEX ${i}`).join(', ')}`);
}

async function nullEngine(s: Store, db: string): Promise<void> {
  await s.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(db)}`);
  await s.exec(`CREATE TABLE ${quoteIdent(db)}.otel_traces (${SPAN_COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')}) ENGINE = Null`);
}

const VARIANTS: Variant[] = [
  { name: 'Null engine (RowBinary parse only)', setup: nullEngine },
  { name: 'exporter table, no skip indexes, no trace-id view', setup: bare },
  { name: 'exporter table, no trace-id view', setup: noView },
  { name: 'exporter DDL (table + view)', setup: exporterOnly },
  { name: 'full (exporter + SST layer), one INSERT per batch', setup: fullSchema, perBatch: true },
  { name: 'full, one INSERT of all batches', setup: fullSchema },
  { name: 'full, max_insert_threads=2, max_threads=2', setup: fullSchema, settings: 'max_insert_threads = 2, max_threads = 2' },
  { name: 'full, min_insert_block_size_rows=1M (bigger blocks)', setup: fullSchema, settings: 'min_insert_block_size_rows = 1000000, min_insert_block_size_bytes = 0, max_insert_block_size = 1000000' },
  { name: 'full, optimize_on_insert=0', setup: fullSchema, settings: 'optimize_on_insert = 0' },
  { name: 'full, parallel view processing + 2 threads', setup: fullSchema, settings: 'parallel_view_processing = 1, max_insert_threads = 2, max_threads = 2' },
  { name: 'full, skip indexes deferred to merges', setup: fullSchema, settings: 'exclude_materialize_skip_indexes_on_insert = \'idx_trace_id,idx_res_attr_key,idx_res_attr_value,idx_span_attr_key,idx_span_attr_value,idx_duration,idx_sst_fingerprints,idx_sst_flow\'' },
];

async function chdbInserts(files: string[], spans: number, work: string, only?: string): Promise<void> {
  const store = await openStore({ dir: join(work, 'chdb'), create: true });
  try {
    const structure = SPAN_COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ');
    const cols = SPAN_COLUMNS.map(([n]) => quoteIdent(n)).join(', ');
    const glob = join(work, 'batches', 'batch-*.bin');
    let k = 0;
    for (const v of VARIANTS) {
      if (only && !only.split('|').some((o) => v.name.includes(o))) continue;
      for (let rep = 0; rep < 2; rep++) {
        const db = `ceil_${k++}`;
        await v.setup(store, db);
        const target = `${quoteIdent(db)}.otel_traces (${cols})`;
        const settings = v.settings ? ` SETTINGS ${v.settings}` : '';
        const m = await measure(async () => {
          if (v.perBatch) {
            for (const f of files) await store.exec(`INSERT INTO ${target} SELECT * FROM file('${f}', 'RowBinary', '${structure}')${settings}`);
          } else {
            await store.exec(`INSERT INTO ${target} SELECT * FROM file('${glob}', 'RowBinary', '${structure}')${settings}`);
          }
        });
        console.log(line(`${v.name} #${rep + 1}`, spans, m));
        await store.exec(`DROP DATABASE ${quoteIdent(db)} SYNC`);
      }
    }
  } finally {
    await store.close();
  }
}

export async function runCeilings(spool: string, spans: number, work: string, only?: string): Promise<void> {
  const batches = join(work, 'batches');
  mkdirSync(batches, { recursive: true });
  console.log('\n-- (b) JS side alone: the loader with a store that only keeps the RowBinary batches');
  let cap = captureStore('', 'RowBinary');
  for (const workers of [0, 1, 2]) {
    // The last run keeps the batches for (a).
    cap = captureStore(workers === 2 ? batches : '', 'RowBinary');
    let st: Awaited<ReturnType<typeof ingest>> | undefined;
    const m = await measure(async () => { st = await ingest(cap, { paths: [spool], workers }); });
    // Worker threads are gone before the per-thread count is taken: their time is in the total only.
    console.log(line(`loader, parse + encode, ${workers} worker threads (${st?.spans} spans)`, spans, m));
  }
  console.log('   stage by stage (all in memory, one thread):');
  await jsStages(spool, spans);
  console.log('\n-- (a) chDB alone: INSERT … SELECT FROM file() of the pre-encoded RowBinary batches');
  await chdbInserts(cap.files, spans, work, only);
  rmSync(batches, { recursive: true, force: true });
}
