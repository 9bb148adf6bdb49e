// The SST_CONFIG schema (zod). Loaded only when a config is parsed: a process without SST_CONFIG
// starts from the plain defaults in config.ts and never pays for zod.
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
  /** Database calls (pg, mysql2, better-sqlite3): result rows copied for `load` detection. */
  db: z.object({
    /** Copy result rows (off: only statements and parameters are inspected, no `load` flows). */
    captureRows: z.boolean().default(true),
    /** Most rows copied per statement. */
    maxRows: z.number().int().nonnegative().max(1_000_000).default(1000),
    /** Most bytes of row values copied per statement. */
    maxRowBytes: z.number().int().nonnegative().max(256 * 1024 * 1024).default(256 * 1024),
  }).strict().default({ captureRows: true, maxRows: 1000, maxRowBytes: 256 * 1024 }),
}).strict();

export type SstConfigParsed = z.infer<typeof configSchema>;
export type SstConfigInput = z.input<typeof configSchema>;
export type FieldRuleParsed = z.infer<typeof fieldRuleSchema>;
export type DestinationParsed = z.infer<typeof destinationSchema>;
