// The DDL lives in clickhouse/schema/*.sql (readable, diffable against the exporter's templates);
// this module finds those files, fills in the placeholders and applies them in order.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type DdlGeneration = 'bloom' | 'textindex';

export interface SchemaOptions {
  database: string;
  table: string;
  /** Exporter `ttl`: seconds; 0 = no TTL. */
  ttlSeconds?: number;
  /** Exporter `cluster_name`; empty = no ON CLUSTER. */
  cluster?: string;
  /** Exporter `table_engine` (name and params), default MergeTree(). */
  engine?: string;
}

export interface SchemaRunner {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

const SCHEMA_FILES = { bloom: 'otel_traces.bloom.sql', textindex: 'otel_traces.textindex.sql', sst: 'sst.sql' } as const;
const IDENT_UNSAFE = /[`\\]/g;
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
const LINE_COMMENT = /^\s*--.*$/gm;
/** Statements end with `;` at the end of a line; none of our statements has one inside a string. */
const STATEMENT_END = /;\s*$/m;
/** The first ClickHouse release whose exporter DDL uses text indexes. */
export const TEXT_INDEX_MIN_VERSION: readonly [number, number] = [26, 2];

export function quoteIdent(name: string): string {
  return '`' + name.replace(IDENT_UNSAFE, (c) => '\\' + c) + '`';
}

/** The exporter's TTL rule: the largest whole unit (day, hour, minute, else second). */
export function ttlExpr(seconds: number | undefined, timeField: string): string {
  if (!seconds || seconds <= 0) return '';
  const s = Math.floor(seconds);
  if (s % 86400 === 0) return `TTL ${timeField} + toIntervalDay(${s / 86400})`;
  if (s % 3600 === 0) return `TTL ${timeField} + toIntervalHour(${s / 3600})`;
  if (s % 60 === 0) return `TTL ${timeField} + toIntervalMinute(${s / 60})`;
  return `TTL ${timeField} + toIntervalSecond(${s})`;
}

/** The lookup table of a Replicated engine is the Replicated aggregating one, as the exporter does. */
function tsEngine(engine: string): string {
  const m = /^(Replicated)?MergeTree(\(.*\))?$/.exec(engine.trim());
  if (!m) return engine;
  return m[1] ? `ReplicatedAggregatingMergeTree${m[2] ?? '()'}` : 'AggregatingMergeTree()';
}

/** clickhouse/schema beside the compiled module, or in the package root (dist/ and area builds
 *  copy no .sql files; an area build links the root's node_modules, which leads back to it). */
export function schemaDir(from: string = __dirname): string {
  const candidates = [join(from, 'schema')];
  let dir = from;
  for (let i = 0; i < 8; i++) {
    candidates.push(join(dir, 'clickhouse', 'schema'));
    const nm = join(dir, 'node_modules');
    if (existsSync(nm)) {
      try { candidates.push(join(dirname(realpathSync(nm)), 'clickhouse', 'schema')); } catch { /* dangling link */ }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const c of candidates) if (existsSync(join(c, SCHEMA_FILES.sst))) return c;
  throw new Error(`cannot find the ClickHouse schema files (looked in ${candidates.slice(0, 3).join(', ')} …)`);
}

export function renderTemplate(text: string, opts: SchemaOptions): string {
  const engine = opts.engine?.trim() || 'MergeTree()';
  const values: Record<string, string> = {
    database: quoteIdent(opts.database),
    table: quoteIdent(opts.table),
    ts_table: quoteIdent(`${opts.table}_trace_id_ts`),
    ts_view: quoteIdent(`${opts.table}_trace_id_ts_mv`),
    cluster: opts.cluster ? `ON CLUSTER ${quoteIdent(opts.cluster)}` : '',
    engine,
    ts_engine: tsEngine(engine),
    ttl: ttlExpr(opts.ttlSeconds, 'toDateTime(Timestamp)'),
    ts_ttl: ttlExpr(opts.ttlSeconds, 'toDateTime(Start)'),
  };
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`unknown schema placeholder ${whole}`);
    return v;
  });
}

/** Rendered statements of one schema file, comments removed, in file order. */
export function schemaStatements(file: keyof typeof SCHEMA_FILES, opts: SchemaOptions, dir: string = schemaDir()): string[] {
  const text = renderTemplate(readFileSync(join(dir, SCHEMA_FILES[file]), 'utf8'), opts).replace(LINE_COMMENT, '');
  return text.split(STATEMENT_END).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function parseVersion(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** The generation the exporter would pick on this server: text indexes from 26.2 on. */
export function generationFor(version: string): DdlGeneration {
  const [maj, min] = parseVersion(version);
  const [wantMaj, wantMin] = TEXT_INDEX_MIN_VERSION;
  return maj > wantMaj || (maj === wantMaj && min >= wantMin) ? 'textindex' : 'bloom';
}

export interface EnsureResult {
  generation: DdlGeneration;
  /** The span table existed before (e.g. created by the collector); only the SST layer was added. */
  existed: boolean;
}

/** Creates otel_traces (when missing) with the generation the exporter would use on this server,
 *  then applies the SST layer. Safe to run on every start and on a collector-made table. */
export async function ensureSchema(db: SchemaRunner, opts: SchemaOptions, generation?: DdlGeneration): Promise<EnsureResult> {
  const rows = await db.query(
    'SELECT version() AS v, (SELECT count() FROM system.tables WHERE database = {db:String} AND name = {t:String}) AS n',
    { db: opts.database, t: opts.table },
  );
  const existed = Number(rows[0]?.n ?? 0) > 0;
  const gen = generation ?? generationFor(String(rows[0]?.v ?? ''));
  if (!existed) for (const sql of schemaStatements(gen, opts)) await db.exec(sql);
  for (const sql of schemaStatements('sst', opts)) await db.exec(sql);
  return { generation: gen, existed };
}
