// One interface to the lineage store, two engines: chDB in-process (the default, a data directory
// under .sst/clickhouse) and any ClickHouse server over HTTP through @clickhouse/client when
// SST_CLICKHOUSE_URL is set. Both run the same SQL with server-side parameter binding
// (`{name:Type}` placeholders), so values never enter the SQL text.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { RowFormat } from './row-buffer';
import { quoteIdent } from './schema';

export type Row = Record<string, unknown>;
export type Params = Record<string, unknown>;

export interface Store {
  readonly kind: 'chdb' | 'server';
  /** Data directory or server URL without credentials (for messages). */
  readonly location: string;
  readonly database: string;
  readonly table: string;
  query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  exec(sql: string, params?: Params): Promise<void>;
  /** Rows as objects, or a ready JSONEachRow payload (one row per line). */
  insert(table: string, rows: ReadonlyArray<Row> | Buffer): Promise<void>;
  /** The batch format this store takes with the least work (RowBinary in chDB). */
  readonly rowFormat: RowFormat;
  /** A batch of encoded rows for `columns` (name, ClickHouse type), in `format`. */
  insertEncoded(table: string, columns: ReadonlyArray<readonly [string, string]>, format: RowFormat, payload: Buffer): Promise<void>;
  /** From now on nothing can be written (`sst sql`). */
  enterReadonly(): Promise<void>;
  close(): Promise<void>;
}

/** A store failure with a single-line message fit for a terminal. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(message: string, readonly clickhouseCode?: number) { super(message); }
}

export interface OpenOptions {
  /** chDB data directory (default `<cwd>/.sst/clickhouse`). */
  dir?: string;
  /** ClickHouse HTTP URL; when set, the server is used instead of chDB. */
  url?: string;
  database?: string;
  table?: string;
  /** Create the chDB directory when it does not exist (ingest); otherwise a missing store is an error. */
  create?: boolean;
  /** Tests: a pre-built @clickhouse/client connection (e.g. chdb/connection) instead of HTTP. */
  connection?: unknown;
}

export const DEFAULT_DATABASE = 'otel';
export const DEFAULT_TABLE = 'otel_traces';
const MAX_ERROR_CHARS = 400;
const VERSION_SUFFIX = /^\(version [^)]*\)\s*$/;
const QUERY_FAILED = /^(?:Query failed:\s*)+/;

/** `… (version 24.8.1.1)` at the end of a line, cut without a regex that starts with `\s*`
 *  (which backtracks quadratically on long runs of spaces). */
function withoutVersionSuffix(line: string): string {
  const at = line.lastIndexOf('(version ');
  return at >= 0 && VERSION_SUFFIX.test(line.slice(at)) ? line.slice(0, at).trimEnd() : line;
}

/** ClickHouse errors are long and multi-line; keep the first line, without the version suffix. */
export function oneLine(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? 'unknown error';
  const s = withoutVersionSuffix(first.replace(QUERY_FAILED, ''));
  return s.length > MAX_ERROR_CHARS ? s.slice(0, MAX_ERROR_CHARS) + '…' : s;
}

function storeError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const code = (e as { clickhouseCode?: unknown; code?: unknown }).clickhouseCode;
  const n = typeof code === 'number' ? code : Number((e as { code?: unknown }).code);
  return new StoreError(oneLine(e), Number.isFinite(n) ? n : undefined);
}

function parseJsonEachRow<T>(text: string): T[] {
  const out: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) out.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return out;
}

function rowsPayload(rows: ReadonlyArray<Row> | Buffer): Buffer {
  if (Buffer.isBuffer(rows)) return rows;
  return Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
}

/** Database and table names are restricted to plain identifiers (chDB's insert accepts no
 *  quoting), which also keeps them safe to splice into DDL. */
const PLAIN_IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function checkIdent(name: string, what: string): string {
  if (!PLAIN_IDENT.test(name)) throw new StoreError(`invalid ${what} name (letters, digits and _ only)`);
  return name;
}

/** A table name qualified with the store's database unless it already names one. */
function qualified(database: string, table: string): string {
  if (table.includes('.')) {
    const [d, t] = table.split('.', 2);
    return `${checkIdent(d, 'database')}.${checkIdent(t, 'table')}`;
  }
  return `${database}.${checkIdent(table, 'table')}`;
}

// ------------------------------------------------------------------------------------------------
// chDB

interface ChdbResultLike { text(): string }
interface ChdbSessionLike {
  queryAsync(sql: string, opts?: { format?: string }): Promise<ChdbResultLike>;
  queryBindAsync(sql: string, params: object, opts?: { format?: string }): Promise<ChdbResultLike>;
  insert(p: { table: string; values: Buffer; format: 'JSONEachRow'; columns?: string[]; settings?: Record<string, number> }): Promise<unknown>;
  close(): void;
}

/** chDB's async_insert is on by default: every small INSERT would wait for the queue's flush
 *  timer (50–200 ms), which a load pays once per batch for its state rows. */
const SYNC_INSERT = { async_insert: 0 };
/** A path ClickHouse's file() takes literally: no quotes, no glob characters. */
const PLAIN_PATH = /^[A-Za-z0-9_\-./]+$/;

/** The whole batch in one write: fs.promises.writeFile writes 512 KiB at a time, each piece
 *  waiting for an event-loop turn, and a thread busy parsing made a 64 MB batch wait ~2 s (the
 *  INSERT started that much later, every batch). */
async function writeWhole(file: string, payload: Buffer): Promise<void> {
  const fh = await open(file, 'w');
  try {
    let at = 0;
    while (at < payload.length) {
      const { bytesWritten } = await fh.write(payload, at, payload.length - at, at);
      at += bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

function structure(columns: ReadonlyArray<readonly [string, string]>): string {
  return columns.map(([name, type]) => `${quoteIdent(name)} ${type}`).join(', ');
}

interface ChdbModule { Session: new (path: string) => ChdbSessionLike }

function loadChdb(): ChdbModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('chdb') as ChdbModule;
  } catch {
    throw new StoreError('chDB is not installed (npm package "chdb", an optional dependency); install it or set SST_CLICKHOUSE_URL to use a ClickHouse server');
  }
}

class ChdbStore implements Store {
  readonly kind = 'chdb' as const;
  readonly rowFormat: RowFormat;
  private spillDir: string | undefined;
  private spillSeq = 0;
  constructor(private readonly session: ChdbSessionLike, readonly location: string, readonly database: string, readonly table: string) {
    this.rowFormat = this.spillParent() ? 'RowBinary' : 'JSONEachRow';
  }

  /** Where batches are written for file(): the temp directory, else the store's own. */
  private spillParent(): string | undefined {
    return [tmpdir(), this.location].find((d) => PLAIN_PATH.test(d));
  }

  async query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    try {
      const r = params && Object.keys(params).length
        ? await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' })
        : await this.session.queryAsync(sql, { format: 'JSONEachRow' });
      return parseJsonEachRow<T>(r.text());
    } catch (e) { throw storeError(e); }
  }

  async exec(sql: string, params?: Params): Promise<void> {
    try {
      if (params && Object.keys(params).length) await this.session.queryBindAsync(sql, params);
      else await this.session.queryAsync(sql);
    } catch (e) { throw storeError(e); }
  }

  async insert(table: string, rows: ReadonlyArray<Row> | Buffer): Promise<void> {
    const values = rowsPayload(rows);
    if (values.length === 0) return;
    try {
      await this.session.insert({ table: qualified(this.database, table), values, format: 'JSONEachRow', settings: SYNC_INSERT });
    } catch (e) { throw storeError(e); }
  }

  // The batch goes through a file: `INSERT … SELECT FROM file()` costs ClickHouse about half the
  // work of the same bytes handed to chDB's insert() (measured: 6 vs 13 CPU-s per 200k spans),
  // and file() reads binary formats, which insert() does not take.
  async insertEncoded(table: string, columns: ReadonlyArray<readonly [string, string]>, format: RowFormat, payload: Buffer): Promise<void> {
    if (payload.length === 0) return;
    const target = `${qualified(this.database, table)} (${columns.map(([n]) => quoteIdent(n)).join(', ')})`;
    const parent = this.spillParent();
    if (!parent) {
      if (format !== 'JSONEachRow') throw new StoreError(`cannot insert ${format} without a plain temporary directory`);
      try {
        await this.session.insert({ table: qualified(this.database, table), values: payload, format, columns: columns.map(([n]) => n), settings: SYNC_INSERT });
      } catch (e) { throw storeError(e); }
      return;
    }
    try {
      this.spillDir ??= mkdtempSync(join(parent, 'sst-ingest-'));
      const file = join(this.spillDir, `batch-${process.pid}-${this.spillSeq++}.${format === 'RowBinary' ? 'bin' : 'ndjson'}`);
      await writeWhole(file, payload);
      try {
        await this.session.queryAsync(`INSERT INTO ${target} SELECT * FROM file('${file}', '${format}', '${structure(columns)}')`);
      } finally {
        await unlink(file).catch(() => undefined);
      }
    } catch (e) { throw storeError(e); }
  }

  async enterReadonly(): Promise<void> {
    // A session setting: every later statement of this session runs with readonly=1, which also
    // forbids changing it back.
    await this.exec('SET readonly = 1');
  }

  async close(): Promise<void> {
    this.session.close();
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = undefined;
  }
}

// ------------------------------------------------------------------------------------------------
// ClickHouse server (HTTP)

interface ChClientLike {
  query(p: { query: string; format: 'JSONEachRow'; query_params?: Params; clickhouse_settings?: Record<string, unknown> }): Promise<{ json<T>(): Promise<T[]> }>;
  command(p: { query: string; query_params?: Params; clickhouse_settings?: Record<string, unknown> }): Promise<unknown>;
  exec(p: { query: string; values?: Readable; clickhouse_settings?: Record<string, unknown> }): Promise<{ stream: Readable }>;
  close(): Promise<void>;
}

class ServerStore implements Store {
  readonly kind = 'server' as const;
  // Text: the server parses it on its own cores, and chdb/connection (tests) passes text only.
  readonly rowFormat: RowFormat = 'JSONEachRow';
  private settings: Record<string, unknown> | undefined;
  constructor(private readonly client: ChClientLike, readonly location: string, readonly database: string, readonly table: string) {}

  async query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    try {
      const rs = await this.client.query({ query: sql, format: 'JSONEachRow', query_params: params, clickhouse_settings: this.settings });
      return await rs.json<T>();
    } catch (e) { throw storeError(e); }
  }

  async exec(sql: string, params?: Params): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params, clickhouse_settings: this.settings });
    } catch (e) { throw storeError(e); }
  }

  async insert(table: string, rows: ReadonlyArray<Row> | Buffer): Promise<void> {
    await this.send(`INSERT INTO ${qualified(this.database, table)} FORMAT JSONEachRow`, rowsPayload(rows));
  }

  async insertEncoded(table: string, columns: ReadonlyArray<readonly [string, string]>, format: RowFormat, payload: Buffer): Promise<void> {
    await this.send(`INSERT INTO ${qualified(this.database, table)} (${columns.map(([n]) => quoteIdent(n)).join(', ')}) FORMAT ${format}`, payload);
  }

  private async send(query: string, values: Buffer): Promise<void> {
    if (values.length === 0) return;
    try {
      // exec sends the bytes as they are (insert() would re-encode a stream of JSON rows as objects).
      const r = await this.client.exec({ query, values: Readable.from([values]), clickhouse_settings: this.settings });
      r.stream.resume();
      await new Promise<void>((res, rej) => { r.stream.once('end', res); r.stream.once('error', rej); r.stream.once('close', res); });
    } catch (e) { throw storeError(e); }
  }

  async enterReadonly(): Promise<void> {
    // readonly=1 per request: the server refuses writes and any attempt to change settings.
    this.settings = { readonly: '1' };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** ClickHouse keeps `<dir>/status` (`PID: n`) while a process has the data directory open and
 *  removes it on close; a live pid other than ours means the store is held right now. */
function storeHolder(dir: string): number | undefined {
  let text: string;
  try { text = readFileSync(join(dir, 'status'), 'utf8'); } catch { return undefined; }
  const pid = Number(/^PID:\s*(\d+)/m.exec(text)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: alive but someone else's; ESRCH: a stale file from a process that died.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

export function defaultStoreDir(cwd: string = process.cwd()): string {
  return resolve(cwd, '.sst', 'clickhouse');
}

/** Opens the server store when a URL is given (or SST_CLICKHOUSE_URL is set), else chDB. */
export async function openStore(opts: OpenOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const database = checkIdent(opts.database || env.SST_CLICKHOUSE_DATABASE || DEFAULT_DATABASE, 'database');
  const table = checkIdent(opts.table || env.SST_CLICKHOUSE_TABLE || DEFAULT_TABLE, 'table');
  const url = opts.url ?? env.SST_CLICKHOUSE_URL;
  if (url || opts.connection) {
    const where = url ? withoutCredentials(url) : '(injected connection)';
    if (url) {
      try { new URL(url); } catch { throw new StoreError(`SST_CLICKHOUSE_URL is not a valid URL`); }
    }
    let createClient: (cfg: object) => ChClientLike;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ({ createClient } = require('@clickhouse/client') as { createClient: (cfg: object) => ChClientLike });
    } catch {
      throw new StoreError('@clickhouse/client is not installed');
    }
    const base = { ...(url ? { url } : {}), ...(opts.connection ? { connection: opts.connection } : {}) };
    // The database may not exist yet, and a client bound to a missing database fails every request:
    // create it first, then bind the client (unqualified names in `sst sql` resolve there).
    const boot = createClient(base);
    try {
      await boot.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}` });
    } catch (e) {
      throw new StoreError(`cannot use ClickHouse at ${where}: ${oneLine(e)}`);
    } finally {
      if (!opts.connection) await boot.close().catch(() => undefined);
    }
    return new ServerStore(createClient({ ...base, database }), where, database, table);
  }
  const dir = resolve(opts.dir || defaultStoreDir());
  if (!existsSync(dir)) {
    if (!opts.create) throw new StoreError(`no store at ${dir}; run \`sst ingest\` first (or set SST_CLICKHOUSE_URL)`);
    mkdirSync(dir, { recursive: true });
  }
  const holder = storeHolder(dir);
  if (holder !== undefined) {
    // chDB would print its own multi-line exception on stderr and then fail; say it once, plainly.
    throw new StoreError(`the chDB store at ${dir} is in use by another process (pid ${holder}); wait for it to finish or use another --store`);
  }
  const chdb = loadChdb();
  let session: ChdbSessionLike;
  try {
    session = new chdb.Session(dir);
  } catch (e) {
    throw new StoreError(`cannot open the chDB store at ${dir}: ${oneLine(e)}`);
  }
  const store = new ChdbStore(session, dir, database, table);
  try {
    await store.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`);
    // Unqualified names in `sst sql` resolve in the SST database, as with the server's `database`.
    await store.exec(`USE ${quoteIdent(database)}`);
  } catch (e) {
    session.close();
    throw new StoreError(`cannot open the chDB store at ${dir}: ${oneLine(e)}`);
  }
  return store;
}
