// The DB instrumentations, created only for drivers the app can load: the upstream pg and mysql2
// instrumentations cost 50-70 ms to load, which an app without those drivers must not pay.
import { dirname } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { DbCaptureOptions } from './types';

export type { DbCaptureOptions, BetterSqlite3InstrumentationConfig } from './types';
export { DEFAULT_DB_CAPTURE } from './types';
export { BetterSqlite3Instrumentation } from './better-sqlite3';
export { createPgInstrumentation, pgHooks } from './pg';
export { createMySQL2Instrumentation } from './mysql2';

/** Short names (OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS) → the driver module they patch. */
export const DB_DRIVERS = { pg: 'pg', mysql2: 'mysql2', 'better-sqlite3': 'better-sqlite3' } as const;
export type DbDriverName = keyof typeof DB_DRIVERS;

/** Can the app load `name`? Looked up from the working directory and the main script's folder
 *  (where the app's node_modules are), then from this package. */
export function driverAvailable(name: string): boolean {
  const paths = [process.cwd()];
  const main = process.argv[1];
  if (main) paths.push(dirname(main));
  try { require.resolve(`${name}/package.json`, { paths }); return true; } catch { /* next */ }
  try { require.resolve(name, { paths }); return true; } catch { /* next */ }
  return false;
}

/** One instrumentation per available driver (or per name in `only`), keyed by its short name. */
export function dbInstrumentations(
  capture: Partial<DbCaptureOptions>, available: (name: string) => boolean = driverAvailable,
): Record<string, () => Instrumentation> {
  const out: Record<string, () => Instrumentation> = {};
  if (available('pg')) out.pg = () => (require('./pg') as typeof import('./pg')).createPgInstrumentation(capture);
  if (available('mysql2')) out.mysql2 = () => (require('./mysql2') as typeof import('./mysql2')).createMySQL2Instrumentation(capture);
  if (available('better-sqlite3')) {
    out['better-sqlite3'] = () => {
      const { BetterSqlite3Instrumentation } = require('./better-sqlite3') as typeof import('./better-sqlite3');
      return new BetterSqlite3Instrumentation({ capture });
    };
  }
  return out;
}
