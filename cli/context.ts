// Where the CLI finds things (store, spool) and how it opens the store: schema ensured, and for the
// reading commands the spool loaded first when it has new lines (cheap: the load is incremental).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultStoreDir, openStore, type Store } from '../clickhouse/client';
import { ingest, type IngestProgress, type IngestStats } from '../clickhouse/loader';
import { ensureSchema, type DdlGeneration } from '../clickhouse/schema';
import { UsageError } from './errors';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal (progress can redraw one line). */
  errIsTty: boolean;
}

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --store: chDB data directory. */
  storeDir?: string;
  io: Io;
}

export function spoolDir(ctx: Context): string {
  return ctx.env.SST_SPOOL_DIR ? resolve(ctx.cwd, ctx.env.SST_SPOOL_DIR) : join(ctx.cwd, '.sst', 'spool');
}

export function storeDir(ctx: Context): string {
  return ctx.storeDir ? resolve(ctx.cwd, ctx.storeDir) : defaultStoreDir(ctx.cwd);
}

function spoolHasFiles(dir: string): boolean {
  try { return readdirSync(dir).some((n) => /\.(jsonl|ndjson|json)$/i.test(n)); } catch { return false; }
}

/** Which otel_traces DDL to create when the table is missing (SST_CLICKHOUSE_DDL): bloom filters
 *  for the embedded store (cheaper inserts, tiny indexes), and on a server whatever the exporter
 *  itself would create for that server version (`auto`). */
export function ddlGeneration(kind: Store['kind'], env: NodeJS.ProcessEnv): DdlGeneration | undefined {
  const v = (env.SST_CLICKHOUSE_DDL ?? '').trim().toLowerCase();
  if (v === 'bloom' || v === 'textindex') return v;
  if (v === 'auto') return undefined;
  if (v !== '') throw new UsageError(`invalid SST_CLICKHOUSE_DDL "${v.slice(0, 20)}" (bloom, textindex or auto)`);
  return kind === 'chdb' ? 'bloom' : undefined;
}

export async function openReady(ctx: Context, create: boolean): Promise<Store> {
  const generation = ddlGeneration(ctx.env.SST_CLICKHOUSE_URL ? 'server' : 'chdb', ctx.env);
  const store = await openStore({ dir: storeDir(ctx), create }, ctx.env);
  try {
    await ensureSchema(store, { database: store.database, table: store.table }, generation);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

/** Progress on stderr for long loads: a redrawn line on a terminal, a line every few seconds otherwise. */
export function progressPrinter(io: Io): { onProgress: (p: IngestProgress) => void; done: () => void } {
  let shown = false;
  let lastLine = 0;
  return {
    onProgress(p) {
      if (p.elapsedMs < (io.errIsTty ? 1000 : 5000)) return;
      const pct = p.bytesTotal ? Math.floor((p.bytesRead / p.bytesTotal) * 100) : 100;
      const line = `sst: loading ${pct}% (${(p.bytesRead / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB, ${p.spans} spans, file ${Math.min(p.filesDone + 1, p.filesTotal)}/${p.filesTotal}, ${(p.elapsedMs / 1000).toFixed(0)} s)`;
      if (io.errIsTty) { io.err(`\r${line}\x1b[K`); shown = true; return; }
      if (p.elapsedMs - lastLine >= 5000) { lastLine = p.elapsedMs; io.err(line + '\n'); }
    },
    done() { if (shown) io.err('\r\x1b[K'); },
  };
}

export async function runIngest(ctx: Context, store: Store, paths: string[]): Promise<IngestStats> {
  const pp = progressPrinter(ctx.io);
  try {
    return await ingest(store, { paths, onProgress: pp.onProgress });
  } finally {
    pp.done();
  }
}

/** For report / shares / lineage: load new spool lines first unless told not to. */
export async function openForReading(ctx: Context, autoIngest: boolean): Promise<Store> {
  const spool = spoolDir(ctx);
  const loadSpool = autoIngest && existsSync(spool) && spoolHasFiles(spool);
  const store = await openReady(ctx, loadSpool);
  if (loadSpool) {
    try {
      const s = await runIngest(ctx, store, [spool]);
      if (s.spans || s.corrupt) {
        ctx.io.err(`sst: loaded ${s.spans} new spans from ${spool}${s.corrupt ? ` (${s.corrupt} corrupt lines skipped; run \`sst ingest\` for details)` : ''}\n`);
      }
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  }
  return store;
}
