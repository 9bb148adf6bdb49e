// `npm run bench:store [-- --full] [-- --spans N] [-- --replicate K] [-- --workers N] [-- --ceilings]`: ingest rate and query latency
// of the lineage store in chDB on synthetic spans (1M; 1M and 10M with --full; `--spans 1000000
// --replicate 10` loads 1M and copies it to 10M inside ClickHouse before the queries, which takes
// minutes instead of the ~15 of generating and loading 10M). Not a test: it prints numbers.
// Targets (issue 4): ingest ≥ 200k spans/s; subject lineage < 200 ms at 10M spans.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../clickhouse/client';
import { ingest } from '../clickhouse/loader';
import { lineage, shares } from '../clickhouse/queries';
import { SPAN_COLUMNS } from '../clickhouse/row-buffer';
import { ensureSchema } from '../clickhouse/schema';
import { machineBusyTicks, runCeilings, threadCpu, threadsByName } from './store-ceilings';
import { writeSynthetic } from './synthetic';

interface Stats { median: number; p95: number; max: number }

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

const fmt = (x: Stats): string => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/** Copies the loaded spans `copies − 1` more times inside ClickHouse, each copy with its own
 *  trace/span ids and fingerprints (so a subject still has the spans of one copy), to reach 10M
 *  rows without generating and parsing 14 GB of JSON. Inserts run the same MergeTree write path
 *  (sort, codecs, skip indexes, materialized SST columns, the trace-id view) as a load. */
async function replicateTable(store: Store, copies: number): Promise<number> {
  const t = `${store.database}.${store.table}`;
  const cols = SPAN_COLUMNS.map(([n]) => `\`${n}\``).join(', ');
  const tmp = `${store.database}.bench_replica_source`;
  await store.exec(`DROP TABLE IF EXISTS ${tmp}`);
  await store.exec(`CREATE TABLE ${tmp} ENGINE = Memory AS SELECT ${cols} FROM ${t}`);
  // 22-character base64url runs in sst.* values are fingerprints: the copy's tag replaces the last two.
  const fps = (k: number): string => `(key, v) -> (key, if(startsWith(key, 'sst.'), replaceRegexpAll(v, '([A-Za-z0-9_-]{20})[A-Za-z0-9_-]{2}', '\\\\1${k.toString(36).padStart(2, '0')}'), v))`;
  const id = (c: string, k: number): string => `if(${c} = '', '', concat(substring(${c}, 1, length(${c}) - 4), leftPad(lower(hex(toUInt16(${k}))), 4, '0')))`;
  try {
    for (let k = 1; k < copies; k++) {
      await store.exec(`INSERT INTO ${t} (${cols}) SELECT Timestamp, ${id('TraceId', k)}, ${id('SpanId', k)}, ${id('ParentSpanId', k)}, TraceState,
        SpanName, SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, mapApply(${fps(k)}, SpanAttributes), Duration, StatusCode, StatusMessage,
        \`Events.Timestamp\`, \`Events.Name\`, arrayMap(m -> mapApply(${fps(k)}, m), \`Events.Attributes\`),
        \`Links.TraceId\`, \`Links.SpanId\`, \`Links.TraceState\`, \`Links.Attributes\` FROM ${tmp}`);
    }
  } finally {
    await store.exec(`DROP TABLE IF EXISTS ${tmp}`);
  }
  return Number((await store.query<{ n: string }>(`SELECT count() AS n FROM ${t}`))[0].n);
}

async function runSize(spans: number, keep: boolean, replicate: number, workers?: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'sst-bench-'));
  const spool = join(root, 'spool');
  const storeDir = join(root, 'clickhouse');
  console.log(`\n== ${spans.toLocaleString('en-US')} spans (work dir ${root})`);
  let t = performance.now();
  const syn = writeSynthetic({ dir: spool, spans });
  console.log(`generated ${syn.spans} spans in ${syn.files} files, ${(syn.bytes / 1e9).toFixed(2)} GB of OTLP-JSON, ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const store = await openStore({ dir: storeDir, create: true });
  try {
    await ensureSchema(store, { database: store.database, table: store.table }, 'bloom');
    t = performance.now();
    // CPU time of the whole process (the JS thread and chDB's threads): comparable across runs on
    // a shared machine, where wall time depends on what else runs.
    const cpu0 = process.cpuUsage();
    const m0 = machineBusyTicks();
    const th0 = threadCpu();
    // Worker threads are gone when the load returns: their last reading is kept.
    const last = new Map(th0);
    const sample = (): void => { for (const [tid, v] of threadCpu()) last.set(tid, v); };
    const st = await ingest(store, { paths: [spool], onProgress: sample, progressIntervalMs: 200, ...(workers !== undefined ? { workers } : {}) });
    sample();
    const machine = (machineBusyTicks() - m0) / 100;
    const threads = threadsByName(th0, last);
    const secs = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    console.log(`ingest: ${st.spans} spans in ${secs.toFixed(1)} s = ${Math.round(st.spans / secs).toLocaleString('en-US')} spans/s (${(st.bytes / 1e6 / secs).toFixed(0)} MB/s; corrupt ${st.corrupt}, duplicates ${st.duplicates})`);
    console.log(`ingest CPU: ${cpuSecs.toFixed(1)} s (${(cpuSecs / secs).toFixed(2)} cores busy) = ${Math.round(st.spans / cpuSecs).toLocaleString('en-US')} spans per CPU-second · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // Other processes on the machine meanwhile: on a shared machine they set the wall time.
    console.log(`machine: ${(machine / secs).toFixed(2)} of ${cpus().length} cores busy during the load, ${((machine - cpuSecs) / secs).toFixed(2)} of them other processes · CPU-s by thread: ${threads.slice(0, 6).map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ')}`);
    const [againMs, again] = await timed(() => ingest(store, { paths: [spool] }));
    console.log(`ingest again (nothing new): ${again.spans} spans in ${againMs.toFixed(0)} ms`);
    if (replicate > 1) {
      const [ms, total] = await timed(() => replicateTable(store, replicate));
      console.log(`replicated inside ClickHouse to ${total.toLocaleString('en-US')} spans (${replicate} copies, ids and fingerprints rewritten per copy) in ${(ms / 1000).toFixed(0)} s; queries below run on all of them`);
    }

    // Subject lineage: different subjects each time, so no result is served from a warm cache of the same granules.
    const lin: number[] = [];
    let steps = 0;
    for (let i = 0; i < 20; i++) {
      const subject = Math.floor(((i * 7919) % 1000) / 1000 * syn.subjects);
      const [ms, r] = await timed(() => lineage(store, [syn.emailFp(subject)]));
      lin.push(ms);
      steps += r.length;
    }
    console.log(`lineage by fingerprint (20 subjects, ${(steps / 20).toFixed(1)} steps each): ${fmt(stats(lin))}`);

    const sh: number[] = [];
    for (let i = 0; i < 10; i++) {
      const [ms] = await timed(() => shares(store, { vendor: 'meta', category: 'phone', sinceMs: Date.now() - 86_400_000, limit: 100 }));
      sh.push(ms);
    }
    console.log(`shares --vendor meta --category phone --since 1d --limit 100: ${fmt(stats(sh))}`);
    const sh2: number[] = [];
    for (let i = 0; i < 10; i++) {
      const [ms] = await timed(() => shares(store, { limit: 100 }));
      sh2.push(ms);
    }
    console.log(`shares (newest 100, no filter): ${fmt(stats(sh2))}`);
  } finally {
    await store.close();
  }

  // One whole CLI call, process start and chDB open included.
  const cli = resolve(__dirname, '..', 'cli', 'sst.js');
  t = performance.now();
  const r = spawnSync(process.execPath, [cli, '--store', storeDir, 'lineage', '--fingerprint', syn.emailFp(1), '--no-ingest', '--json'], { encoding: 'utf8' });
  console.log(`sst lineage (whole process, chDB open included): ${(performance.now() - t).toFixed(0)} ms, exit ${r.status}`);
  if (!keep) rmSync(root, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const keep = args.includes('--keep');
  const i = args.indexOf('--spans');
  const sizes = i >= 0 ? [Number(args[i + 1])] : full ? [1_000_000, 10_000_000] : [1_000_000];
  const r = args.indexOf('--replicate');
  const replicate = r >= 0 ? Number(args[r + 1]) : 1;
  if (!Number.isInteger(replicate) || replicate < 1 || replicate > 100) throw new Error('--replicate needs a whole number from 1 to 100');
  const c = args.indexOf('--ceilings');
  const w = args.indexOf('--workers');
  const workers = w >= 0 ? Number(args[w + 1]) : undefined;
  console.log(`sst store benchmark · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}) · node ${process.version}`);
  // A yardstick for reading the numbers across machines (a 2023 laptop core does this in ~100 ms).
  const t = performance.now();
  let x = 0;
  for (let k = 0; k < 1e8; k++) x += k;
  console.log(`cpu yardstick: 1e8-step JS loop in ${(performance.now() - t).toFixed(0)} ms${x < 0 ? '' : ''} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (c >= 0) {
    // What bounds ingest here, measured apart (JS side alone, chDB alone); default 200k spans.
    const n = i >= 0 ? sizes[0] : 200_000;
    const root = mkdtempSync(join(tmpdir(), 'sst-ceil-'));
    try {
      const syn = writeSynthetic({ dir: join(root, 'spool'), spans: n });
      console.log(`${syn.spans} synthetic spans, ${(syn.bytes / 1e6).toFixed(0)} MB of OTLP-JSON`);
      const only = args[c + 1] && !args[c + 1].startsWith('--') ? args[c + 1] : undefined;
      await runCeilings(join(root, 'spool'), syn.spans, root, only);
    } finally {
      if (!keep) rmSync(root, { recursive: true, force: true });
    }
    return;
  }
  for (const n of sizes) {
    if (!Number.isFinite(n) || n <= 0) throw new Error('--spans needs a positive number');
    await runSize(n, keep, replicate, workers);
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
