// The decision side, without OpenTelemetry: a request's capture in, tagged or matched personal data
// out. `collect` tags what arrived and indexes it in the registry; `share` looks for it in what
// leaves. The span processor turns the results into attributes; tests drive this with plain data.
import type { SstConfig } from './config';
import type {
  Category, Destination, EgressCapture, IngressCapture, Leaf, Registry, ShareMatch, TaggedValue,
} from './types';
import { SUBJECT_ORDER } from './types';
import type { DbCapture } from './types';
import { dbFlow, type DbResult } from './sql/flows';
import type { Detector } from './detect';
import { matchEgress, matchLeaves, type MatchOptions } from './match';
import type { Catalog } from './catalog/catalog';
import { destinationOf, llmShapeOf } from './catalog/response-policy';
import { analyzeLlm } from './llm';
import { egressLeaves } from './match/egress';
import type { Attributes } from '@opentelemetry/api';
import type { MatchResult } from './types';

/** Categories every request carries; reported only next to other personal data. */
const CONTEXT_CATEGORIES: ReadonlySet<string> = new Set(['ip', 'user_agent']);

export interface Tag {
  fp: string;
  category: Category;
  field: string;
  subject?: string;
}

export interface CollectResult {
  tags: Tag[];
  truncated: boolean;
  errors: string[];
}

export interface ShareResult {
  destination: Destination;
  matches: ShareMatch[];
  truncated: boolean;
  errors: string[];
  /** An LLM call: the shape's operation and the gen_ai.* attributes (set whether or not anything
   *  personal was found; they are not `sst.*`). */
  llm?: { operation: string; attributes?: Attributes };
}

export interface EngineDeps {
  cfg: SstConfig;
  detector: Detector;
  registry: Registry;
  catalog: Catalog;
}

export class Engine {
  readonly cfg: SstConfig;
  readonly registry: Registry;
  readonly catalog: Catalog;
  private readonly detector: Detector;
  readonly matchOptions: MatchOptions;

  constructor(deps: EngineDeps) {
    this.cfg = deps.cfg;
    this.detector = deps.detector;
    this.registry = deps.registry;
    this.catalog = deps.catalog;
    this.matchOptions = { defaultPhoneRegion: deps.cfg.defaultPhoneRegion, shareUserAgent: deps.cfg.shareUserAgent };
  }

  /** Tag the personal data of an incoming request and index it so later egress can be matched. */
  collect(capture: IngressCapture): CollectResult {
    return this.collectIngress(capture, true);
  }

  /** The ids collect() would give the request's values, without indexing anything: the app's
   *  thread answers first-party baggage with it while the analysis thread indexes (thread/host.ts). */
  identify(capture: IngressCapture): CollectResult {
    return this.collectIngress(capture, false);
  }

  private collectIngress(capture: IngressCapture, index: boolean): CollectResult {
    const det = this.detector.detectIngress(capture);
    let tags = this.tag(det.values, index);
    // Every request has a client address and most a user agent: alone they make a health check a
    // "collect". They are indexed (an IP sent to a vendor is still found) but only reported next
    // to other personal data.
    if (tags.every((t) => CONTEXT_CATEGORIES.has(t.category))) tags = [];
    return { tags, truncated: det.truncated, errors: det.errors };
  }

  /** Tag already-decoded leaves (DB rows, message payloads) the same way. */
  collectLeaves(leaves: readonly Leaf[]): CollectResult {
    return { tags: this.tag(this.detector.detectLeaves(leaves), true), truncated: false, errors: [] };
  }

  /** Detection only, nothing registered (the DB flows register with their own subject rules). */
  detectLeaves(leaves: readonly Leaf[]): TaggedValue[] {
    return this.detector.detectLeaves(leaves);
  }

  /** All values of one request belong to one subject: the one named by its strongest identifier. */
  private tag(values: readonly TaggedValue[], index: boolean): Tag[] {
    if (values.length === 0) return [];
    let subject: string | undefined;
    for (const cat of SUBJECT_ORDER) {
      const v = values.find((t) => t.category === cat);
      if (!v) continue;
      // Registering it (instead of only fingerprinting) is the same work the loop below would do;
      // the second register of the same value is a cheap refresh that sets the subject.
      const f = index
        ? this.registry.register({ category: v.category, value: v.value, region: v.region })
        : this.registry.fingerprint(v.category, v.value, v.region);
      if (f) { subject = f.fp; break; }
    }
    if (subject === undefined) {
      // No email, phone or user id: the fullest name stands for the person, so the income and
      // birthdate next to it still count as theirs when they leave together (an LLM prompt).
      let best: TaggedValue | undefined;
      for (const v of values) if (v.category === 'name' && (!best || v.value.trim().length > best.value.trim().length)) best = v;
      if (best) subject = this.registry.fingerprint('name', best.value)?.fp;
    }
    const tags: Tag[] = [];
    for (const v of values) {
      // A user agent is reported at collect, but only indexed for matching when its shares are wanted.
      const r = !index || (v.category === 'user_agent' && !this.cfg.shareUserAgent)
        ? this.registry.fingerprint(v.category, v.value, v.region)
        : this.registry.register({ category: v.category, value: v.value, subject, region: v.region });
      if (r) tags.push({ fp: r.fp, category: v.category, field: v.field, subject });
    }
    return tags;
  }

  /** Find tagged data (in any disguise) in an outgoing call. */
  share(capture: EgressCapture): ShareResult | null {
    const path = pathOf(capture.url);
    let destination = destinationOf(this.catalog, capture, path);
    if (!destination) return null;
    let llm: ShareResult['llm'];
    let llmLeaves: Leaf[] | undefined;
    let llmTruncated = false;
    const llmErrors: string[] = [];
    const shape = llmShapeOf(destination, capture, path);
    if (shape) {
      // Catalog destinations are shared and frozen: copy before refining.
      if (destination.kind === 'unknown') destination = { ...destination, kind: 'llm' };
      const a = analyzeLlm(capture, destination.vendor, shape, path, this.matchOptions.decode);
      llm = { operation: shape.operation, attributes: a.attributes };
      llmLeaves = a.leaves;
      llmTruncated = a.truncated;
      llmErrors.push(...a.errors);
    }
    const res = llmLeaves === undefined ? matchEgress(capture, this.registry, this.matchOptions) : this.matchLlm(capture, llmLeaves);
    return {
      destination, matches: res.matches, llm,
      truncated: res.truncated || capture.body.truncated || llmTruncated, errors: [...res.errors, ...llmErrors],
    };
  }

  /** An LLM call: URL and headers decoded as for any call, the body replaced by its `llm.*` leaves. */
  private matchLlm(capture: EgressCapture, llmLeaves: Leaf[]): MatchResult {
    // Nothing registered yet: nothing can match (gen_ai.* are still set by the caller).
    if (this.registry.isEmpty?.() === true) return { matches: [], truncated: false, errors: [] };
    const rest = egressLeaves({ ...capture, body: { chunks: [], bytes: 0, truncated: false, complete: true } }, this.matchOptions);
    for (const l of llmLeaves) rest.leaves.push(l);
    const res = matchLeaves(rest.leaves, this.registry, this.matchOptions);
    return { matches: res.matches, truncated: rest.truncated || res.truncated, errors: [...rest.errors, ...res.errors] };
  }

  /** Matching on leaves from another source (DB parameters, for `store`). */
  matchLeaves(leaves: Leaf[]): ShareMatch[] {
    return matchLeaves(leaves, this.registry, this.matchOptions).matches;
  }

  /** A DB call: `store` for writes, `load` for returned rows (sql/flows.ts); null when nothing
   *  personal is in it. */
  db(capture: DbCapture): DbResult | null {
    return dbFlow(capture, this);
  }
}

function pathOf(url: string): string {
  try { return new URL(url).pathname; } catch { return '/'; }
}
