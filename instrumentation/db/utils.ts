// Copying a DB call into a DbCapture: values become bounded text on the app's path (rows may be
// mutated by the app before the span processor runs), nothing is parsed here.
import type { DbCapture } from '../../span-processor/types';
import type { DbCaptureOptions } from './types';
import { DEFAULT_DB_CAPTURE } from './types';

/** Longest single cell or parameter kept (detection only looks at the first 64 KiB of free text). */
const MAX_CELL_CHARS = 16 * 1024;
/** Statement text kept for parsing (longer statements fall back to column-less fields). */
const MAX_STATEMENT_CHARS = 64 * 1024;
/** Most positional parameters kept. */
const MAX_PARAMS = 5000;

export function captureOptions(o: Partial<DbCaptureOptions> | undefined): DbCaptureOptions {
  const d = DEFAULT_DB_CAPTURE;
  const num = (v: unknown, fb: number) => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? Math.floor(v) : fb);
  return {
    captureRows: o?.captureRows ?? d.captureRows,
    maxRows: num(o?.maxRows, d.maxRows),
    maxRowBytes: num(o?.maxRowBytes, d.maxRowBytes),
    maxParamBytes: num(o?.maxParamBytes, d.maxParamBytes),
  };
}

/** A value as the text detection sees. Binary values and booleans carry no personal text. */
export function cellText(v: unknown): string | null {
  switch (typeof v) {
    case 'string': return v.length > MAX_CELL_CHARS ? v.slice(0, MAX_CELL_CHARS) : v;
    case 'number': return Number.isFinite(v) ? String(v) : null;
    case 'bigint': return String(v);
    case 'object': {
      if (v === null) return null;
      if (v instanceof Date) return dateText(v);
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return null;
      try {
        const s = JSON.stringify(v);
        return typeof s === 'string' ? (s.length > MAX_CELL_CHARS ? s.slice(0, MAX_CELL_CHARS) : s) : null;
      } catch {
        return null;
      }
    }
    default: return null;
  }
}

/** A date column (pg `date` parses to local midnight) reads as `YYYY-MM-DD`; a timestamp as ISO. */
function dateText(d: Date): string | null {
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0) {
    const y = d.getFullYear();
    const m = d.getMonth() + 1;
    const day = d.getDate();
    return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
  }
  return d.toISOString();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function newDbCapture(system: string, statement: unknown): DbCapture {
  const text = typeof statement === 'string' ? statement : '';
  return {
    kind: 'db', system,
    statement: text.length > MAX_STATEMENT_CHARS ? text.slice(0, MAX_STATEMENT_CHARS) : text,
    params: [], truncated: text.length > MAX_STATEMENT_CHARS,
  };
}

/** Positional values (an array) or named values (a plain object, better-sqlite3 / mysql2 named
 *  placeholders) into the capture, within the parameter byte budget. */
export function recordParams(c: DbCapture, values: unknown, opts: DbCaptureOptions): void {
  let budget = opts.maxParamBytes;
  const take = (v: unknown): string | null => {
    const s = cellText(v);
    if (s === null) return null;
    if (s.length > budget) { c.truncated = true; budget = 0; return null; }
    budget -= s.length;
    return s;
  };
  if (Array.isArray(values)) {
    const n = Math.min(values.length, MAX_PARAMS);
    if (n < values.length) c.truncated = true;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      // better-sqlite3 accepts a named-parameter object among positional values.
      if (isPlainObject(v) && c.system === 'sqlite') addNamed(c, v, take);
      else c.params.push(take(v));
    }
  } else if (isPlainObject(values)) {
    addNamed(c, values, take);
  } else if (values !== undefined) {
    c.params.push(take(values));
  }
}

function addNamed(c: DbCapture, obj: Record<string, unknown>, take: (v: unknown) => string | null): void {
  const named = (c.named ??= {});
  let n = 0;
  for (const k in obj) {
    if (n++ >= MAX_PARAMS) { c.truncated = true; break; }
    named[k] = take(obj[k]);
  }
}

/** Result rows (objects keyed by column, or arrays with `fieldNames`) into text cells, capped by
 *  rows and bytes. `fieldNames` comes from the driver when it reports them (pg fields). */
export function recordRows(c: DbCapture, rows: unknown, fieldNames: readonly string[] | undefined, opts: DbCaptureOptions): void {
  if (!opts.captureRows || !Array.isArray(rows)) return;
  c.rowCount = (c.rowCount ?? 0) + rows.length;
  if (rows.length === 0) return;
  const out = (c.rows ??= []);
  let budget = opts.maxRowBytes - (c.rows.length ? rowsBytes(c.rows) : 0);
  const first = rows[0];
  let columns: string[] | undefined = c.columns;
  if (!columns) {
    if (fieldNames && fieldNames.length) columns = [...fieldNames];
    else if (isPlainObject(first)) columns = flatKeys(first);
    else if (Array.isArray(first)) columns = [];
    else columns = [''];
    c.columns = columns;
  }
  for (let i = 0; i < rows.length; i++) {
    if (out.length >= opts.maxRows || budget <= 0) { c.truncated = true; break; }
    const row = rows[i];
    let cells: Array<string | null>;
    if (Array.isArray(row)) {
      cells = new Array(row.length);
      for (let j = 0; j < row.length; j++) cells[j] = cellText(row[j]);
    } else if (isPlainObject(row)) {
      cells = new Array(columns.length);
      for (let j = 0; j < columns.length; j++) cells[j] = cellText(pick(row, columns[j]));
    } else {
      cells = [cellText(row)];
    }
    for (const s of cells) if (s) budget -= s.length;
    if (budget < 0) { c.truncated = true; break; }
    out.push(cells);
  }
}

/** better-sqlite3 `.expand()` nests rows by table: `{ users: { email } }` → `users.email`. */
function flatKeys(row: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k in row) {
    const v = row[k];
    if (isPlainObject(v) && !(v instanceof Date)) for (const k2 in v) keys.push(`${k}.${k2}`);
    else keys.push(k);
  }
  return keys;
}

function pick(row: Record<string, unknown>, column: string): unknown {
  if (column in row) return row[column];
  const dot = column.indexOf('.');
  if (dot > 0) {
    const inner = row[column.slice(0, dot)];
    if (isPlainObject(inner)) return inner[column.slice(dot + 1)];
  }
  return undefined;
}

function rowsBytes(rows: ReadonlyArray<ReadonlyArray<string | null>>): number {
  let n = 0;
  for (const r of rows) for (const s of r) if (s) n += s.length;
  return n;
}

/** Operation and table for span names and attributes, from the statement's first words. This is a
 *  cheap label on the app's path (like upstream's span names); the span processor does the real
 *  parse off the request path. */
export function statementSummary(sql: string): { operation?: string; table?: string } {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql);
  if (!m) return {};
  const operation = m[1].toUpperCase();
  const t = /\b(?:INTO|FROM|UPDATE|TABLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)/i.exec(sql.length > 2000 ? sql.slice(0, 2000) : sql);
  const table = t ? t[1].replace(/[`"[\]]/g, '') : undefined;
  return { operation, table };
}
