// Static checks of an OpenTelemetry Collector config against the keys each component accepts
// (component-keys.json): every key used is known, every pipeline names defined components.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ComponentKeys {
  source: string[];
  keys: string[];
}

export interface KeyCatalog {
  components: Record<string, ComponentKeys>;
  service: { keys: string[]; pipelineKeys: string[] };
  clickhouseTracesTable: TracesTableSpec;
}

export interface TracesTableSpec {
  textIndexMinVersion: string;
  ttlTimeField: string;
  columns: string[];
  indexes: { bloom: string[]; textindex: string[] };
  clauses: string[];
  traceIdTsTable: { nameSuffix: string; ttlTimeField: string; columns: string[]; clauses: string[] };
}

export type Section = 'receivers' | 'processors' | 'exporters' | 'extensions';
export const SECTIONS: readonly Section[] = ['receivers', 'processors', 'exporters', 'extensions'];
const PIPELINE_ROLES = { receivers: 'receivers', processors: 'processors', exporters: 'exporters' } as const;
const MAX_DEPTH = 16;
const MAX_KEYS = 10_000;

export function loadKeyCatalog(dir: string = __dirname): KeyCatalog {
  return JSON.parse(readFileSync(join(dir, 'component-keys.json'), 'utf8')) as KeyCatalog;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dotted paths of every mapping key below `value` (lists are leaves: their items are values). */
export function keyPaths(value: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (!isObject(value) || depth > MAX_DEPTH) return out;
  for (const [k, v] of Object.entries(value)) {
    if (out.length >= MAX_KEYS) break;
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p);
    keyPaths(v, p, out, depth + 1);
  }
  return out;
}

/** `type/name` → `type` (component ids may carry an instance name). */
export function componentType(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

function accepted(path: string, allowed: readonly string[]): boolean {
  for (const a of allowed) {
    if (a === path) return true;
    if (a.endsWith('.*')) {
      const base = a.slice(0, -2);
      if (path === base || path.startsWith(base + '.')) return true;
    }
    // A listed leaf implies its parents (`retry_on_failure` for `retry_on_failure.enabled`).
    if (a.startsWith(path + '.')) return true;
  }
  return false;
}

export interface KeyProblem { where: string; problem: string }

/** Unknown components and unknown keys, per component instance. */
export function unknownKeys(config: unknown, catalog: KeyCatalog): KeyProblem[] {
  const problems: KeyProblem[] = [];
  if (!isObject(config)) return [{ where: '(root)', problem: 'config is not a mapping' }];
  for (const section of SECTIONS) {
    const defs = config[section];
    if (defs === undefined) continue;
    if (!isObject(defs)) { problems.push({ where: section, problem: 'not a mapping' }); continue; }
    for (const [id, body] of Object.entries(defs)) {
      const known = catalog.components[`${section}/${componentType(id)}`];
      if (!known) { problems.push({ where: `${section}.${id}`, problem: 'component not in component-keys.json' }); continue; }
      for (const p of keyPaths(body)) if (!accepted(p, known.keys)) problems.push({ where: `${section}.${id}`, problem: `unknown key ${p}` });
    }
  }
  const service = config.service;
  if (!isObject(service)) problems.push({ where: 'service', problem: 'missing' });
  else {
    for (const k of Object.keys(service)) if (!accepted(k, catalog.service.keys)) problems.push({ where: 'service', problem: `unknown key ${k}` });
    const pipelines = service.pipelines;
    if (isObject(pipelines)) {
      for (const [name, p] of Object.entries(pipelines)) {
        if (!isObject(p)) { problems.push({ where: `service.pipelines.${name}`, problem: 'not a mapping' }); continue; }
        for (const k of Object.keys(p)) if (!catalog.service.pipelineKeys.includes(k)) problems.push({ where: `service.pipelines.${name}`, problem: `unknown key ${k}` });
      }
    }
  }
  return problems;
}

/** Pipeline entries that name no defined component, and defined components no pipeline uses. */
export function pipelineProblems(config: unknown): KeyProblem[] {
  const problems: KeyProblem[] = [];
  if (!isObject(config) || !isObject(config.service)) return [{ where: 'service', problem: 'missing' }];
  const pipelines = config.service.pipelines;
  if (!isObject(pipelines) || Object.keys(pipelines).length === 0) return [{ where: 'service.pipelines', problem: 'no pipeline' }];
  const used = new Set<string>();
  for (const [name, p] of Object.entries(pipelines)) {
    if (!isObject(p)) continue;
    for (const [role, section] of Object.entries(PIPELINE_ROLES)) {
      const ids = p[role];
      if (ids === undefined) {
        if (role !== 'processors') problems.push({ where: `service.pipelines.${name}`, problem: `no ${role}` });
        continue;
      }
      if (!Array.isArray(ids)) { problems.push({ where: `service.pipelines.${name}.${role}`, problem: 'not a list' }); continue; }
      const defs = config[section];
      for (const id of ids) {
        if (typeof id !== 'string' || !isObject(defs) || !(id in defs)) problems.push({ where: `service.pipelines.${name}.${role}`, problem: `undefined component ${String(id)}` });
        else used.add(`${section}/${id}`);
      }
    }
  }
  const extensions = config.service.extensions;
  if (Array.isArray(extensions)) {
    for (const id of extensions) {
      if (typeof id !== 'string' || !isObject(config.extensions) || !(id in config.extensions)) problems.push({ where: 'service.extensions', problem: `undefined extension ${String(id)}` });
      else used.add(`extensions/${id}`);
    }
  }
  for (const section of SECTIONS) {
    const defs = config[section];
    if (!isObject(defs)) continue;
    for (const id of Object.keys(defs)) if (!used.has(`${section}/${id}`)) problems.push({ where: `${section}.${id}`, problem: 'defined but not used' });
  }
  return problems;
}
