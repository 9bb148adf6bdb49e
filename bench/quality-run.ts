// Runs the labeled corpus through the real pipeline (detector → registry → Engine.collect →
// Engine.share, wired as the SDK wires them) and through two baselines, and scores each per
// (case, category) with set semantics. Pure: no printing, no files (bench/quality.ts does those).
import { Engine } from '../span-processor/engine';
import { defaultConfig } from '../span-processor/config';
import { createCatalog } from '../span-processor/catalog/catalog';
import { createDetector, type Detector } from '../span-processor/detect';
import { createRegistry } from '../span-processor/registry/registry';
import type { EgressCapture, IngressCapture, ShareMatch } from '../span-processor/types';
import type { CorpusCase } from '../test/corpus/case-format';
import { exactStringBaseline, regexScannerBaseline } from './quality-baselines';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export interface Miss {
  id: string;
  category: string;
  vendor: string;
  transform?: string;
  reason: string;
}

export interface SystemResult {
  overall: Scores;
  perCategory: Record<string, Scores>;
  perVendorKind: Record<string, Scores>;
  /** Label transforms: only TP and FN carry one (a false share has no label). */
  perTransform: Record<string, Scores>;
  falseNegatives: Miss[];
  falsePositives: Miss[];
}

export interface QualityResult {
  corpus: { cases: number; negatives: number; positives: number; byVendorKind: Record<string, number>; bySource: Record<string, number>; labeledShares: number };
  engine: SystemResult;
  baselines: { exactString: SystemResult; regexScanner: SystemResult };
  errors: Array<{ id: string; error: string }>;
}

/** What each system reported for one case: category → evidence text for FP listings. */
export type Prediction = Map<string, string>;

const BENCH_KEY = Buffer.from('sst-quality-bench-key-0123456789', 'utf8');

function bodyCapture(b64: string): IngressCapture['body'] {
  const buf = Buffer.from(b64, 'base64');
  return { chunks: buf.length ? [buf] : [], bytes: buf.length, truncated: false, complete: true };
}

export function ingressCapture(c: CorpusCase): IngressCapture {
  const cap: IngressCapture = { kind: 'ingress', method: c.ingress.method, target: c.ingress.target, headers: { ...c.ingress.headers }, body: bodyCapture(c.ingress.body) };
  if (c.ingress.clientIp) cap.clientIp = c.ingress.clientIp;
  return cap;
}

export function egressCapture(c: CorpusCase): EgressCapture {
  let host = '';
  try { host = new URL(c.egress.url).hostname.toLowerCase(); } catch { /* unparseable URL: host stays '' */ }
  return { kind: 'egress', method: c.egress.method, url: c.egress.url, host, headers: { ...c.egress.headers }, body: bodyCapture(c.egress.body) };
}

function score(c: Counts): Scores {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

class Tally {
  private readonly overall: Counts = { tp: 0, fp: 0, fn: 0 };
  private readonly groups = { category: new Map<string, Counts>(), kind: new Map<string, Counts>(), transform: new Map<string, Counts>() };
  readonly fns: Miss[] = [];
  readonly fps: Miss[] = [];

  private bump(map: Map<string, Counts>, key: string, what: keyof Counts): void {
    let c = map.get(key);
    if (!c) map.set(key, (c = { tp: 0, fp: 0, fn: 0 }));
    c[what]++;
  }

  count(what: keyof Counts, category: string, kind: string, transform: string | undefined): void {
    this.overall[what]++;
    this.bump(this.groups.category, category, what);
    this.bump(this.groups.kind, kind, what);
    if (transform !== undefined) this.bump(this.groups.transform, transform, what);
  }

  result(): SystemResult {
    const table = (m: Map<string, Counts>): Record<string, Scores> => Object.fromEntries([...m].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => [k, score(v)]));
    return {
      overall: score(this.overall), perCategory: table(this.groups.category), perVendorKind: table(this.groups.kind),
      perTransform: table(this.groups.transform), falseNegatives: this.fns, falsePositives: this.fps,
    };
  }
}

type Explain = (c: CorpusCase, category: string) => string;

function scoreCase(t: Tally, c: CorpusCase, predicted: Prediction, explainMiss: Explain): void {
  const expected = new Map(c.expectedShares.map((s) => [s.category, s]));
  for (const [cat, s] of expected) {
    if (predicted.has(cat)) t.count('tp', cat, c.vendorKind, s.transform);
    else {
      t.count('fn', cat, c.vendorKind, s.transform);
      t.fns.push({ id: c.id, category: cat, vendor: c.vendor, transform: s.transform, reason: explainMiss(c, cat) });
    }
  }
  for (const [cat, evidence] of predicted) {
    if (expected.has(cat)) continue;
    t.count('fp', cat, c.vendorKind, undefined);
    const label = c.expectedNonShares.find((x) => x.category === cat);
    t.fps.push({ id: c.id, category: cat, vendor: c.vendor, reason: `${evidence}; label: ${label ? label.why : 'not collected / not in the labels'}` });
  }
}

/** Shared pieces built once, as the SDK builds them once per process. */
export interface Pipeline {
  cfg: ReturnType<typeof defaultConfig>;
  detector: Detector;
  catalog: ReturnType<typeof createCatalog>;
}

export function createPipeline(): Pipeline {
  const cfg = defaultConfig();
  return {
    cfg,
    detector: createDetector(cfg),
    catalog: createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations }),
  };
}

export interface EngineOutcome {
  tags: Array<{ category: string; field: string }>;
  detected: Array<{ category: string; field: string }>;
  matches: ShareMatch[];
  errors: string[];
}

/** One case through a fresh registry: collect the ingress, then share the egress. */
export function runEngine(pl: Pipeline, c: CorpusCase): EngineOutcome {
  const registry = createRegistry({ key: BENCH_KEY, defaultPhoneRegion: pl.cfg.defaultPhoneRegion, ttlSeconds: pl.cfg.registry.ttlSeconds, maxBytes: pl.cfg.registry.maxBytes });
  const engine = new Engine({ cfg: pl.cfg, detector: pl.detector, registry, catalog: pl.catalog });
  const ingress = ingressCapture(c);
  const collected = engine.collect(ingress);
  // The detector alone, to tell "never tagged" from "tagged but not fingerprinted" in FN reasons.
  const detected = pl.detector.detectIngress(ingress).values.map((v) => ({ category: v.category, field: v.field }));
  const shared = engine.share(egressCapture(c));
  return {
    tags: collected.tags.map((t) => ({ category: t.category, field: t.field })),
    detected,
    matches: shared?.matches ?? [],
    errors: [...collected.errors, ...(shared?.errors ?? [])],
  };
}

function engineMissReason(o: EngineOutcome, c: CorpusCase, cat: string): string {
  const hint = c.expectedShares.find((s) => s.category === cat);
  const where = hint?.fieldHint ? ` at ${hint.fieldHint}` : '';
  if (!o.detected.some((d) => d.category === cat)) return `not tagged at collect (detector found no ${cat} in the ingress)`;
  const tagged = o.tags.filter((t) => t.category === cat);
  if (tagged.length === 0) return `detected at ${o.detected.filter((d) => d.category === cat).map((d) => d.field).join(', ')} but not fingerprinted (registry refused the value)`;
  return `tagged at collect (${tagged.map((t) => t.field).join(', ')}) but not matched in the egress${where} (${hint?.transform ?? '?'})`;
}

export function runCorpus(cases: readonly CorpusCase[]): QualityResult {
  const pl = createPipeline();
  const eng = new Tally();
  const exact = new Tally();
  const regex = new Tally();
  const errors: Array<{ id: string; error: string }> = [];
  const byKind: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  let negatives = 0;
  let labeledShares = 0;

  for (const c of cases) {
    byKind[c.vendorKind] = (byKind[c.vendorKind] ?? 0) + 1;
    const src = c.source.startsWith('sdk:') ? c.source : 'hand';
    bySource[src] = (bySource[src] ?? 0) + 1;
    if (c.expectedShares.length === 0) negatives++;
    labeledShares += c.expectedShares.length;

    let outcome: EngineOutcome;
    try {
      outcome = runEngine(pl, c);
    } catch (e) {
      errors.push({ id: c.id, error: (e as Error).message });
      outcome = { tags: [], detected: [], matches: [], errors: [] };
    }
    for (const e of outcome.errors) errors.push({ id: c.id, error: e });
    const predicted: Prediction = new Map();
    for (const m of outcome.matches) {
      const prev = predicted.get(m.category);
      const ev = `${m.field} via ${m.transform}`;
      predicted.set(m.category, prev ? (prev.length < 160 ? `${prev}, ${ev}` : prev) : `engine matched ${ev}`);
    }
    scoreCase(eng, c, predicted, (cc, cat) => engineMissReason(outcome, cc, cat));

    const detectedValues = pl.detector.detectIngress(ingressCapture(c)).values;
    scoreCase(exact, c, exactStringBaseline(detectedValues, egressCapture(c)), (_, cat) => `raw ${cat} value not present verbatim in the egress bytes`);
    scoreCase(regex, c, regexScannerBaseline(egressCapture(c)), (_, cat) => `no ${cat} pattern in the egress text`);
  }

  return {
    corpus: { cases: cases.length, negatives, positives: cases.length - negatives, byVendorKind: byKind, bySource, labeledShares },
    engine: eng.result(),
    baselines: { exactString: exact.result(), regexScanner: regex.result() },
    errors,
  };
}
