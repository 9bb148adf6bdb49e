// Destination classifier: outgoing host (+ path) → vendor, kind, first/third party.
// Everything is compiled once in createCatalog; classify runs per outgoing call, so it answers from
// a bounded per-host cache of precomputed Destination objects (shared and frozen: do not mutate)
// and, only for hosts whose entries carry path hints, tests those precompiled regexes.
import type { Destination, DestinationKind } from '../types';
import type { DestinationConfig } from '../config';
import { checkPathRegex, listCatalog, type CatalogEntry } from './catalog-file';
import { compileHostGlob, isLoopback, matchHost, normalizeHost, type HostMatcher } from './host-glob';

export {
  DESTINATION_KINDS, CATALOG_KINDS, KIND_OF_CATALOG_KIND, CatalogError, listCatalog, validateCatalog,
  loadCatalogFile, type CatalogEntry, type CatalogKind,
} from './catalog-file';
export { looksLikeLlmRequest, type LlmOperation, type LlmShape } from './llm-shape';
export { normalizeHost } from './host-glob';

export interface Catalog {
  /** Unknown host → vendor/kind `unknown`; first-party host → thirdParty=false and, unless an entry
   *  matched, vendor/kind `internal`. Never throws. */
  classify(host: string, path?: string): Destination;
  isFirstParty(host: string): boolean;
  isIgnored(host: string): boolean;
  /** Config destinations / host globs that could not be compiled and were skipped (no values). */
  readonly errors: readonly string[];
}

export interface CatalogOptions {
  firstPartyHosts: readonly string[];
  ignoredHosts?: readonly string[];
  destinations?: readonly DestinationConfig[];
  /** The service's own domain: it and its subdomains are first party. */
  serviceDomain?: string;
  /** Replaces the built-in entries (tests, tools). Default: destinations.yaml. */
  builtin?: readonly CatalogEntry[];
  /** Hosts kept in the classification cache (default 1000). */
  cacheSize?: number;
}

const DEFAULT_CACHE_SIZE = 1000;
/** Paths longer than this are tested on their first part only (bounds user regex work). */
const MAX_PATH_TESTED = 2048;

interface Rule {
  index: number;
  vendor: string;
  kind: DestinationKind;
  catalogKind: string | undefined;
  path: RegExp | null;
}

interface PathRule {
  re: RegExp;
  dest: Destination;
}

interface HostPlan {
  firstParty: boolean;
  ignored: boolean;
  pathRules: readonly PathRule[];
  fallback: Destination;
}

/** Exact hosts in a Set, globs in a list. */
class HostSet {
  private readonly exact = new Set<string>();
  private readonly globs: HostMatcher[] = [];
  add(m: HostMatcher): void {
    if (m.type === 'exact') this.exact.add(m.host);
    else this.globs.push(m);
  }
  has(host: string): boolean {
    if (this.exact.has(host)) return true;
    for (const g of this.globs) if (matchHost(g, host)) return true;
    return false;
  }
}

/** Exact hosts in a Map, globs in an ordered list; candidates come back in entry order. */
class RuleIndex {
  private readonly exact = new Map<string, Rule[]>();
  private readonly globs: { m: HostMatcher; rule: Rule }[] = [];
  add(m: HostMatcher, rule: Rule): void {
    if (m.type !== 'exact') {
      this.globs.push({ m, rule });
      return;
    }
    const list = this.exact.get(m.host);
    if (!list) this.exact.set(m.host, [rule]);
    else if (list[list.length - 1] !== rule) list.push(rule);
  }
  candidates(host: string): Rule[] {
    const fromExact = this.exact.get(host) ?? [];
    const out: Rule[] = [];
    let e = 0;
    for (const g of this.globs) {
      if (!matchHost(g.m, host)) continue;
      while (e < fromExact.length && fromExact[e]!.index < g.rule.index) out.push(fromExact[e++]!);
      if (e < fromExact.length && fromExact[e]!.index === g.rule.index) e++;
      if (out.length === 0 || out[out.length - 1] !== g.rule) out.push(g.rule);
    }
    while (e < fromExact.length) out.push(fromExact[e++]!);
    return out;
  }
}

function makeDestination(host: string, vendor: string, kind: DestinationKind, catalogKind: string | undefined, thirdParty: boolean): Destination {
  const d: Destination = catalogKind ? { host, vendor, kind, catalogKind, thirdParty } : { host, vendor, kind, thirdParty };
  return Object.freeze(d);
}

/** Path part of a path or full URL, without query/fragment, capped. */
function pathOnly(path: string): string {
  let start = 0;
  if (path.charCodeAt(0) !== 0x2f /* / */) {
    const scheme = path.indexOf('://');
    if (scheme >= 0) {
      const slash = path.indexOf('/', scheme + 3);
      if (slash < 0) return '/';
      start = slash;
    }
  }
  let end = path.length;
  const q = path.indexOf('?', start);
  if (q >= 0) end = q;
  const h = path.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  if (end - start > MAX_PATH_TESTED) end = start + MAX_PATH_TESTED;
  return start === 0 && end === path.length ? path : path.slice(start, end);
}

function compileHostList(list: readonly string[] | undefined, key: string, into: HostSet, errors: string[]): void {
  if (!list) return;
  list.forEach((pattern, i) => {
    const r = compileHostGlob(pattern);
    if (r.ok) into.add(r.matcher);
    else errors.push(`${key}[${i}]: ${r.error}`);
  });
}

interface RuleSource {
  hosts: readonly string[];
  path?: string | undefined;
  vendor: string;
  kind: DestinationKind;
  catalogKind?: string | undefined;
}

function addRule(index: RuleIndex, src: RuleSource, at: number, where: string, errors: string[]): void {
  const matchers: HostMatcher[] = [];
  for (let h = 0; h < src.hosts.length; h++) {
    const r = compileHostGlob(src.hosts[h]!);
    if (!r.ok) {
      errors.push(`${where} key "hosts[${h}]": ${r.error}`);
      return;
    }
    matchers.push(r.matcher);
  }
  let re: RegExp | null = null;
  if (src.path !== undefined) {
    const err = checkPathRegex(src.path);
    if (err) {
      errors.push(`${where} key "path": ${err}`);
      return;
    }
    re = new RegExp(src.path, 'i');
  }
  const rule: Rule = { index: at, vendor: src.vendor, kind: src.kind, catalogKind: src.catalogKind, path: re };
  for (const m of matchers) index.add(m, rule);
}

export function createCatalog(opts: CatalogOptions): Catalog {
  const errors: string[] = [];
  const rules = new RuleIndex();
  const configured = opts.destinations ?? [];
  configured.forEach((d, i) => addRule(rules, d, i, `destinations[${i}]`, errors));
  const builtin = opts.builtin ?? listCatalog();
  builtin.forEach((e, i) => addRule(rules, e, configured.length + i, `built-in catalog entry ${i}`, errors));

  const firstParty = new HostSet();
  firstParty.add({ type: 'exact', host: 'localhost' });
  firstParty.add({ type: 'suffix', suffix: '.localhost' });
  if (opts.serviceDomain) {
    const domain = normalizeHost(opts.serviceDomain);
    const r = domain && !domain.includes('*') ? compileHostGlob(domain) : null;
    if (r?.ok && r.matcher.type === 'exact') {
      firstParty.add(r.matcher);
      if (!domain.includes(':')) firstParty.add({ type: 'suffix', suffix: `.${domain}` });
    } else {
      errors.push('serviceDomain: expected a host name such as "example.com"');
    }
  }
  compileHostList(opts.firstPartyHosts, 'firstPartyHosts', firstParty, errors);
  const ignored = new HostSet();
  compileHostList(opts.ignoredHosts, 'ignoredHosts', ignored, errors);

  const cacheSize = opts.cacheSize && opts.cacheSize > 0 ? Math.floor(opts.cacheSize) : DEFAULT_CACHE_SIZE;
  const cache = new Map<string, HostPlan>();

  function buildPlan(raw: string): HostPlan {
    const host = normalizeHost(raw);
    if (!host) {
      return { firstParty: false, ignored: false, pathRules: [], fallback: makeDestination('', 'unknown', 'unknown', undefined, true) };
    }
    const fp = firstParty.has(host) || isLoopback(host);
    const pathRules: PathRule[] = [];
    let fallback: Destination | undefined;
    for (const rule of rules.candidates(host)) {
      const dest = makeDestination(host, rule.vendor, rule.kind, rule.catalogKind, !fp);
      if (rule.path) pathRules.push({ re: rule.path, dest });
      else {
        fallback = dest;
        break;
      }
    }
    fallback ??= fp
      ? makeDestination(host, 'internal', 'internal', undefined, false)
      : makeDestination(host, 'unknown', 'unknown', undefined, true);
    return { firstParty: fp, ignored: ignored.has(host), pathRules, fallback };
  }

  function planFor(raw: string): HostPlan {
    const key = typeof raw === 'string' ? raw : '';
    let plan = cache.get(key);
    if (plan) return plan;
    plan = buildPlan(key);
    // FIFO eviction keeps the bound without per-hit bookkeeping; the hot hosts are re-added cheaply.
    if (cache.size >= cacheSize) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, plan);
    return plan;
  }

  return {
    errors: Object.freeze(errors),
    classify(host: string, path?: string): Destination {
      const plan = planFor(host);
      const pathRules = plan.pathRules;
      if (pathRules.length === 0 || typeof path !== 'string' || path.length === 0) return plan.fallback;
      const p = pathOnly(path);
      for (const r of pathRules) if (r.re.test(p)) return r.dest;
      return plan.fallback;
    },
    isFirstParty(host: string): boolean {
      return planFor(host).firstParty;
    },
    isIgnored(host: string): boolean {
      return planFor(host).ignored;
    },
  };
}
