// Field-name normalization and the compiled field-name matcher.
// Keys repeat across requests, so each distinct raw key is normalized and matched once and cached.

/** What a field name points to: a category, unless the field sits under one of `notUnder`. */
export interface RuleTarget {
  category: string;
  notUnder?: ReadonlySet<string>;
}

export interface FieldRuleSpec {
  category: string;
  names: readonly string[];
  /** The names also match behind one or two qualifier words (`billing_email`). */
  qualified?: boolean;
  notUnder?: readonly string[];
  /** Regular expressions tested against the normalized name. */
  patterns?: readonly RegExp[];
}

export interface FieldMatcher {
  /** Categories a field name points to, in rule order; empty when none. `parent` is the enclosing
   *  field's raw name, used by `notUnder`. */
  match(rawKey: string, parent?: string): readonly string[];
}

const MAX_KEY_CHARS = 128;
const CACHE_LIMIT = 4096;
const MAX_QUALIFIERS = 2;

const CAMEL_LOWER_UPPER = /([\p{Ll}\p{N}])(\p{Lu})/gu;
const CAMEL_ACRONYM = /(\p{Lu})(\p{Lu}\p{Ll})/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const SHARP_S = /ß/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const TRAILING_DIGITS = /\d+$/;
/** Characters that separate nested names inside one key: `user.email`, `customer[email]`. */
const NESTING = /[.[\]>]/;

/** `firstName`, `first_name`, `First-Name` → `firstname`; `prénom` → `prenom`; `x-user-email` → `useremail`. */
export function normalizeFieldName(raw: string): string {
  const spaced = raw
    .slice(0, MAX_KEY_CHARS)
    .replace(CAMEL_LOWER_UPPER, '$1 $2')
    .replace(CAMEL_ACRONYM, '$1 $2')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(SHARP_S, 'ss');
  const tokens = spaced.split(SEPARATORS);
  let out = '';
  let first = true;
  for (const t of tokens) {
    if (t === '') continue;
    // Custom headers carry an `x-` prefix that says nothing about the content.
    if (first && t === 'x' && tokens.length > 1) { first = false; continue; }
    first = false;
    out += t;
  }
  return out;
}

/** Last name segment of a nested key: `customer[email]` → `email`, `items[0]` → `items`. */
export function lastKeySegment(raw: string): string {
  const [last] = keySegmentsFromEnd(raw, 1);
  return last ?? raw;
}

/** A path's field name and its parent's (undefined where the path has no such segment). */
export interface PathFields { field: string | undefined; parent: string | undefined }
/** Longer paths (deep or odd keys) are cut each time, so the cache stays within ~1 MB. */
const PATH_CACHED_CHARS = 256;
const pathFieldsCache = new Map<string, PathFields>();

/** `keySegmentsFromEnd(path, 2)` as field and parent. Requests of one route repeat the same paths:
 *  their segments are cut once, not per leaf and request (the arrays and slices were a sixth of
 *  the analysis thread's allocation). */
export function pathFields(path: string): PathFields {
  let f = pathFieldsCache.get(path);
  if (f === undefined) {
    const segs = keySegmentsFromEnd(path, 2);
    f = { field: segs[0], parent: segs[1] };
    if (path.length > PATH_CACHED_CHARS) return f;
    if (pathFieldsCache.size >= CACHE_LIMIT) pathFieldsCache.clear();
    pathFieldsCache.set(path, f);
  }
  return f;
}

/** Up to `n` named segments of a path or key, last first; numeric indexes are skipped and the part
 *  before the last `>` (an outer layer) is ignored. */
export function keySegmentsFromEnd(path: string, n: number): string[] {
  const out: string[] = [];
  const floor = Math.max(0, path.length - 512);
  let end = path.length;
  for (let i = path.length - 1; ; i--) {
    const atFloor = i < floor;
    const ch = atFloor ? '>' : path[i];
    if (!atFloor && ch !== '.' && ch !== '[' && ch !== ']' && ch !== '>') continue;
    if (end > i + 1) {
      const seg = path.slice(i + 1, end);
      if (!isIndex(seg)) {
        out.push(seg);
        if (out.length >= n) break;
      }
    }
    if (ch === '>') break;
    end = i;
  }
  return out;
}

function isIndex(seg: string): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return seg.length > 0;
}

interface CacheEntry {
  targets: readonly RuleTarget[];
  categories: readonly string[];
  /** Some target depends on the parent field (`notUnder`). */
  contextual: boolean;
}

interface Tier {
  exact: Map<string, RuleTarget[]>;
  qualified: Map<string, RuleTarget[]>;
  patterns: { re: RegExp; target: RuleTarget }[];
}

function buildTier(rules: readonly FieldRuleSpec[]): Tier {
  const tier: Tier = { exact: new Map(), qualified: new Map(), patterns: [] };
  for (const rule of rules) {
    const target: RuleTarget = { category: rule.category };
    if (rule.notUnder?.length) target.notUnder = new Set(rule.notUnder.map(normalizeFieldName));
    for (const name of rule.names) {
      const norm = normalizeFieldName(name);
      if (norm === '') continue;
      addTarget(tier.exact, norm, target);
      if (rule.qualified) addTarget(tier.qualified, norm, target);
    }
    for (const re of rule.patterns ?? []) tier.patterns.push({ re, target });
  }
  return tier;
}

function addTarget(map: Map<string, RuleTarget[]>, name: string, target: RuleTarget): void {
  const list = map.get(name);
  if (!list) map.set(name, [target]);
  else if (!list.some((t) => t.category === target.category)) list.push(target);
}

/** Rules are matched tier by tier (config rules first, then built-ins); inside a tier an exact name
 *  beats a qualified one, which beats a pattern. */
export function compileFieldMatcher(
  tiersOfRules: readonly (readonly FieldRuleSpec[])[],
  qualifiers: readonly string[],
): FieldMatcher {
  const tiers = tiersOfRules.map(buildTier);
  // Longest first, so stripping is greedy and deterministic when one qualifier prefixes another.
  const quals = [...new Set(qualifiers.map(normalizeFieldName).filter(Boolean))].sort((a, b) => b.length - a.length);
  const cache = new Map<string, CacheEntry>();
  const none: readonly RuleTarget[] = [];
  const noCategories: readonly string[] = [];

  function qualifiedLookup(tier: Tier, name: string, depth: number): RuleTarget[] | undefined {
    if (depth >= MAX_QUALIFIERS) return undefined;
    for (const q of quals) {
      if (name.length <= q.length || !name.startsWith(q)) continue;
      const rest = name.slice(q.length);
      const hit = tier.qualified.get(rest) ?? qualifiedLookup(tier, rest, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }

  function lookupNormalized(name: string): readonly RuleTarget[] | undefined {
    for (const tier of tiers) {
      const hit = tier.exact.get(name) ?? qualifiedLookup(tier, name, 0);
      if (hit) return hit;
      for (const p of tier.patterns) if (p.re.test(name)) return [p.target];
    }
    return undefined;
  }

  function lookupRaw(rawKey: string): readonly RuleTarget[] {
    const name = normalizeFieldName(rawKey);
    if (name === '') return none;
    let hit = lookupNormalized(name);
    // `address2`, `phone_1`, `email2`
    if (!hit && TRAILING_DIGITS.test(name)) {
      const bare = name.replace(TRAILING_DIGITS, '');
      if (bare !== '') hit = lookupNormalized(bare);
    }
    if (!hit && NESTING.test(rawKey)) {
      const last = lastKeySegment(rawKey);
      if (last !== rawKey) hit = lookupRaw(last);
    }
    return hit ?? none;
  }

  function entryFor(rawKey: string): CacheEntry {
    let hit = cache.get(rawKey);
    if (hit === undefined) {
      const targets = lookupRaw(rawKey);
      hit = {
        targets,
        categories: targets.length ? targets.map((t) => t.category) : noCategories,
        contextual: targets.some((t) => t.notUnder !== undefined),
      };
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(rawKey, hit);
    }
    return hit;
  }

  const parentCache = new Map<string, string>();
  function normalizedParent(parent: string): string {
    let norm = parentCache.get(parent);
    if (norm === undefined) {
      norm = normalizeFieldName(parent);
      if (parentCache.size >= CACHE_LIMIT) parentCache.clear();
      parentCache.set(parent, norm);
    }
    return norm;
  }

  return {
    match(rawKey: string, parent?: string): readonly string[] {
      const entry = entryFor(rawKey);
      if (!entry.contextual || parent === undefined) return entry.categories;
      const p = normalizedParent(parent);
      if (p === '' || !entry.targets.some((t) => t.notUnder?.has(p))) return entry.categories;
      return entry.targets.filter((t) => !t.notUnder?.has(p)).map((t) => t.category);
    },
  };
}
