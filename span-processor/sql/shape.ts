// node-sql-parser AST → what the DB flows need: which table.column each written value goes to,
// and which table.column each result column comes from. Only the node shapes the parser produces
// for INSERT/UPDATE/REPLACE/upserts/SELECT/DELETE/RETURNING are read; anything else is ignored.
import type { ParamRef } from './placeholders';

export interface ColumnRef {
  table?: string;
  column?: string;
}

/** One value written by the statement: a parameter slot or a SQL literal. */
export interface WrittenValue extends ColumnRef {
  /** 1-based placeholder slot (after normalization), or undefined for a literal. */
  slot?: number;
  literal?: string;
  /** VALUES tuple (0 for SET lists); rows of a multi-row INSERT are different people. */
  row: number;
}

export type Operation = 'insert' | 'upsert' | 'replace' | 'update' | 'delete' | 'select' | 'other';

export interface SqlShape {
  operation: Operation;
  /** INSERT / UPSERT / REPLACE / UPDATE: the statement writes rows. */
  write: boolean;
  /** Main table (no schema). */
  table?: string;
  written: WrittenValue[];
  /** Result columns in order (SELECT list or RETURNING); `*` entries are expanded by name later. */
  output: Array<ColumnRef & { name: string }>;
  /** Tables whose columns a `*` / `t.*` returns (resolved through aliases). */
  starTables: string[];
  /** Placeholder slots → driver values. */
  slots: Array<ParamRef | undefined>;
  /** The statement was parsed; false means column-less fallback fields. */
  parsed: boolean;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

/** Identifier text of a column / table node in any of the parser's spellings. */
export function identText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isNode(v)) return undefined;
  if (typeof v.value === 'string') return v.value;
  if (isNode(v.expr)) return identText(v.expr);
  return undefined;
}

function columnOfRef(ref: Node): string | undefined {
  const c = ref.column;
  if (c === '*') return '*';
  return identText(c);
}

const LITERAL_TYPES = new Set(['single_quote_string', 'string', 'number', 'natural_string', 'regex_string', 'bigint']);

interface Scope {
  /** alias or table name (lowercase) → table */
  tables: Map<string, string>;
  /** first table in FROM (for unqualified columns) when there is only one */
  only?: string;
  ctes: Map<string, SqlShape['output']>;
}

export function shapeOf(ast: unknown, slots: Array<ParamRef | undefined>, mysqlStrings: boolean): SqlShape {
  const shape: SqlShape = { operation: 'other', write: false, written: [], output: [], starTables: [], slots, parsed: true };
  const list = Array.isArray(ast) ? ast : [ast];
  for (const stmt of list) if (isNode(stmt)) addStatement(shape, stmt, mysqlStrings);
  return shape;
}

function addStatement(shape: SqlShape, stmt: Node, mysqlStrings: boolean): void {
  const type = String(stmt.type ?? '').toLowerCase();
  const ctes = cteOutputs(stmt, mysqlStrings);
  if (type === 'insert' || type === 'replace') {
    const table = firstTable(stmt.table);
    let op: Operation = type === 'replace' || /replace/i.test(String(stmt.prefix ?? '')) ? 'replace' : 'insert';
    const cols = Array.isArray(stmt.columns) ? stmt.columns.map(identText) : [];
    const values = stmt.values;
    if (isNode(values) && values.type === 'values' && Array.isArray(values.values)) {
      values.values.forEach((tuple, row) => {
        const items = isNode(tuple) && Array.isArray(tuple.value) ? tuple.value : [];
        items.forEach((expr, j) => addWritten(shape, expr, table, cols[j], row, mysqlStrings));
      });
    } else if (isNode(values) && String(values.type).toLowerCase() === 'select' && Array.isArray(values.columns)) {
      values.columns.forEach((c, j) => { if (isNode(c)) addWritten(shape, c.expr, table, cols[j], 0, mysqlStrings); });
    }
    if (Array.isArray(stmt.set)) addSetList(shape, stmt.set, table, mysqlStrings);
    const conflict = isNode(stmt.conflict) && isNode(stmt.conflict.action) ? stmt.conflict.action : undefined;
    const conflictSet = conflict && isNode(conflict.expr) && Array.isArray(conflict.expr.set) ? conflict.expr.set : undefined;
    if (conflictSet) { op = 'upsert'; addSetList(shape, conflictSet, table, mysqlStrings); }
    const dup = isNode(stmt.on_duplicate_update) && Array.isArray(stmt.on_duplicate_update.set) ? stmt.on_duplicate_update.set : undefined;
    if (dup) { op = 'upsert'; addSetList(shape, dup, table, mysqlStrings); }
    setOperation(shape, op, table);
    addReturning(shape, stmt, table);
  } else if (type === 'update') {
    const scope = scopeOf(stmt.table, stmt.from, ctes);
    const table = firstTable(stmt.table);
    if (Array.isArray(stmt.set)) addSetList(shape, stmt.set, table, mysqlStrings);
    setOperation(shape, 'update', table);
    addReturning(shape, stmt, table, scope);
  } else if (type === 'delete') {
    const table = firstTable(stmt.from) ?? firstTable(stmt.table);
    setOperation(shape, 'delete', table);
    addReturning(shape, stmt, table);
  } else if (type === 'select') {
    const scope = scopeOf(stmt.from, undefined, ctes);
    setOperation(shape, 'select', scope.only ?? firstTable(stmt.from));
    shape.output = [];
    shape.starTables = [];
    addColumns(shape, stmt.columns, scope);
  }
}

function setOperation(shape: SqlShape, op: Operation, table: string | undefined): void {
  const write = op === 'insert' || op === 'upsert' || op === 'replace' || op === 'update';
  // The first writing statement names a multi-statement batch.
  if (shape.write && !write) return;
  if (!shape.write || shape.operation === 'other') {
    shape.operation = op;
    shape.write = write;
    if (table) shape.table = table;
  }
}

function firstTable(v: unknown): string | undefined {
  const t = Array.isArray(v) ? v[0] : v;
  if (!isNode(t)) return undefined;
  return identText(t.table);
}

function scopeOf(a: unknown, b: unknown, ctes: Map<string, SqlShape['output']>): Scope {
  const tables = new Map<string, string>();
  const names: string[] = [];
  for (const list of [a, b]) {
    if (!Array.isArray(list)) continue;
    for (const t of list) {
      if (!isNode(t)) continue;
      const name = identText(t.table);
      if (!name) continue;
      names.push(name);
      tables.set(name.toLowerCase(), name);
      const alias = identText(t.as);
      if (alias) tables.set(alias.toLowerCase(), name);
    }
  }
  return { tables, only: names.length === 1 ? names[0] : undefined, ctes };
}

function cteOutputs(stmt: Node, mysqlStrings: boolean): Map<string, SqlShape['output']> {
  const m = new Map<string, SqlShape['output']>();
  if (!Array.isArray(stmt.with)) return m;
  for (const w of stmt.with) {
    if (!isNode(w)) continue;
    const name = identText(w.name);
    const inner = isNode(w.stmt) ? (isNode(w.stmt.ast) ? w.stmt.ast : w.stmt) : undefined;
    if (!name || !inner) continue;
    const sub = shapeOf(inner, [], mysqlStrings);
    m.set(name.toLowerCase(), sub.output);
  }
  return m;
}

function addColumns(shape: SqlShape, columns: unknown, scope: Scope): void {
  if (!Array.isArray(columns)) {
    if (columns === '*') for (const t of scope.tables.values()) addStar(shape, t, scope);
    return;
  }
  for (const c of columns) {
    if (!isNode(c)) continue;
    const expr = c.expr;
    const alias = identText(c.as);
    if (isNode(expr) && expr.type === 'column_ref') {
      const col = columnOfRef(expr);
      const qual = identText(expr.table);
      const table = qual ? scope.tables.get(qual.toLowerCase()) ?? qual : scope.only;
      if (col === '*') {
        if (qual) addStar(shape, table ?? qual, scope);
        else for (const t of new Set(scope.tables.values())) addStar(shape, t, scope);
        continue;
      }
      if (!col) continue;
      const fromCte = table ? scope.ctes.get(table.toLowerCase())?.find((o) => o.name.toLowerCase() === col.toLowerCase()) : undefined;
      shape.output.push(fromCte ? { ...fromCte, name: alias ?? col } : { table, column: col, name: alias ?? col });
      continue;
    }
    // An expression (lower(email) AS e): the one column it reads, if it reads exactly one.
    const refs: Node[] = [];
    collectRefs(expr, refs);
    if (refs.length === 1) {
      const col = columnOfRef(refs[0]);
      const qual = identText(refs[0].table);
      const table = qual ? scope.tables.get(qual.toLowerCase()) ?? qual : scope.only;
      if (col && col !== '*') { shape.output.push({ table, column: col, name: alias ?? col }); continue; }
    }
    shape.output.push({ table: scope.only, name: alias ?? '' });
  }
}

function addStar(shape: SqlShape, table: string, scope: Scope): void {
  const cte = scope.ctes.get(table.toLowerCase());
  if (cte) { shape.output.push(...cte); return; }
  if (!shape.starTables.includes(table)) shape.starTables.push(table);
}

function addReturning(shape: SqlShape, stmt: Node, table: string | undefined, scope?: Scope): void {
  const r = stmt.returning;
  if (!isNode(r)) return;
  const s = scope ?? { tables: new Map(table ? [[table.toLowerCase(), table]] : []), only: table, ctes: new Map() };
  shape.output = [];
  shape.starTables = [];
  addColumns(shape, r.columns, s);
}

function addSetList(shape: SqlShape, set: unknown[], table: string | undefined, mysqlStrings: boolean): void {
  for (const item of set) {
    if (!isNode(item)) continue;
    const col = typeof item.column === 'string' ? item.column : identText(item.column);
    addWritten(shape, item.value, table, col, 0, mysqlStrings);
  }
}

/** Every placeholder and literal inside `expr` is written to `table.column`. */
function addWritten(shape: SqlShape, expr: unknown, table: string | undefined, column: string | undefined, row: number, mysqlStrings: boolean): void {
  walk(expr, (n) => {
    if (n.type === 'var' && n.prefix === '$' && typeof n.name === 'number') {
      shape.written.push({ slot: n.name, table, column, row });
    } else if (LITERAL_TYPES.has(String(n.type)) || (mysqlStrings && n.type === 'double_quote_string')) {
      const v = n.value;
      if (typeof v === 'string' || typeof v === 'number') shape.written.push({ literal: String(v), table, column, row });
    }
  });
}

function walk(v: unknown, visit: (n: Node) => void, depth = 0): void {
  if (depth > 64) return;
  if (Array.isArray(v)) { for (const x of v) walk(x, visit, depth + 1); return; }
  if (!isNode(v)) return;
  visit(v);
  for (const k in v) {
    if (k === 'type' || k === 'prefix') continue;
    const x = v[k];
    if (x && typeof x === 'object') walk(x, visit, depth + 1);
  }
}

function collectRefs(expr: unknown, out: Node[]): void {
  walk(expr, (n) => { if (n.type === 'column_ref') out.push(n); });
}
