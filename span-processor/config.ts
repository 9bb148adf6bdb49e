// SST_CONFIG: YAML or JSON, validated with a schema. An invalid file is a clear error naming the
// file, the key and what was expected; the caller decides whether to run uninstrumented or fail.
// zod and yaml are loaded only when there is something to parse (startup cost of the common case).
import { readFileSync } from 'node:fs';
import type { SstConfigParsed, SstConfigInput, FieldRuleParsed, DestinationParsed } from './config-schema';

export type SstConfig = SstConfigParsed;
export type FieldRuleConfig = FieldRuleParsed;
export type DestinationConfig = DestinationParsed;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The schema's defaults, as plain data (a test checks they equal `configSchema.parse({})`). */
export const DEFAULTS: Readonly<SstConfig> = Object.freeze({
  firstPartyHosts: [],
  ignoredHosts: [],
  defaultPhoneRegion: 'US',
  captureLimit: 1024 * 1024,
  fieldRules: [],
  destinations: [],
  captureHeaders: [],
  keepClientAddress: false,
  shareUserAgent: false,
  maxEventsPerSpan: 64,
  registry: { ttlSeconds: 6 * 3600, maxBytes: 64 * 1024 * 1024 },
  db: { captureRows: true, maxRows: 1000, maxRowBytes: 256 * 1024 },
});

function schema(): typeof import('./config-schema') {
  return require('./config-schema') as typeof import('./config-schema');
}

/** Defaults, for tests and for a process without SST_CONFIG. */
export function defaultConfig(overrides: Partial<SstConfigInput> = {}): SstConfig {
  if (Object.keys(overrides).length === 0) return structuredClone(DEFAULTS) as SstConfig;
  return schema().configSchema.parse(overrides);
}

/** Validate an already-parsed object; `where` names the source in the error. */
export function parseConfig(raw: unknown, where: string): SstConfig {
  const res = schema().configSchema.safeParse(raw ?? {});
  if (res.success) return res.data;
  const issues = res.error.issues.map((i) => {
    const key = i.path.length ? i.path.join('.') : '(top level)';
    return `key "${key}": ${i.message}`;
  });
  throw new ConfigError(`invalid SST config ${where}: ${issues.join('; ')}`);
}

/** Load a YAML or JSON file. YAML is parsed as plain data (no custom tags), so config runs no code. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): SstConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read SST config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    if (/\.json$/i.test(path)) raw = JSON.parse(text);
    else raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`cannot parse SST config ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const cfg = parseConfig(raw, path);
  const limit = env.SST_CAPTURE_LIMIT;
  if (limit !== undefined && limit !== '') cfg.captureLimit = parseCaptureLimit(limit);
  applyDbEnv(cfg, env);
  return cfg;
}

/** SST_DB_CAPTURE_ROWS=false switches row capture off without a config file (e.g. to compare cost). */
function applyDbEnv(cfg: SstConfig, env: NodeJS.ProcessEnv): void {
  const v = env.SST_DB_CAPTURE_ROWS;
  if (v === undefined || v === '') return;
  if (/^(true|1|yes)$/i.test(v)) cfg.db = { ...cfg.db, captureRows: true };
  else if (/^(false|0|no)$/i.test(v)) cfg.db = { ...cfg.db, captureRows: false };
  else throw new ConfigError(`invalid SST_DB_CAPTURE_ROWS "${v}": expected true or false`);
}

/** Plain-data YAML. An unknown tag (`!!js/function`, `!!python/…`) is an error here: the yaml
 *  package would only warn, through process.emitWarning, on the app's stderr. */
function parseYaml(text: string): unknown {
  const doc = (require('yaml') as typeof import('yaml')).parseDocument(text, { schema: 'core', customTags: [], logLevel: 'silent' });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new Error(problem.message);
  return doc.toJS({ maxAliasCount: 100 });
}

export function parseCaptureLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`invalid SST_CAPTURE_LIMIT "${text}": expected a positive whole number of bytes`);
  return n;
}

/** Config from the environment: SST_CONFIG file if set, else defaults; SST_CAPTURE_LIMIT on top. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SstConfig {
  if (env.SST_CONFIG) return loadConfigFile(env.SST_CONFIG, env);
  const cfg = defaultConfig();
  if (env.SST_CAPTURE_LIMIT) cfg.captureLimit = parseCaptureLimit(env.SST_CAPTURE_LIMIT);
  applyDbEnv(cfg, env);
  return cfg;
}
