// Reads a Grafana dashboard JSON: its panels (rows included), their ClickHouse SQL targets, and its
// template variables as the inputs of grafana-sql.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateVar } from './grafana-sql';

export const PLUGIN_ID = 'grafana-clickhouse-datasource';
/** sqlds FormatQueryOption as the plugin stores it in `format`. */
export const FORMAT = { timeSeries: 0, table: 1, logs: 2, trace: 3, multi: 4 } as const;

export interface Target {
  refId: string;
  editorType: string;
  format: number;
  queryType?: string;
  rawSql: string;
  datasource?: { type?: string; uid?: string };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value: unknown }> }> };
  datasource?: { type?: string; uid?: string };
}

export interface Variable {
  type: string;
  name: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  query?: string | { editorType?: string; rawSql?: string };
  current?: { value?: string | string[] };
  datasource?: { type?: string; uid?: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const MAX_PANELS = 500;

export function loadDashboard(file: string = join(__dirname, 'sst-overview.json')): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel, rows flattened. */
export function allPanels(d: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (ps: Panel[] | undefined): void => {
    for (const p of ps ?? []) {
      if (out.length >= MAX_PANELS) return;
      out.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

export function variable(d: Dashboard, name: string): Variable | undefined {
  return d.templating.list.find((v) => v.name === name);
}

/** The SQL of a query variable. */
export function variableSql(v: Variable): string | undefined {
  if (typeof v.query === 'string') return v.query || undefined;
  return v.query?.rawSql;
}

/** Variable states for grafana-sql.ts: `selected` per name (a value, values, or '$__all'),
 *  `options` per name (what All expands to). Variables not given keep their saved current value. */
export function templateVars(d: Dashboard, selected: Record<string, string | string[]>, options: Record<string, string[]> = {}): Record<string, TemplateVar> {
  const out: Record<string, TemplateVar> = {};
  for (const v of d.templating.list) {
    if (v.type === 'datasource') continue;
    const current = selected[v.name] ?? v.current?.value ?? '';
    out[v.name] = { current, options: options[v.name], allValue: v.allValue ?? null };
  }
  return out;
}
