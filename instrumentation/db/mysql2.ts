// mysql2: the upstream instrumentation makes the spans. Its responseHook gives the result rows but
// not the values the statement was called with, so a thin wrapper around its query/execute patch
// notes (query, values) for the span the upstream code starts next, synchronously, in the same call.
// The arguments and the result are passed through untouched. db.query.text keeps placeholders:
// the upstream default would inline the values into it with mysql2's `format`.
import type { Span, Tracer } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { DbCapture } from '../../span-processor/types';
import type { DbCaptureOptions } from './types';
import { captureOptions, newDbCapture, recordParams, recordRows } from './utils';
import { getCapture, setCapture } from '../capture/tracker';

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/** The (query, values) of a mysql2 `query`/`execute` call, as the driver reads them. */
export function mysqlCallCapture(args: ArrayLike<unknown>, opts: DbCaptureOptions): DbCapture {
  const q = args[0];
  const sql = typeof q === 'string' ? q : (q && typeof q === 'object' ? (q as { sql?: unknown }).sql : undefined);
  const c = newDbCapture('mysql', sql);
  let values = typeof args[1] === 'function' ? undefined : args[1];
  if (values === undefined && q && typeof q === 'object') values = (q as { values?: unknown }).values;
  if (values !== undefined) recordParams(c, Array.isArray(values) || typeof values === 'object' ? values : [values], opts);
  return c;
}

export function createMySQL2Instrumentation(o?: Partial<DbCaptureOptions>): Instrumentation {
  const opts = captureOptions(o);
  const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');

  class SstMySQL2Instrumentation extends MySQL2Instrumentation {
    /** The capture of the call now entering the upstream wrapper, taken by its startSpan. */
    pending: DbCapture | undefined;
    private wrappedFrom: Tracer | undefined;
    private wrappedTracer: Tracer | undefined;

    constructor() {
      super({
        addSqlCommenterCommentToQueries: false,
        maskStatement: true,
        maskStatementHook: (sql: string) => sql,
        responseHook: (span: Span, info: { queryResults: unknown }) => {
          try {
            const c = getCapture(span);
            if (!c || c.kind !== 'db') return;
            const r = info.queryResults;
            // Multiple statements: an array of results, each an array of rows or an OkPacket.
            if (Array.isArray(r) && r.length && Array.isArray(r[0]) && c.statement.includes(';')) {
              for (const part of r) recordRows(c, part, undefined, opts);
            } else {
              recordRows(c, r, undefined, opts);
            }
          } catch { /* never into the app */ }
        },
      });
    }

    protected override get tracer(): Tracer {
      const real = super.tracer;
      if (real !== this.wrappedFrom || !this.wrappedTracer) {
        this.wrappedFrom = real;
        const self = this;
        this.wrappedTracer = {
          startSpan(name, options, ctx) {
            const span = real.startSpan(name, options, ctx);
            const c = self.pending;
            if (c) { self.pending = undefined; setCapture(span, c); }
            return span;
          },
          startActiveSpan: real.startActiveSpan.bind(real) as Tracer['startActiveSpan'],
        };
      }
      return this.wrappedTracer;
    }
  }

  // `_patchQuery` is private in the upstream typings; it is the one place where the call's
  // arguments and the span meet, so it is wrapped at runtime.
  const proto = SstMySQL2Instrumentation.prototype as unknown as { _patchQuery: (format: unknown, isPrepared: boolean) => (orig: QueryFn) => QueryFn };
  const upstreamPatch = (MySQL2Instrumentation.prototype as unknown as typeof proto)._patchQuery;
  Object.defineProperty(proto, '_patchQuery', {
    configurable: true, writable: true,
    value: function (this: SstMySQL2Instrumentation, format: unknown, isPrepared: boolean) {
      const inst = this;
      const wrapQuery = upstreamPatch.call(this, format, isPrepared);
      return (original: QueryFn): QueryFn => {
        const traced = wrapQuery(original);
        return function query(this: unknown) {
          try { inst.pending = mysqlCallCapture(arguments, opts); } catch { inst.pending = undefined; }
          try {
            return traced.apply(this, arguments as unknown as unknown[]);
          } finally {
            inst.pending = undefined;
          }
        };
      };
    },
  });
  return new SstMySQL2Instrumentation();
}
