// The decision side, without OpenTelemetry: a request's capture in, tagged or matched personal data
// out. `collect` tags what arrived and indexes it in the registry; `share` looks for it in what
// leaves. The span processor turns the results into attributes; tests drive this with plain data.
import type { SstConfig } from './config';
import type {
  Category, Destination, EgressCapture, IngressCapture, Leaf, Registry, ShareMatch, TaggedValue,
} from './types';
import { SUBJECT_ORDER } from './types';
import type { Detector } from './detect';
import { matchEgress, matchLeaves, type MatchOptions } from './match';
import type { Catalog } from './catalog/catalog';
import { looksLikeLlmRequest } from './catalog/catalog';
import { bodyBytes } from '../instrumentation/capture';

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
  llm?: { operation: string };
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
    const det = this.detector.detectIngress(capture);
    let tags = this.tag(det.values);
    // Every request has a client address and most a user agent: alone they make a health check a
    // "collect". They are indexed (an IP sent to a vendor is still found) but only reported next
    // to other personal data.
    if (tags.every((t) => CONTEXT_CATEGORIES.has(t.category))) tags = [];
    return { tags, truncated: det.truncated, errors: det.errors };
  }

  /** Tag already-decoded leaves (DB rows, message payloads) the same way. */
  collectLeaves(leaves: readonly Leaf[]): CollectResult {
    return { tags: this.tag(this.detector.detectLeaves(leaves)), truncated: false, errors: [] };
  }

  /** All values of one request belong to one subject: the one named by its strongest identifier. */
  private tag(values: readonly TaggedValue[]): Tag[] {
    if (values.length === 0) return [];
    let subject: string | undefined;
    for (const cat of SUBJECT_ORDER) {
      const v = values.find((t) => t.category === cat);
      if (!v) continue;
      // Registering it (instead of only fingerprinting) is the same work the loop below would do;
      // the second register of the same value is a cheap refresh that sets the subject.
      const f = this.registry.register({ category: v.category, value: v.value, region: v.region });
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
      const r = v.category === 'user_agent' && !this.cfg.shareUserAgent
        ? this.registry.fingerprint(v.category, v.value)
        : this.registry.register({ category: v.category, value: v.value, subject, region: v.region });
      if (r) tags.push({ fp: r.fp, category: v.category, field: v.field, subject });
    }
    return tags;
  }

  /** Classify the destination of an outgoing call; null when the host is ignored by config. */
  destination(capture: EgressCapture, path = pathOf(capture.url)): Destination | null {
    if (this.catalog.isIgnored(capture.host)) return null;
    return this.catalog.classify(capture.host, path);
  }

  /** Find tagged data (in any disguise) in an outgoing call. */
  share(capture: EgressCapture): ShareResult | null {
    const path = pathOf(capture.url);
    let destination = this.destination(capture, path);
    if (!destination) return null;
    const res = matchEgress(capture, this.registry, this.matchOptions);
    let llm: ShareResult['llm'];
    if (destination.kind === 'llm' || destination.vendor === 'unknown') {
      const shape = looksLikeLlmRequest(path, capture.body.bytes ? bodyBytes(capture.body) : undefined);
      if (shape) {
        llm = { operation: shape.operation };
        // Catalog destinations are shared and frozen: copy before refining.
        if (destination.kind === 'unknown') destination = { ...destination, kind: 'llm' };
      }
    }
    return {
      destination, matches: res.matches, llm,
      truncated: res.truncated || capture.body.truncated, errors: res.errors,
    };
  }

  /** Matching on leaves from another source (DB parameters, for `store`). */
  matchLeaves(leaves: Leaf[]): ShareMatch[] {
    return matchLeaves(leaves, this.registry, this.matchOptions).matches;
  }
}

function pathOf(url: string): string {
  try { return new URL(url).pathname; } catch { return '/'; }
}
