// node-postgres: the upstream instrumentation makes the spans; its requestHook (query text and
// values, called before the query is sent) and responseHook (the result, before the span ends)
// fill our capture. SQL commenter, trace-context `SET application_name` and `db.postgresql.values`
// stay off: the queries the app sends are never changed and values never become attributes.
import type { PgInstrumentation as PgInstrumentationType, PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import type { Span } from '@opentelemetry/api';
import type { DbCaptureOptions } from './types';
import { captureOptions, newDbCapture, recordParams, recordRows } from './utils';
import { getCapture, setCapture } from '../capture/tracker';

interface PgResultLike { rows?: unknown; fields?: Array<{ name?: unknown }> }

export function pgHooks(o: Partial<DbCaptureOptions> | undefined): Pick<PgInstrumentationConfig, 'requestHook' | 'responseHook'> {
  const opts = captureOptions(o);
  return {
    requestHook: (span: Span, info) => {
      try {
        const c = newDbCapture('postgresql', info.query?.text);
        recordParams(c, info.query?.values, opts);
        setCapture(span, c);
      } catch { /* never into the app */ }
    },
    responseHook: (span: Span, info) => {
      try {
        const c = getCapture(span);
        if (!c || c.kind !== 'db') return;
        // A multi-statement simple query resolves to one result per statement.
        const results = (Array.isArray(info.data) ? info.data : [info.data]) as PgResultLike[];
        for (const r of results) {
          if (!r || !Array.isArray(r.rows)) continue;
          const names = Array.isArray(r.fields) ? r.fields.map((f) => String(f?.name ?? '')) : undefined;
          recordRows(c, r.rows, names, opts);
        }
      } catch (e) {
        const c = getCapture(span);
        if (c && c.kind === 'db') c.error = e instanceof Error ? e.message.slice(0, 200) : 'row capture failed';
      }
    },
  };
}

export function createPgInstrumentation(o?: Partial<DbCaptureOptions>): PgInstrumentationType {
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  return new PgInstrumentation({
    ...pgHooks(o),
    addSqlCommenterCommentToQueries: false,
    enhancedDatabaseReporting: false,
    enableTraceContextPropagation: false,
  });
}
