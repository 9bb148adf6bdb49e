// The SQL a panel of the Grafana ClickHouse data source (grafana-clickhouse-datasource) sends to
// ClickHouse, reproduced in the plugin's order:
//   1. frontend: `$__conditionalAll(condition, $var)` → `1=1` when $var is All or empty
//      (CHDatasource.applyConditionalAll);
//   2. frontend: template variables through Grafana's templateSrv, with the plugin's default
//      format (arrays → 'a','b', scalars raw) unless the reference names a format;
//   3. backend: the `$__` macros (pkg/macros/macros.go) on the resolved time range and interval.
// Unknown macros are left as they are (as the plugin does) and reported.

export interface TemplateVar {
  /** Selected value(s); `$__all` (or ['$__all']) selects All. */
  current: string | string[];
  /** All option values (what All expands to without a custom allValue). */
  options?: string[];
  /** Custom all value: inserted raw, unformatted, when All is selected. */
  allValue?: string | null;
}

export interface QueryContext {
  fromMs: number;
  toMs: number;
  intervalMs: number;
  vars: Record<string, TemplateVar>;
}

export interface Interpolated {
  sql: string;
  /** `$__name` macros the backend does not know (left in the SQL). */
  unknownMacros: string[];
  /** `$name` references to no variable (left in the SQL, as Grafana does). */
  unknownVariables: string[];
}

const ALL = '$__all';
const CONDITIONAL_ALL = '$__conditionalAll(';
const ARG_TOKENS = /\(|\)|,/g;
/** Grafana templateSrv's variable syntax: $name, [[name(:fmt)]], ${name(.field)(:fmt)}. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;
/** Interval built-ins Grafana's frontend would replace before the backend sees `$__` macros. */
const FRONTEND_BUILTINS = new Set(['__interval', '__interval_ms', '__range', '__range_s', '__range_ms', '__rate_interval']);
const MACRO = /\$__([A-Za-z0-9_]+)/g;
const MAX_ROUNDS = 256;

/** Arguments of the call whose `(` is at `open`, split at top-level commas (the plugin's rule). */
export function macroArgs(sql: string, open: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let last = open + 1;
  ARG_TOKENS.lastIndex = open;
  for (let m = ARG_TOKENS.exec(sql); m; m = ARG_TOKENS.exec(sql)) {
    if (m[0] === '(') depth++;
    else if (m[0] === ')') depth--;
    if (m[0] === ',' && depth === 1) { args.push(sql.slice(last, m.index)); last = m.index + 1; }
    if (depth === 0) { args.push(sql.slice(last, m.index)); return args; }
  }
  return undefined;
}

function currentText(v: TemplateVar | undefined): string | undefined {
  if (!v) return undefined;
  return Array.isArray(v.current) ? v.current.join(',') : v.current;
}

/** Step 1: `$__conditionalAll(cond, $var)`, innermost-last as the plugin scans (lastIndexOf). */
export function applyConditionalAll(sql: string, vars: Record<string, TemplateVar>): string {
  let out = sql;
  for (let i = 0, at = out.lastIndexOf(CONDITIONAL_ALL); at >= 0 && i < MAX_ROUNDS; i++, at = out.lastIndexOf(CONDITIONAL_ALL)) {
    const args = macroArgs(out, at + CONDITIONAL_ALL.length - 1);
    if (!args || args.length !== 2) return out;
    const ref = /\$\{(\w+)\}|\$(\w+)/.exec(args[1].trim());
    let phrase = args[0];
    if (ref) {
      const value = currentText(vars[ref[1] ?? ref[2]]);
      if (value === '' || value === ALL) phrase = '1=1';
    }
    out = out.replace(`${CONDITIONAL_ALL}${args[0]},${args[1]})`, phrase);
  }
  return out;
}

type Formatter = (value: string | string[]) => string;
const quoteEach = (escape: (s: string) => string) => (value: string | string[]): string =>
  (Array.isArray(value) ? value : [value]).map((v) => `'${escape(v)}'`).join(',');
const FORMATS: Record<string, Formatter> = {
  // The data source's own format(): only arrays are quoted, and nothing is escaped.
  default: (v) => (Array.isArray(v) ? `'${v.join("','")}'` : v),
  singlequote: quoteEach((s) => s.replace(/'/g, "\\'")),
  sqlstring: quoteEach((s) => s.replace(/'/g, "''")),
  csv: (v) => (Array.isArray(v) ? v.join(',') : v),
  raw: (v) => (Array.isArray(v) ? v.join(',') : v),
};

export function isAll(v: TemplateVar): boolean {
  return Array.isArray(v.current) ? v.current.length === 1 && v.current[0] === ALL : v.current === ALL;
}

/** Step 2: template variables. */
export function interpolateVariables(sql: string, vars: Record<string, TemplateVar>, unknown: string[] = []): string {
  return sql.replace(VARIABLE, (whole, n1?: string, n2?: string, f2?: string, n3?: string, _field?: string, f3?: string) => {
    const name = n1 ?? n2 ?? n3 ?? '';
    const v = vars[name];
    if (!v) {
      if (!name.startsWith('__')) unknown.push(name);
      else if (FRONTEND_BUILTINS.has(name)) throw new Error(`$${name} is replaced by Grafana's frontend; use $__interval_s or $__timeInterval(...)`);
      return whole;
    }
    const fmtName = f2 ?? f3 ?? 'default';
    const fmt = FORMATS[fmtName];
    if (!fmt) throw new Error(`variable format ${fmtName} is not modelled`);
    if (isAll(v)) {
      if (v.allValue) return v.allValue;
      return fmt(v.options ?? []);
    }
    return fmt(v.current);
  });
}

const pad = (n: number): string => String(n).padStart(2, '0');
const toDateTime = (ms: number): string => `toDateTime(${Math.floor(ms / 1000)})`;
const toDateTime64 = (ms: number): string => `fromUnixTimestamp64Milli(${Math.trunc(ms)})`;
const toDate = (ms: number): string => {
  const d = new Date(ms);
  return `toDate('${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}')`;
};

type Macro = (args: string[], ctx: QueryContext) => string;
const one = (name: string, f: (col: string, ctx: QueryContext) => string): Macro => (args, ctx) => {
  if (args.length !== 1) throw new Error(`$__${name} expected 1 argument(s), received ${args.length}`);
  return f(args[0], ctx);
};

/** pkg/macros/macros.go ClickHouseMacros (the ones a dashboard uses with plain arguments). */
export const MACROS: Record<string, Macro> = {
  timeFilter: one('timeFilter', (c, x) => `${c} >= ${toDateTime(x.fromMs)} AND ${c} <= ${toDateTime(x.toMs)}`),
  timeFilter_ms: one('timeFilter_ms', (c, x) => `${c} >= ${toDateTime64(x.fromMs)} AND ${c} <= ${toDateTime64(x.toMs)}`),
  dateFilter: one('dateFilter', (c, x) => `${c} >= ${toDate(x.fromMs)} AND ${c} <= ${toDate(x.toMs)}`),
  timeFrom: one('timeFrom', (c, x) => `${c} >= ${toDateTime(x.fromMs)}`),
  timeTo: one('timeTo', (c, x) => `${c} <= ${toDateTime(x.toMs)}`),
  timeInterval: one('timeInterval', (c, x) => `toStartOfInterval(toDateTime(${c}), INTERVAL ${Math.trunc(Math.max(x.intervalMs / 1000, 1))} second)`),
  timeInterval_ms: one('timeInterval_ms', (c, x) => `toStartOfInterval(toDateTime64(${c}, 3), INTERVAL ${Math.trunc(Math.max(x.intervalMs, 1))} millisecond)`),
  interval_s: (_a, x) => String(Math.trunc(Math.max(x.intervalMs / 1000, 1))),
  fromTime: (_a, x) => toDateTime(x.fromMs),
  toTime: (_a, x) => toDateTime(x.toMs),
  fromTime_ms: (_a, x) => toDateTime64(x.fromMs),
  toTime_ms: (_a, x) => toDateTime64(x.toMs),
};

/** Step 3: backend macros. */
export function expandMacros(sql: string, ctx: QueryContext, unknown: string[] = []): string {
  let out = '';
  let pos = 0;
  MACRO.lastIndex = 0;
  for (let m = MACRO.exec(sql); m; m = MACRO.exec(sql)) {
    const name = m[1];
    const macro = MACROS[name];
    if (!macro) { unknown.push(name); continue; }
    let end = m.index + m[0].length;
    let args: string[] = [];
    if (sql[end] === '(') {
      const parsed = macroArgs(sql, end);
      if (!parsed) throw new Error(`$__${name}: unbalanced parentheses`);
      args = parsed.length === 1 && parsed[0].trim() === '' ? [] : parsed.map((p) => p.trim());
      end = closeOf(sql, end);
    }
    out += sql.slice(pos, m.index) + macro(args, ctx);
    pos = end;
    MACRO.lastIndex = end;
  }
  return out + sql.slice(pos);
}

function closeOf(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i + 1;
  }
  return sql.length;
}

/** All three steps. */
export function interpolateQuery(rawSql: string, ctx: QueryContext): Interpolated {
  const unknownMacros: string[] = [];
  const unknownVariables: string[] = [];
  const withAll = applyConditionalAll(rawSql, ctx.vars);
  const withVars = interpolateVariables(withAll, ctx.vars, unknownVariables);
  const sql = expandMacros(withVars, ctx, unknownMacros);
  return { sql, unknownMacros, unknownVariables };
}
