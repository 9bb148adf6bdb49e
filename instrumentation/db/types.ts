// Options shared by the DB instrumentations (pg, mysql2, better-sqlite3).
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** What a DB span's capture keeps: every cap bounds memory held until the span is processed. */
export interface DbCaptureOptions {
  /** Copy result rows for `load` detection (config `db.captureRows`). */
  captureRows: boolean;
  /** Most rows copied per statement (config `db.maxRows`). */
  maxRows: number;
  /** Most bytes of row cells copied per statement (config `db.maxRowBytes`). */
  maxRowBytes: number;
  /** Most bytes of parameter values copied per statement (the capture limit). */
  maxParamBytes: number;
}

export const DEFAULT_DB_CAPTURE: Readonly<DbCaptureOptions> = Object.freeze({
  captureRows: true,
  maxRows: 1000,
  maxRowBytes: 256 * 1024,
  maxParamBytes: 1024 * 1024,
});

export interface BetterSqlite3InstrumentationConfig extends InstrumentationConfig {
  capture?: Partial<DbCaptureOptions>;
  /** Only create spans inside an existing trace (like instrumentation-pg's `requireParentSpan`). */
  requireParentSpan?: boolean;
}
