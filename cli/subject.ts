// A personal value given on the command line → the fingerprint ids the app would have computed for
// it (same key, same canonical form). The value and its canonical form stay in memory: only ids are
// printed or sent to the store.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize, fingerprintId, loadKey } from '../span-processor/fingerprint';
import { loadConfigFile } from '../span-processor/config';
import { UsageError } from './errors';

/** Lookup order without --category: the strong identifiers first (semconv §3 subjects), then the rest. */
export const LOOKUP_ORDER: readonly string[] = [
  'email', 'phone', 'user_id', 'name', 'birthdate', 'address', 'postal_code', 'city', 'region', 'country',
  'ip', 'device_id', 'ad_click_id', 'card', 'iban', 'gov_id', 'income', 'gender', 'user_agent', 'health', 'password',
];
const CATEGORY_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export interface Candidate {
  category: string;
  fingerprint: string;
}

/** The HMAC key as the app loads it. Unlike the app, a missing key is an error here: a freshly
 *  generated key would match nothing. */
export function lookupKey(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Buffer {
  if (!env.SST_FINGERPRINT_KEY && !existsSync(join(cwd, '.sst', 'key'))) {
    throw new UsageError(`no fingerprint key: set SST_FINGERPRINT_KEY (the key the app used) or run where the app's .sst/key is`);
  }
  try {
    return loadKey(env, cwd).key;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/^sst: /, '') : String(e));
  }
}

/** Default phone region: --region, else the app's config (SST_CONFIG), else US. */
export function phoneRegion(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    if (!/^[A-Za-z]{2}$/.test(explicit)) throw new UsageError(`invalid --region "${explicit.slice(0, 10)}" (two letters, e.g. US or DE)`);
    return explicit.toUpperCase();
  }
  if (env.SST_CONFIG) {
    try { return loadConfigFile(env.SST_CONFIG, env).defaultPhoneRegion; } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  return 'US';
}

/** Ids for one category, or for every category the value is valid in (LOOKUP_ORDER), without
 *  repeating an id two categories share. */
export function candidates(value: string, category: string | undefined, region: string, key: Buffer): Candidate[] {
  if (category !== undefined && !CATEGORY_NAME.test(category)) throw new UsageError(`invalid --category "${category.slice(0, 40)}"`);
  const cats = category ? [category] : LOOKUP_ORDER;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const c of cats) {
    const canonical = canonicalize(c, value, region);
    if (canonical === null) continue;
    const fp = fingerprintId(key, canonical);
    if (seen.has(fp)) continue;
    seen.add(fp);
    out.push({ category: c, fingerprint: fp });
  }
  if (category && out.length === 0) throw new UsageError(`the value is not a valid ${category}`);
  return out;
}
