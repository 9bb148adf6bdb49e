// SST_CONFIG: YAML or JSON, validated with a schema. An invalid file is a clear error naming the
// file, the key and what was expected; the caller decides whether to run uninstrumented or fail.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const hostList = z.array(z.string().min(1)).default([]);

const fieldRuleSchema = z.object({
  category: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lowercase category name such as "email" or "loyalty_id"'),
  /** Field names (any case or separator style: `firstName`, `first_name`, `first-name` are one). */
  names: z.array(z.string().min(1)).default([]),
  /** A regular expression tested against the normalized field name (lowercase, no separators). */
  pattern: z.string().refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'a valid regular expression').optional(),
}).strict();

const destinationSchema = z.object({
  hosts: z.array(z.string().min(1)).min(1),
  path: z.string().refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'a valid regular expression').optional(),
  vendor: z.string().min(1),
  kind: z.enum(['advertising', 'analytics', 'cdp', 'crm', 'email', 'sms', 'llm', 'payments', 'support', 'observability', 'internal', 'unknown']),
  catalogKind: z.string().optional(),
}).strict();

export const configSchema = z.object({
  /** Hosts that are part of this service's own system: share spans to them are third_party=false,
   *  and only they receive traceparent/baggage. Globs: `*.internal.example`. */
  firstPartyHosts: hostList,
  /** Hosts whose outgoing calls are never inspected (e.g. a log shipper). */
  ignoredHosts: hostList,
  /** ISO 3166 region used to parse national phone numbers (`0151 …`, `(650) 555-1212`). */
  defaultPhoneRegion: z.string().regex(/^[A-Z]{2}$/, 'a two-letter ISO 3166 region such as "US" or "DE"').default('US'),
  /** Max bytes of a body inspected; larger bodies are inspected up to the limit and pass untouched. */
  captureLimit: z.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
  /** Extra field-name rules (added before the built-in ones, so they win). */
  fieldRules: z.array(fieldRuleSchema).default([]),
  /** Extra destinations (checked before the built-in catalog). */
  destinations: z.array(destinationSchema).default([]),
  /** Request headers inspected at ingress besides cookies, user-agent and x-forwarded-for. */
  captureHeaders: z.array(z.string().min(1)).default([]),
  /** Keep client.address / http.client_ip on spans instead of replacing them with a fingerprint. */
  keepClientAddress: z.boolean().default(false),
  /** Report a user agent sent to a vendor as a share (it is always tagged at collect). */
  shareUserAgent: z.boolean().default(false),
  /** Cap of sst.tag / sst.match events per span. */
  maxEventsPerSpan: z.number().int().positive().max(10000).default(64),
  registry: z.object({
    ttlSeconds: z.number().int().positive().default(6 * 3600),
    maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
  }).strict().default({ ttlSeconds: 6 * 3600, maxBytes: 64 * 1024 * 1024 }),
}).strict();

export type SstConfig = z.infer<typeof configSchema>;
export type FieldRuleConfig = z.infer<typeof fieldRuleSchema>;
export type DestinationConfig = z.infer<typeof destinationSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Defaults, for tests and for a process without SST_CONFIG. */
export function defaultConfig(overrides: Partial<z.input<typeof configSchema>> = {}): SstConfig {
  return configSchema.parse(overrides);
}

/** Validate an already-parsed object; `where` names the source in the error. */
export function parseConfig(raw: unknown, where: string): SstConfig {
  const res = configSchema.safeParse(raw ?? {});
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
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text, { schema: 'core', customTags: [] });
  } catch (e) {
    throw new ConfigError(`cannot parse SST config ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const cfg = parseConfig(raw, path);
  const limit = env.SST_CAPTURE_LIMIT;
  if (limit !== undefined && limit !== '') cfg.captureLimit = parseCaptureLimit(limit);
  return cfg;
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
  return cfg;
}
