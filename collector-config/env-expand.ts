// The collector's `${env:NAME}` / `${env:NAME:-default}` expansion, enough to check that the
// env-driven config resolves to the intended pipeline. As in the collector's confmap, a value that
// is exactly one reference takes the YAML type of what it expands to (`1536` is an int); inside a
// longer string the expansion stays text.
import { parse } from 'yaml';

const REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;
const MAX_DEPTH = 32;

function lookup(env: Record<string, string | undefined>, name: string, fallback: string | undefined): string {
  const v = env[name];
  return v !== undefined ? v : (fallback ?? '');
}

export function expandEnv(value: unknown, env: Record<string, string | undefined>, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (typeof value === 'string') {
    const whole = WHOLE_REF.exec(value);
    if (whole) {
      const text = lookup(env, whole[1], whole[2]);
      try { return text === '' ? '' : parse(text); } catch { return text; }
    }
    return value.replace(REF, (_m, name: string, fallback: string | undefined) => lookup(env, name, fallback));
  }
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, depth + 1);
    return out;
  }
  return value;
}

/** Names of the environment variables a config refers to. */
export function envNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(REF)) names.add(m[1]);
  return [...names].sort();
}
