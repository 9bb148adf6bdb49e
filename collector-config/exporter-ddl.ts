// Compares CREATE TABLE statements structurally: the column/index list split at top-level commas,
// each definition with whitespace collapsed, and the clauses after the closing parenthesis. Also
// the clickhouse exporter's TTL rule, driven by the `ttl` duration of the collector config.

export interface TableShape {
  /** `db`.`table` (or as written) between CREATE TABLE [IF NOT EXISTS] and `(`. */
  name: string;
  /** Column, alias and index definitions in order, normalized. */
  definitions: string[];
  /** ENGINE / PARTITION BY / PRIMARY KEY / ORDER BY / TTL / SETTINGS clauses in order, normalized. */
  clauses: string[];
}

const CREATE_HEAD = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+)[^(]*\(/i;
const CLAUSE_START = /\b(?:ENGINE(?=\s*=)|PARTITION\s+BY|PRIMARY\s+KEY|ORDER\s+BY|TTL|SETTINGS)\b/gi;
const MAX_SQL = 1 << 20;

/** Collapses whitespace, and drops it inside parentheses edges and before commas. */
export function normalizeSql(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\(\s/g, '(').replace(/\s\)/g, ')').replace(/\s,/g, ',').trim();
}

/** Splits at commas outside parentheses and quotes. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === '\\') { i++; continue; }
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '`' || c === '"') { quote = c; continue; }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { parts.push(body.slice(start, i)); start = i + 1; }
  }
  parts.push(body.slice(start));
  return parts.map(normalizeSql).filter((p) => p.length > 0);
}

/** The index just after the parenthesis that closes the one at `open`, or -1. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') { i++; continue; }
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '`' || c === '"') { quote = c; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

export function parseCreateTable(sql: string): TableShape | { error: string } {
  if (sql.length > MAX_SQL) return { error: 'statement too long' };
  const head = CREATE_HEAD.exec(sql);
  if (!head) return { error: 'not a CREATE TABLE statement' };
  const open = head.index + head[0].length - 1;
  const close = closingParen(sql, open);
  if (close < 0) return { error: 'unbalanced parentheses' };
  const definitions = splitTopLevel(sql.slice(open + 1, close - 1));
  const tail = sql.slice(close);
  const starts: number[] = [];
  CLAUSE_START.lastIndex = 0;
  for (let m = CLAUSE_START.exec(tail); m; m = CLAUSE_START.exec(tail)) {
    // Words inside a clause's parentheses (none today) would not start a clause.
    if (depthAt(tail, m.index) === 0) starts.push(m.index);
  }
  const clauses = starts.map((s, i) => normalizeSql(tail.slice(s, starts[i + 1] ?? tail.length).replace(/;\s*$/, '')));
  return { name: head[1], definitions, clauses };
}

function depthAt(s: string, pos: number): number {
  let d = 0;
  for (let i = 0; i < pos; i++) { if (s[i] === '(') d++; else if (s[i] === ')') d--; }
  return d;
}

const GO_DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go time.ParseDuration for the non-negative forms a config uses (`720h`, `1h30m`, `90s`). */
export function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (t.length === 0 || t.length > 64) return undefined;
  GO_DURATION_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = GO_DURATION_PART.exec(t); m; m = GO_DURATION_PART.exec(t)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    end = GO_DURATION_PART.lastIndex;
  }
  return end === t.length ? total : undefined;
}

/** The exporter's GenerateTTLExpr: the largest whole unit among day, hour, minute, else seconds. */
export function exporterTtl(seconds: number, timeField: string): string {
  if (!(seconds > 0)) return '';
  const s = Math.floor(seconds);
  if (s % 86400 === 0) return `TTL ${timeField} + toIntervalDay(${s / 86400})`;
  if (s % 3600 === 0) return `TTL ${timeField} + toIntervalHour(${s / 3600})`;
  if (s % 60 === 0) return `TTL ${timeField} + toIntervalMinute(${s / 60})`;
  return `TTL ${timeField} + toIntervalSecond(${s})`;
}

/** Which DDL generation the exporter uses against a server of this version. */
export function exporterGeneration(serverVersion: string, textIndexMin: string): 'bloom' | 'textindex' {
  const v = /^(\d+)\.(\d+)/.exec(serverVersion.trim());
  const min = /^(\d+)\.(\d+)/.exec(textIndexMin.trim());
  if (!v || !min) return 'bloom';
  const [a, b, c, d] = [Number(v[1]), Number(v[2]), Number(min[1]), Number(min[2])];
  return a > c || (a === c && b >= d) ? 'textindex' : 'bloom';
}
