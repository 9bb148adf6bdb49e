// The `sst` subcommands: each opens the store it needs, asks one question, prints a table for
// humans or JSON for scripts, and returns the exit code.
import { existsSync, readFileSync } from 'node:fs';
import { FINGERPRINT_CHARS } from '../span-processor/fingerprint';
import type { Row, Store } from '../clickhouse/client';
import type { IngestStats } from '../clickhouse/loader';
import { lineage, lineageSpans, report, shares, type LineageSpan, type LineageStep, type ReportData } from '../clickhouse/queries';
import { openForReading, openReady, runIngest, spoolDir, type Context } from './context';
import { parseSince } from './duration';
import { EXIT_GATE, EXIT_OK, UsageError } from './errors';
import { MAX_SUBJECTS, DEFAULT_AUTO_SUBJECTS } from './report-html/model';
import { writeHtmlReport } from './report-html';
import { candidates, lookupKey, phoneRegion, type Candidate } from './subject';
import { formatTable, list } from './table';

const FINGERPRINT = new RegExp(`^[A-Za-z0-9_-]{${FINGERPRINT_CHARS}}$`);
/** `sst sql` runs reads only: these statements, and readonly=1 underneath. */
const READ_STATEMENT = /^\s*(?:\(\s*)*(select|with|show|describe|desc|explain|exists)\b/i;
const SQL_COMMENTS = /^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*/;
const MAX_VALUE_CHARS = 4096;
/** chDB runs `INTO OUTFILE` on the client side, where `readonly = 1` does not reach: refused here. */
const INTO_OUTFILE = /\binto\s+outfile\b/i;

export const GATES = ['third-party-share', 'share', 'detection-error'] as const;
export type Gate = typeof GATES[number];

async function withStore<T>(store: Store, fn: (s: Store) => Promise<T>): Promise<T> {
  try { return await fn(store); } finally { await store.close().catch(() => undefined); }
}

function json(ctx: Context, data: unknown): void {
  ctx.io.out(JSON.stringify(data, null, 2) + '\n');
}

const when = (iso: string): string => iso.replace('T', ' ');

// ------------------------------------------------------------------------------------------------
// ingest

export interface IngestCmd { paths: string[]; json?: boolean }

function ingestSummary(s: IngestStats): string {
  const parts = [`loaded ${s.spans} spans from ${s.filesRead} of ${s.files} files (${s.lines} lines, ${(s.bytes / 1e6).toFixed(1)} MB) in ${(s.ms / 1000).toFixed(1)} s`];
  parts.push(`${s.duplicates} duplicate spans skipped`);
  parts.push(`${s.corrupt} corrupt lines skipped`);
  if (s.pending) parts.push(`${s.pending} unfinished lines left for the next load`);
  return parts.join(' · ');
}

export async function cmdIngest(ctx: Context, o: IngestCmd): Promise<number> {
  const paths = o.paths.length ? o.paths : [spoolDir(ctx)];
  if (!o.paths.length && !existsSync(paths[0])) {
    if (o.json) json(ctx, { files: 0, spans: 0, note: `no spool at ${paths[0]}` });
    else ctx.io.out(`nothing to load: no spool at ${paths[0]}\n`);
    return EXIT_OK;
  }
  const missing = o.paths.filter((p) => !existsSync(p));
  if (missing.length) throw new UsageError(`no such file or directory: ${missing[0]}`);
  const store = await openReady(ctx, true);
  const stats = await withStore(store, (s) => runIngest(ctx, s, paths));
  for (const m of stats.messages) ctx.io.err(`sst: ${m}\n`);
  const reported = stats.messages.filter((m) => m.endsWith('line skipped')).length;
  if (stats.corrupt > reported) ctx.io.err(`sst: … and ${stats.corrupt - reported} more corrupt lines\n`);
  if (o.json) json(ctx, stats);
  else ctx.io.out(ingestSummary(stats) + '\n');
  return EXIT_OK;
}

// ------------------------------------------------------------------------------------------------
// report

export interface ReportCmd {
  json?: boolean; failOn?: Gate; html?: string; ingest: boolean;
  /** HTML report: timelines for these fingerprint ids (repeatable --subject). */
  subject?: string[];
  /** HTML report: how many subjects to pick when none is given (--subjects N). */
  subjects?: string;
}

function gateTripped(gate: Gate | undefined, r: ReportData): { tripped: boolean; count: number } {
  if (!gate) return { tripped: false, count: 0 };
  const count = gate === 'third-party-share' ? r.totals.thirdPartyShares : gate === 'share' ? r.totals.share : r.totals.detectionErrors;
  return { tripped: count > 0, count };
}

/** Terminal width the text report is laid out for. */
const REPORT_WIDTH = 100;

function reportText(r: ReportData, where: string): string {
  const t = r.totals;
  const out: string[] = [];
  out.push(`SST report · ${where}`);
  out.push(`spans ${t.spans} · with personal data ${t.sstSpans} · detection errors ${t.detectionErrors}`);
  out.push(`collect ${t.collect} · store ${t.store} · load ${t.load} · share ${t.share} (third party ${t.thirdPartyShares})`);
  if (t.firstSeen) out.push(`services ${list(t.services)} · ${when(t.firstSeen)} … ${when(t.lastSeen ?? t.firstSeen)}`);
  out.push('');
  // Fits a 100-column terminal: the list columns wrap; per-destination services and times are in
  // --json (and `sst shares`), the services column only shows when there are several.
  out.push('Collected, stored and shared, by category (spans; values = distinct fingerprints)');
  out.push(r.categories.length
    ? formatTable(
      ['CATEGORY', 'COLLECT', 'STORE', 'LOAD', 'SHARE', '3P SHARE', 'VALUES IN', 'VALUES OUT', 'VENDORS'],
      r.categories.map((c) => [c.category, c.collectSpans, c.storeSpans, c.loadSpans, c.shareSpans, c.thirdPartyShares, c.valuesCollected, c.valuesShared, list(c.vendors)]),
      { fitWidth: REPORT_WIDTH },
    )
    : '(no personal data seen)');
  out.push('');
  out.push('Shared, by destination');
  const several = t.services.length > 1;
  out.push(r.destinations.length
    ? formatTable(
      ['VENDOR', 'KIND', 'HOST', '3P', 'SHARES', 'SUBJECTS', 'VALUES', ...(several ? ['SERVICES'] : []), 'CATEGORIES'],
      r.destinations.map((d) => [d.vendor, d.kind, d.host, d.thirdParty ? 'yes' : 'no', d.shares, d.subjects, d.values, ...(several ? [list(d.services)] : []), list(d.categories)]),
      { fitWidth: REPORT_WIDTH, maxCellWidth: 32 },
    )
    : '(nothing shared)');
  return out.join('\n') + '\n';
}

function parseCount(text: string, flag: string, max: number): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > max) throw new UsageError(`invalid ${flag} "${text.slice(0, 20)}" (a number from 0 to ${max})`);
  return Number(text);
}

/** A file the report cannot be written to is the user's to fix: one line, usage exit code. */
async function writeHtml(store: Store, file: string, opts: Parameters<typeof writeHtmlReport>[2]): Promise<{ path: string; bytes: number }> {
  try {
    return await writeHtmlReport(store, file, opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new UsageError(`cannot write the HTML report to ${file}: ${code}`);
    throw e;
  }
}

export async function cmdReport(ctx: Context, o: ReportCmd): Promise<number> {
  const subjects = o.subject ?? [];
  for (const fp of subjects) {
    if (!FINGERPRINT.test(fp)) throw new UsageError(`invalid --subject "${fp.slice(0, 30)}" (expected a fingerprint id: ${FINGERPRINT_CHARS} characters of A-Z a-z 0-9 _ -)`);
  }
  if (subjects.length > MAX_SUBJECTS) throw new UsageError(`at most ${MAX_SUBJECTS} --subject ids`);
  const autoSubjects = o.subjects === undefined ? DEFAULT_AUTO_SUBJECTS : parseCount(o.subjects, '--subjects', MAX_SUBJECTS);
  if (!o.html && (subjects.length || o.subjects !== undefined)) throw new UsageError('--subject and --subjects go with --html FILE');
  const store = await openForReading(ctx, o.ingest);
  const { data, where, written } = await withStore(store, async (s) => {
    const data = await report(s);
    const written = o.html ? await writeHtml(s, o.html, { subjects, autoSubjects, totals: data.totals }) : undefined;
    return { data, where: `${s.database}.${s.table} at ${s.location}`, written };
  });
  if (written) ctx.io.err(`sst: wrote the HTML report to ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB)\n`);
  const gate = gateTripped(o.failOn, data);
  if (o.json) json(ctx, { ...data, gate: o.failOn ? { failOn: o.failOn, count: gate.count, tripped: gate.tripped } : null });
  else ctx.io.out(reportText(data, where));
  if (gate.tripped) {
    ctx.io.err(`sst: gate failed: ${gate.count} ${o.failOn === 'detection-error' ? 'spans with detection errors' : o.failOn === 'share' ? 'shares' : 'third-party shares'} (--fail-on ${o.failOn})\n`);
    return EXIT_GATE;
  }
  return EXIT_OK;
}

// ------------------------------------------------------------------------------------------------
// shares

export interface SharesCmd { vendor?: string; category?: string; since?: string; limit?: string; json?: boolean; ingest: boolean }

function parseLimit(text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1) throw new UsageError(`invalid --limit "${text.slice(0, 20)}" (a positive number)`);
  return Number(text);
}

export async function cmdShares(ctx: Context, o: SharesCmd): Promise<number> {
  const sinceMs = o.since !== undefined ? parseSince(o.since) : undefined;
  const limit = parseLimit(o.limit, 100);
  const store = await openForReading(ctx, o.ingest);
  const rows = await withStore(store, (s) => shares(s, { vendor: o.vendor, category: o.category, sinceMs, limit }));
  if (o.json) { json(ctx, rows); return EXIT_OK; }
  if (!rows.length) { ctx.io.out('(no shares match)\n'); return EXIT_OK; }
  ctx.io.out(formatTable(
    ['TIME', 'SERVICE', 'VENDOR', 'KIND', 'HOST', '3P', 'CATEGORIES'],
    rows.map((r) => [when(r.time), r.service, r.vendor, r.kind, r.host, r.thirdParty ? 'yes' : 'no', list(r.categories)]),
    {
      maxCellWidth: 40, fitWidth: REPORT_WIDTH,
      detail: (k) => `as ${list(rows[k].transforms)} · in ${list(rows[k].fields)} · trace ${rows[k].traceId}`,
    },
  ) + '\n');
  if (rows.length === limit) ctx.io.err(`sst: showing the newest ${limit}; use --limit for more\n`);
  return EXIT_OK;
}

// ------------------------------------------------------------------------------------------------
// lineage and fingerprint

export interface LineageCmd { value?: string; fingerprint?: string; category?: string; region?: string; spans?: boolean; json?: boolean; ingest: boolean }

/** `-` reads the value from stdin, so it stays out of the shell history and the process list. */
function readValue(v: string): string {
  const value = v === '-' ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : v;
  if (!value) throw new UsageError('empty value');
  if (value.length > MAX_VALUE_CHARS) throw new UsageError(`value longer than ${MAX_VALUE_CHARS} characters`);
  return value;
}

const FLOW_WORD: Record<string, string> = { collect: 'collected', store: 'stored', load: 'loaded', share: 'shared' };

function lineageText(fp: string, category: string | undefined, steps: LineageStep[], spans: LineageSpan[] | undefined): string {
  const out: string[] = [];
  out.push(`Lineage of ${fp}${category ? ` (${category})` : ''}: ${steps.length ? steps.map((s) => s.flow).filter((f, i, a) => a.indexOf(f) === i).join(' → ') : 'nothing recorded'}`);
  if (steps.length) {
    out.push(formatTable(
      ['FIRST SEEN', 'FLOW', 'SERVICE', 'WHERE', 'VENDOR', '3P', 'SPANS', 'CATEGORIES'],
      steps.map((s) => [when(s.firstSeen), FLOW_WORD[s.flow] ?? s.flow, s.service, s.target, s.vendor || '-', s.flow === 'share' ? (s.thirdParty ? 'yes' : 'no') : '-', s.spans, list(s.categories)]),
      {
        fitWidth: REPORT_WIDTH, maxCellWidth: 36,
        detail: (k) => `in ${list(steps[k].fields)}${steps[k].transforms.length ? ` · as ${list(steps[k].transforms)}` : ''} · ${steps[k].traces} trace${steps[k].traces === 1 ? '' : 's'} · last seen ${when(steps[k].lastSeen)}`,
      },
    ));
  }
  if (spans?.length) {
    out.push('');
    out.push(formatTable(
      ['TIME', 'FLOW', 'SERVICE', 'WHERE'],
      spans.map((s) => [when(s.time), s.flow, s.service, s.target]),
      { fitWidth: REPORT_WIDTH, maxCellWidth: 36, detail: (k) => `span ${spans[k].traceId}/${spans[k].spanId} · in ${list(spans[k].fields)}${spans[k].transforms.length ? ` · as ${list(spans[k].transforms)}` : ''}` },
    ));
  }
  return out.join('\n') + '\n';
}

export async function cmdLineage(ctx: Context, o: LineageCmd): Promise<number> {
  if ((o.value === undefined) === (o.fingerprint === undefined)) throw new UsageError('give exactly one of --value V or --fingerprint ID');
  let tried: Candidate[];
  if (o.fingerprint !== undefined) {
    if (!FINGERPRINT.test(o.fingerprint)) throw new UsageError(`invalid fingerprint id (expected ${FINGERPRINT_CHARS} characters of A-Z a-z 0-9 _ -)`);
    tried = [{ category: o.category ?? '', fingerprint: o.fingerprint }];
  } else {
    const value = readValue(o.value!);
    tried = candidates(value, o.category, phoneRegion(o.region, ctx.env), lookupKey(ctx.env, ctx.cwd));
    if (!tried.length) throw new UsageError('the value is not valid in any category');
  }
  const store = await openForReading(ctx, o.ingest);
  const { steps, spans, chosen } = await withStore(store, async (s) => {
    const all = await lineage(s, tried.map((c) => c.fingerprint));
    // The first candidate (email, phone, … order) with data is the value's reading.
    const chosen = tried.find((c) => all.some((st) => st.fingerprint === c.fingerprint)) ?? tried[0];
    const steps = all.filter((st) => st.fingerprint === chosen.fingerprint);
    const spans = o.spans ? await lineageSpans(s, [chosen.fingerprint]) : undefined;
    return { steps, spans, chosen };
  });
  if (o.json) {
    json(ctx, {
      fingerprint: chosen.fingerprint, category: chosen.category || null,
      tried: o.value !== undefined ? tried.map((c) => c.category) : undefined,
      steps, ...(spans ? { spans } : {}),
    });
  } else {
    ctx.io.out(lineageText(chosen.fingerprint, chosen.category || undefined, steps, spans));
    if (!steps.length && o.value !== undefined && !o.category) ctx.io.err(`sst: tried ${tried.map((c) => c.category).join(', ')}\n`);
  }
  return EXIT_OK;
}

export interface FingerprintCmd { value: string; category?: string; region?: string; json?: boolean }

export async function cmdFingerprint(ctx: Context, o: FingerprintCmd): Promise<number> {
  const value = readValue(o.value);
  const list_ = candidates(value, o.category, phoneRegion(o.region, ctx.env), lookupKey(ctx.env, ctx.cwd));
  if (!list_.length) throw new UsageError('the value is not valid in any category');
  if (o.json) json(ctx, list_);
  else if (o.category) ctx.io.out(list_[0].fingerprint + '\n');
  else ctx.io.out(formatTable(['CATEGORY', 'FINGERPRINT'], list_.map((c) => [c.category, c.fingerprint])) + '\n');
  return EXIT_OK;
}

// ------------------------------------------------------------------------------------------------
// sql

export interface SqlCmd { sql: string; json?: boolean }

function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The query with every comment replaced by a space (an indexOf scan: linear on any input). */
function withoutComments(sql: string): string {
  let out = '';
  let at = 0;
  while (at < sql.length) {
    const block = sql.indexOf('/*', at);
    const line = sql.indexOf('--', at);
    const next = block < 0 ? line : line < 0 ? block : Math.min(block, line);
    if (next < 0) break;
    out += sql.slice(at, next) + ' ';
    const end = next === block ? sql.indexOf('*/', next + 2) : sql.indexOf('\n', next + 2);
    at = end < 0 ? sql.length : end + (next === block ? 2 : 1);
  }
  return out + sql.slice(at);
}

export async function cmdSql(ctx: Context, o: SqlCmd): Promise<number> {
  const body = o.sql.replace(SQL_COMMENTS, '');
  if (!READ_STATEMENT.test(body)) throw new UsageError('sst sql runs read-only queries (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS)');
  if (INTO_OUTFILE.test(withoutComments(o.sql))) throw new UsageError('sst sql does not write files (INTO OUTFILE); redirect its output instead (--json > file)');
  const store = await openReady(ctx, false);
  const rows = await withStore(store, async (s) => {
    await s.enterReadonly();
    return s.query<Row>(o.sql);
  });
  if (o.json) { json(ctx, rows); return EXIT_OK; }
  if (!rows.length) { ctx.io.out('(0 rows)\n'); return EXIT_OK; }
  const headers = Object.keys(rows[0]);
  ctx.io.out(formatTable(headers, rows.map((r) => headers.map((h) => {
    const v = r[h];
    return typeof v === 'number' ? v : cellText(v);
  })), { maxCellWidth: 80 }) + '\n');
  return EXIT_OK;
}
