// SQL statement → SqlShape (operation, table, table.column per written value and per result
// column), parsed with node-sql-parser in the dialect of the driver and cached by statement text:
// apps run the same few statements over and over. A statement the parser cannot read gets a
// fallback shape (operation and table from its first words, no columns) and never throws.
import { normalizePlaceholders, type SqlSystem } from './placeholders';
import { shapeOf, type SqlShape, type Operation } from './shape';

export type { SqlShape, WrittenValue, ColumnRef, Operation } from './shape';
export type { ParamRef, SqlSystem } from './placeholders';
export { normalizePlaceholders } from './placeholders';

/** Longer statements (bulk inserts with thousands of tuples) are not parsed: fallback fields. */
export const MAX_PARSE_CHARS = 16 * 1024;
const CACHE_SIZE = 512;

interface ParserLike { astify(sql: string, opt?: { database?: string }): unknown }

/** Dialect builds tried in order per system (each build is one dialect: ~20-50 ms to load, so
 *  only the ones a service's drivers need are loaded, on first use). SQLite's grammar lacks
 *  upserts and RETURNING, PostgreSQL's has them: it is the second try for SQLite. */
const DIALECTS: Record<string, Array<[build: string, database: string]>> = {
  postgresql: [['postgresql', 'PostgresQL']],
  mysql: [['mariadb', 'MariaDB'], ['mysql', 'MySQL']],
  mariadb: [['mariadb', 'MariaDB'], ['mysql', 'MySQL']],
  sqlite: [['sqlite', 'Sqlite'], ['postgresql', 'PostgresQL']],
};

const parsers = new Map<string, ParserLike | null>();
function parser(build: string): ParserLike | null {
  let p = parsers.get(build);
  if (p === undefined) {
    try {
      const mod = require(`node-sql-parser/build/${build}`) as { Parser: new () => ParserLike };
      p = new mod.Parser();
    } catch {
      p = null;
    }
    parsers.set(build, p);
  }
  return p;
}

/** Bounded LRU on a Map (insertion order): a hit moves the entry to the end. */
export class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) { this.m.delete(k); this.m.set(k, v); }
    return v;
  }
  set(k: string, v: V): void {
    if (this.m.has(k)) this.m.delete(k);
    else if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value!);
    this.m.set(k, v);
  }
  get size(): number { return this.m.size; }
  clear(): void { this.m.clear(); }
}

const cache = new Lru<SqlShape>(CACHE_SIZE);
let parses = 0;

/** Parse counter (tests check the cache). */
export function parseCount(): number { return parses; }
export function clearSqlCache(): void { cache.clear(); }

export function sqlShape(statement: string, system: SqlSystem): SqlShape {
  const key = system + '\u0000' + statement;
  let s = cache.get(key);
  if (!s) {
    s = parseShape(statement, system);
    cache.set(key, s);
  }
  return s;
}

function parseShape(statement: string, system: SqlSystem): SqlShape {
  let norm: ReturnType<typeof normalizePlaceholders>;
  try {
    norm = normalizePlaceholders(statement, system);
  } catch {
    return fallbackShape(statement, []);
  }
  if (statement.length <= MAX_PARSE_CHARS) {
    for (const [build, database] of DIALECTS[system] ?? DIALECTS.postgresql) {
      const p = parser(build);
      if (!p) continue;
      try {
        parses++;
        const ast = p.astify(norm.text, { database });
        const shape = shapeOf(ast, norm.slots, system === 'mysql' || system === 'mariadb');
        if (shape.operation !== 'other' || !looksLikeDml(statement)) return shape;
      } catch {
        // next dialect, then the fallback
      }
    }
  }
  return fallbackShape(statement, norm.slots);
}

function looksLikeDml(sql: string): boolean {
  return /^\s*(?:with|insert|replace|update|upsert|merge|select|delete)\b/i.test(sql);
}

const WRITE_WORDS: Record<string, Operation> = { insert: 'insert', replace: 'replace', upsert: 'upsert', merge: 'upsert', update: 'update' };

/** Operation and main table from the first words; no columns (fields become `table.?` or
 *  `db.params[n]`, see docs/semconv.md). */
export function fallbackShape(statement: string, slots: SqlShape['slots']): SqlShape {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(statement);
  const word = m ? m[1].toLowerCase() : '';
  let operation: Operation = WRITE_WORDS[word] ?? (word === 'select' || word === 'with' ? 'select' : word === 'delete' ? 'delete' : 'other');
  const head = statement.length > 4096 ? statement.slice(0, 4096) : statement;
  if (operation === 'insert' && /\bon\s+(?:conflict\b[\s\S]*\bdo\s+update|duplicate\s+key\s+update)\b/i.test(head)) operation = 'upsert';
  const t = /\b(?:into|from|update)\s+((?:[`"[]?[\w$]+[`"\]]?\.)?[`"[]?[\w$]+[`"\]]?)/i.exec(head);
  const table = t ? t[1].replace(/[`"[\]]/g, '').split('.').pop() : undefined;
  return {
    operation, write: operation in { insert: 1, replace: 1, upsert: 1, update: 1 }, table,
    written: [], output: [], starTables: [], slots, parsed: false,
  };
}
