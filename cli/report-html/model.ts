// What the HTML report shows, gathered from the store in a fixed number of aggregated, bounded
// queries. The page is rendered from this model alone, so it can be built and tested without a
// store (and `--json` stays the terminal report's JSON).
import type { Store } from '../../clickhouse/client';
import { report, type ReportTotals } from '../../clickhouse/queries';
import {
  DEFAULT_HTML_LIMITS, errorRows, fieldRows, flowEdges, htmlTotals, shareRows, subjectTimeline, topSubjects,
  type Bounded, type ErrorRow, type FieldRow, type FlowEdge, type HtmlLimits, type HtmlTotals, type ShareRow, type TimelineStep,
} from '../../clickhouse/report-queries';

export interface SubjectTimeline {
  fingerprint: string;
  /** Picked automatically (most destinations) or asked for with --subject. */
  picked: 'auto' | 'requested';
  destinations: number;
  steps: Bounded<TimelineStep>;
}

export interface HtmlReportModel {
  generatedAt: string;
  /** `db.table at location` (a path, or a server URL without credentials). */
  store: string;
  totals: ReportTotals;
  summary: HtmlTotals;
  edges: Bounded<FlowEdge>;
  shares: Bounded<ShareRow>;
  fields: Bounded<FieldRow>;
  subjects: SubjectTimeline[];
  errors: Bounded<ErrorRow>;
}

export interface ModelOptions {
  /** Fingerprint ids to show timelines for; when empty, the `autoSubjects` most spread ones. */
  subjects?: string[];
  autoSubjects?: number;
  limits?: Partial<HtmlLimits>;
  now?: Date;
  /** Totals already computed for the terminal report (saves a scan). */
  totals?: ReportTotals;
}

export const DEFAULT_AUTO_SUBJECTS = 3;
/** Timelines shown at most (each is one small query). */
export const MAX_SUBJECTS = 20;

export async function loadReportModel(store: Store, opts: ModelOptions = {}): Promise<HtmlReportModel> {
  const limits: HtmlLimits = { ...DEFAULT_HTML_LIMITS, ...opts.limits };
  // chDB runs one query at a time per process, so these go one after the other.
  const totals = opts.totals ?? (await report(store)).totals;
  const summary = await htmlTotals(store);
  const edges = await flowEdges(store, limits.edges);
  const shares = await shareRows(store, limits);
  const fields = await fieldRows(store, limits);
  const errors = await errorRows(store, limits);
  const requested = [...new Set(opts.subjects ?? [])].slice(0, MAX_SUBJECTS);
  const picks = requested.length
    ? requested.map((fingerprint) => ({ fingerprint, destinations: -1, picked: 'requested' as const }))
    : (await topSubjects(store, Math.min(MAX_SUBJECTS, opts.autoSubjects ?? DEFAULT_AUTO_SUBJECTS)))
      .map((p) => ({ fingerprint: p.fingerprint, destinations: p.destinations, picked: 'auto' as const }));
  const subjects: SubjectTimeline[] = [];
  for (const p of picks) {
    const steps = await subjectTimeline(store, p.fingerprint, limits);
    const dests = new Set(steps.rows.filter((s) => s.flow === 'share').map((s) => (s.vendor === '' || s.vendor === 'unknown' ? `host:${s.target}` : s.vendor))).size;
    subjects.push({ fingerprint: p.fingerprint, picked: p.picked, destinations: p.destinations >= 0 ? p.destinations : dests, steps });
  }
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    store: `${store.database}.${store.table} at ${store.location}`,
    totals, summary, edges, shares, fields, subjects, errors,
  };
}
