// The built-in destination catalog is data (destinations.yaml next to this module). This module
// validates it once at load, so a broken file fails loudly at startup with the entry index and key
// instead of silently misclassifying destinations at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { DestinationKind } from '../types';
import { compileHostGlob } from './host-glob';

export const DESTINATION_KINDS: readonly DestinationKind[] = Object.freeze([
  'advertising', 'analytics', 'cdp', 'crm', 'email', 'sms', 'llm', 'payments', 'support',
  'observability', 'internal', 'unknown',
] as const);

/** The finer kinds of vendors.md, and the contract kind each one reports as. */
export const KIND_OF_CATALOG_KIND = Object.freeze({
  ads_capi: 'advertising',
  ads_audience: 'advertising',
  cdp: 'cdp',
  analytics: 'analytics',
  crm: 'crm',
  email: 'email',
  email_crm: 'email',
  sms: 'sms',
  sms_crm: 'sms',
  llm: 'llm',
  pii_tooling: 'observability',
  observability: 'observability',
  payments: 'payments',
  support: 'support',
} as const satisfies Record<string, DestinationKind>);

export type CatalogKind = keyof typeof KIND_OF_CATALOG_KIND;
export const CATALOG_KINDS = Object.freeze(Object.keys(KIND_OF_CATALOG_KIND) as CatalogKind[]);

export interface CatalogEntry {
  /** Host globs (see host-glob.ts). */
  hosts: string[];
  /** Regex source tested (case-insensitive) against the URL path without the query. */
  path?: string;
  /** Stable lowercase slug reported as `sst.destination.vendor`. */
  vendor: string;
  /** Display name, for docs and the CLI. */
  name?: string;
  kind: DestinationKind;
  catalogKind: CatalogKind;
}

export class CatalogError extends Error {
  override name = 'CatalogError';
}

export const MAX_PATH_REGEX_LENGTH = 300;

/** Returns an error message, or null when the source compiles. Shared with config destinations. */
export function checkPathRegex(source: string): string | null {
  if (source.length === 0 || source.length > MAX_PATH_REGEX_LENGTH) return `path regex must be 1-${MAX_PATH_REGEX_LENGTH} characters`;
  try {
    new RegExp(source, 'i');
    return null;
  } catch (e) {
    return `path is not a valid regular expression (${(e as Error).message})`;
  }
}

const hostGlob = z.string().min(1).superRefine((s, ctx) => {
  const r = compileHostGlob(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

const entrySchema = z.object({
  hosts: z.array(hostGlob).min(1),
  path: z.string().superRefine((s, ctx) => {
    const err = checkPathRegex(s);
    if (err) ctx.addIssue({ code: 'custom', message: err });
  }).optional(),
  vendor: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug such as "google-ads"'),
  name: z.string().min(1).optional(),
  kind: z.enum(['advertising', 'analytics', 'cdp', 'crm', 'email', 'sms', 'llm', 'payments', 'support', 'observability']),
  catalogKind: z.enum(CATALOG_KINDS as [CatalogKind, ...CatalogKind[]]),
}).strict().superRefine((e, ctx) => {
  const expected = KIND_OF_CATALOG_KIND[e.catalogKind];
  if (e.kind !== expected) {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: `catalogKind "${e.catalogKind}" reports as kind "${expected}", not "${e.kind}"` });
  }
});

const fileSchema = z.object({
  version: z.literal(1),
  destinations: z.array(entrySchema).min(1),
}).strict();

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Validate a parsed catalog document; throws CatalogError naming the entry index and key. */
export function validateCatalog(raw: unknown, where = 'destinations.yaml'): CatalogEntry[] {
  const res = fileSchema.safeParse(raw);
  if (res.success) return res.data.destinations;
  const issues = res.error.issues.slice(0, 5).map((i) => {
    if (i.path[0] === 'destinations' && typeof i.path[1] === 'number') {
      const idx = i.path[1];
      const entry = Array.isArray((raw as { destinations?: unknown }).destinations)
        ? (raw as { destinations: unknown[] }).destinations[idx] : undefined;
      const vendor = entry && typeof entry === 'object' && typeof (entry as { vendor?: unknown }).vendor === 'string'
        ? ` (vendor "${(entry as { vendor: string }).vendor.slice(0, 40)}")` : '';
      // zod reports unknown keys on the object itself; name the keys instead.
      if (i.code === 'unrecognized_keys') {
        const keys = i.keys.slice(0, 5).map((k) => formatPath([...i.path.slice(2), k])).join('", "');
        return `entry ${idx}${vendor} key "${keys}": unknown key`;
      }
      const key = i.path.length > 2 ? formatPath(i.path.slice(2)) : '(entry)';
      return `entry ${idx}${vendor} key "${key}": ${i.message}`;
    }
    return `key "${i.path.length ? formatPath(i.path) : '(top level)'}": ${i.message}`;
  });
  throw new CatalogError(`invalid destination catalog ${where}: ${issues.join('; ')}`);
}

/** Read, parse and validate a catalog file. */
export function loadCatalogFile(file: string): CatalogEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CatalogError(`cannot read destination catalog ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { schema: 'core', customTags: [] });
  } catch (e) {
    throw new CatalogError(`cannot parse destination catalog ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateCatalog(raw, file);
}

export const BUILTIN_CATALOG_FILE = join(__dirname, 'destinations.yaml');

let builtin: readonly CatalogEntry[] | undefined;

/** The built-in entries in match order (loaded and validated once, then frozen). */
export function listCatalog(): readonly CatalogEntry[] {
  if (!builtin) {
    builtin = Object.freeze(loadCatalogFile(BUILTIN_CATALOG_FILE).map((e) => Object.freeze({ ...e, hosts: Object.freeze([...e.hosts]) as string[] })));
  }
  return builtin;
}
