// better-sqlite3 has no upstream OpenTelemetry instrumentation. Its API is synchronous, so each
// Statement.run/get/all call is one CLIENT span started and ended around the native call, and
// iterate() is one span from the call to the iterator's end. Statement and iterator methods live on
// native prototypes that are only reachable from an instance, so they are patched on the first
// prepare(). Results and errors pass through as they are; nothing about the statement changes.
import { basename } from 'node:path';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped,
} from '@opentelemetry/instrumentation';
import type { DbCapture } from '../../span-processor/types';
import type { BetterSqlite3InstrumentationConfig, DbCaptureOptions } from './types';
import { captureOptions, newDbCapture, recordParams, recordRows, statementSummary } from './utils';
import { setCapture } from '../capture/tracker';

const NAME = '@sst/instrumentation-better-sqlite3';
const VERSION = '0.1.0';
const SUPPORTED = ['>=7.0.0 <13'];

type Fn = (this: unknown, ...args: unknown[]) => unknown;
/** shimmer's wrapper type is keyed on the patched object's own method types, unknown here. */
const asWrapper = <T extends Function>(w: (original: Fn) => T) => w as unknown as (original: unknown) => unknown;
interface StatementLike {
  source: string;
  reader: boolean;
  database?: { name?: string };
  columns(): Array<{ name: string }>;
}
interface IteratorState { span: Span; capture: DbCapture; rows: unknown[]; statement: StatementLike }

/** Per statement: span name and attributes (computed once; prepared statements are reused). */
interface StatementInfo { name: string; attributes: Record<string, string>; columns?: string[] }

export class BetterSqlite3Instrumentation extends InstrumentationBase<BetterSqlite3InstrumentationConfig> {
  private opts: DbCaptureOptions;
  private statementProto: Record<string, unknown> | undefined;
  private iteratorProto: Record<string, unknown> | undefined;
  private readonly info = new WeakMap<object, StatementInfo>();
  private readonly bound = new WeakMap<object, unknown[]>();
  private readonly iterators = new WeakMap<object, IteratorState>();
  private readonly captures = new WeakMap<Span, DbCapture>();

  constructor(config: BetterSqlite3InstrumentationConfig = {}) {
    super(NAME, VERSION, config);
    this.opts = captureOptions(config.capture);
  }

  override setConfig(config: BetterSqlite3InstrumentationConfig = {}): void {
    super.setConfig(config);
    this.opts = captureOptions(config.capture);
  }

  protected init() {
    return [
      new InstrumentationNodeModuleDefinition('better-sqlite3', SUPPORTED,
        (moduleExports) => { this.patchDatabase(databaseClass(moduleExports)); return moduleExports; },
        (moduleExports) => { if (moduleExports) this.unpatchAll(databaseClass(moduleExports)); }),
    ];
  }

  private patchDatabase(Database: { prototype: Record<string, unknown> } | undefined): void {
    const proto = Database?.prototype;
    if (!proto || typeof proto.prepare !== 'function') return;
    const inst = this;
    if (isWrapped(proto.prepare)) this._unwrap(proto, 'prepare');
    this._wrap(proto, 'prepare', asWrapper((original) => function prepare(this: unknown) {
      const stmt = original.apply(this, arguments as unknown as unknown[]);
      inst.patchStatement(stmt);
      return stmt;
    }));
    if (typeof proto.exec === 'function') {
      if (isWrapped(proto.exec)) this._unwrap(proto, 'exec');
      this._wrap(proto, 'exec', asWrapper((original) => function exec(this: { name?: string }, sql: unknown) {
        const span = inst.startSpan(typeof sql === 'string' ? sql : '', this?.name, undefined);
        if (!span) return original.apply(this, arguments as unknown as unknown[]);
        try {
          const r = original.apply(this, arguments as unknown as unknown[]);
          span.end();
          return r;
        } catch (e) {
          fail(span, e);
          throw e;
        }
      }));
    }
    if (typeof proto.transaction === 'function') {
      if (isWrapped(proto.transaction)) this._unwrap(proto, 'transaction');
      // BEGIN/COMMIT are prepared natively by transaction(), bypassing prepare(): make sure the
      // statement prototype is patched before a transaction can be the first thing that runs.
      this._wrap(proto, 'transaction', asWrapper((original) => function transaction(this: { prepare?: (s: string) => unknown }) {
        if (!inst.statementProto && typeof this?.prepare === 'function') {
          try { this.prepare('SELECT 1'); } catch { /* a closed database: transaction() throws below */ }
        }
        return original.apply(this, arguments as unknown as unknown[]);
      }));
    }
  }

  private patchStatement(stmt: unknown): void {
    if (this.statementProto || !stmt || typeof stmt !== 'object') return;
    const proto = Object.getPrototypeOf(stmt) as Record<string, unknown> | null;
    if (!proto || typeof proto.run !== 'function') return;
    this.statementProto = proto;
    const inst = this;
    for (const method of ['run', 'get', 'all'] as const) {
      if (typeof proto[method] !== 'function') continue;
      if (isWrapped(proto[method])) this._unwrap(proto, method);
      this._wrap(proto, method, asWrapper((original) => function (this: StatementLike) {
        const span = inst.startStatementSpan(this, arguments);
        if (!span) return original.apply(this, arguments as unknown as unknown[]);
        let result: unknown;
        try {
          result = original.apply(this, arguments as unknown as unknown[]);
        } catch (e) {
          fail(span, e);
          throw e;
        }
        try {
          if (method === 'all') inst.rows(span, this, result);
          else if (method === 'get' && result !== undefined) inst.rows(span, this, [result]);
        } catch { /* never into the app */ }
        span.end();
        return result;
      }));
    }
    if (typeof proto.bind === 'function') {
      if (isWrapped(proto.bind)) this._unwrap(proto, 'bind');
      this._wrap(proto, 'bind', asWrapper((original) => function bind(this: object) {
        const r = original.apply(this, arguments as unknown as unknown[]);
        try { inst.bound.set(this, Array.from(arguments)); } catch { /* ignore */ }
        return r;
      }));
    }
    if (typeof proto.iterate === 'function') {
      if (isWrapped(proto.iterate)) this._unwrap(proto, 'iterate');
      this._wrap(proto, 'iterate', asWrapper((original) => function iterate(this: StatementLike) {
        const span = inst.startStatementSpan(this, arguments);
        if (!span) return original.apply(this, arguments as unknown as unknown[]);
        let it: unknown;
        try {
          it = original.apply(this, arguments as unknown as unknown[]);
        } catch (e) {
          fail(span, e);
          throw e;
        }
        try {
          inst.patchIterator(it);
          const capture = inst.captureOf(span);
          if (it && typeof it === 'object' && capture) inst.iterators.set(it, { span, capture, rows: [], statement: this });
          else span.end();
        } catch { span.end(); }
        return it;
      }));
    }
  }

  private patchIterator(it: unknown): void {
    if (this.iteratorProto || !it || typeof it !== 'object') return;
    const proto = Object.getPrototypeOf(it) as Record<string, unknown> | null;
    if (!proto || typeof proto.next !== 'function') return;
    this.iteratorProto = proto;
    const inst = this;
    this._wrap(proto, 'next', asWrapper((original) => function next(this: object) {
      const st = inst.iterators.get(this);
      if (!st) return original.apply(this, arguments as unknown as unknown[]);
      let r: { done?: boolean; value?: unknown };
      try {
        r = original.apply(this, arguments as unknown as unknown[]) as typeof r;
      } catch (e) {
        inst.iterators.delete(this);
        fail(st.span, e);
        throw e;
      }
      try {
        if (r && r.done) inst.finishIterator(this, st);
        else if (r && st.rows.length < inst.opts.maxRows) st.rows.push(r.value);
        else if (r) st.capture.truncated = true;
      } catch { /* never into the app */ }
      return r;
    }));
    if (typeof proto.return === 'function') {
      this._wrap(proto, 'return', asWrapper((original) => function ret(this: object) {
        const st = inst.iterators.get(this);
        const r = original.apply(this, arguments as unknown as unknown[]);
        if (st) { try { inst.finishIterator(this, st); } catch { /* ignore */ } }
        return r;
      }));
    }
  }

  private finishIterator(it: object, st: IteratorState): void {
    this.iterators.delete(it);
    this.rows(st.span, st.statement, st.rows);
    st.span.end();
  }

  private captureOf(span: Span): DbCapture | undefined {
    return this.captures.get(span);
  }

  private rows(span: Span, stmt: StatementLike, rows: unknown): void {
    const c = this.captureOf(span);
    if (!c || !this.opts.captureRows || !Array.isArray(rows)) return;
    let names: string[] | undefined;
    const first = rows[0];
    // Raw (.raw()) and plucked (.pluck()) rows carry no names: the statement knows them.
    if (first !== undefined && (first === null || typeof first !== 'object' || Array.isArray(first))) names = this.columnsOf(stmt);
    if (names && first !== null && typeof first !== 'object') rows = rows.map((v) => [v]);
    recordRows(c, rows, names, this.opts);
  }

  private columnsOf(stmt: StatementLike): string[] | undefined {
    const info = this.info.get(stmt);
    if (info?.columns) return info.columns;
    try {
      const cols = stmt.columns().map((col) => col.name);
      if (info) info.columns = cols;
      return cols;
    } catch {
      return undefined;
    }
  }

  private startStatementSpan(stmt: StatementLike, args: ArrayLike<unknown>): Span | undefined {
    let params: unknown[] | undefined = args.length ? Array.from(args) : undefined;
    if (!params) params = this.bound.get(stmt);
    return this.startSpan(stmt.source, stmt.database?.name, stmt, params);
  }

  private startSpan(sql: string, dbName: string | undefined, stmt: StatementLike | undefined, params?: unknown[]): Span | undefined {
    try {
      if (this.getConfig().requireParentSpan && !trace.getSpan(context.active())) return undefined;
      let info = stmt ? this.info.get(stmt) : undefined;
      if (!info) {
        info = statementInfo(sql, dbName);
        if (stmt) this.info.set(stmt, info);
      }
      const span = this.tracer.startSpan(info.name, { kind: SpanKind.CLIENT, attributes: info.attributes });
      const c = newDbCapture('sqlite', sql);
      if (params) recordParams(c, params, this.opts);
      this.captures.set(span, c);
      setCapture(span, c);
      return span;
    } catch {
      return undefined;
    }
  }

  private unpatchAll(Database: { prototype: Record<string, unknown> } | undefined): void {
    const proto = Database?.prototype;
    if (proto) for (const m of ['prepare', 'exec', 'transaction']) if (isWrapped(proto[m])) this._unwrap(proto, m);
    const sp = this.statementProto;
    if (sp) for (const m of ['run', 'get', 'all', 'iterate', 'bind']) if (isWrapped(sp[m])) this._unwrap(sp, m);
    const ip = this.iteratorProto;
    if (ip) for (const m of ['next', 'return']) if (isWrapped(ip[m])) this._unwrap(ip, m);
    this.statementProto = undefined;
    this.iteratorProto = undefined;
  }
}

/** The Database class from a CommonJS require or an ESM namespace (import-in-the-middle). */
function databaseClass(moduleExports: unknown): { prototype: Record<string, unknown> } | undefined {
  const m = moduleExports as { [Symbol.toStringTag]?: string; default?: unknown; prototype?: unknown } | undefined;
  const D = m && m[Symbol.toStringTag] === 'Module' ? m.default : m;
  return typeof D === 'function' ? (D as { prototype: Record<string, unknown> }) : undefined;
}

function statementInfo(sql: string, dbName: string | undefined): StatementInfo {
  const { operation, table } = statementSummary(sql);
  const attributes: Record<string, string> = { 'db.system.name': 'sqlite', 'db.system': 'sqlite', 'db.query.text': sql };
  if (operation) attributes['db.operation.name'] = operation;
  if (table) attributes['db.collection.name'] = table;
  // The file name, not its path: a path like /home/jane/app.db names a person and the host's
  // layout, and the store's `Target` (system/namespace/table) stays readable.
  if (dbName) attributes['db.namespace'] = basename(dbName);
  const name = operation ? (table ? `${operation} ${table}` : operation) : 'sqlite';
  return { name, attributes };
}

function fail(span: Span, e: unknown): void {
  try {
    if (e instanceof Error) span.recordException(e);
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    span.end();
  } catch { /* never into the app */ }
}
