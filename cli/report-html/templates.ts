// The report page: one self-contained HTML document (inline CSS and SVG, no script, no external
// resource; a Content-Security-Policy forbids fetching anything even if a value slipped through).
// Written for a privacy officer: what is collected, where it is stored, who receives it, and one
// subject's path, with counts and fingerprint ids only — never a personal value.
import { cut, html, raw, type HtmlValue, type SafeHtml } from './escape';
import { flowSvg, kindColor } from './flow-svg';
import { formatCount as N, layoutFlows, type LayoutOptions } from './flow-layout';
import type { HtmlReportModel, SubjectTimeline } from './model';
import { CSS } from './style';
import type { Bounded, FieldRow, TimelineStep } from '../../clickhouse/report-queries';

/** No fetch, no script, no frame: only the inline styles and data: images. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
const MAX_HEADER_SERVICES = 20;

export const when = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '—');
/** In table cells, where the column header says UTC. */
const whenShort = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');

function chips(values: readonly string[], cls = ''): SafeHtml {
  return values.length ? html`${values.map((v) => html`<span class="chip ${cls}" title="${v}">${cut(v, 60)}</span>`)}` : html`<span class="more">—</span>`;
}

function partyChip(thirdParty: boolean): SafeHtml {
  return thirdParty ? html`<span class="chip tp">third party</span>` : html`<span class="chip fp">first party</span>`;
}

function moreRow<T>(b: Bounded<T>, cols: number, what: string): SafeHtml | '' {
  const n = b.total - b.rows.length;
  return n > 0 ? html`<tr class="more-row"><td colspan="${cols}" class="more">${N(n)} more ${what} not shown</td></tr>` : '';
}

function card(key: string, value: HtmlValue, detail: HtmlValue, id: string, alert = false): SafeHtml {
  return html`<div class="card${alert ? ' alert' : ''}" data-card="${id}"><div class="v">${value}</div><div class="k">${key}</div>${detail ? html`<div class="d">${detail}</div>` : ''}</div>`;
}

function header(m: HtmlReportModel): SafeHtml {
  const svc = m.totals.services;
  const shown = svc.slice(0, MAX_HEADER_SERVICES).join(', ');
  const services = svc.length ? (svc.length > MAX_HEADER_SERVICES ? `${shown} and ${svc.length - MAX_HEADER_SERVICES} more` : shown) : '(none)';
  return html`<header>
<h1>Personal data report</h1>
<p class="lead">Where personal data enters, is stored and leaves the instrumented services, as recorded by SST spans. Values are identified by keyed fingerprint ids only; no personal value appears in this report.</p>
<dl>
<dt>Services</dt><dd data-meta="services">${services}</dd>
<dt>Time range</dt><dd data-meta="range">${m.totals.firstSeen ? `${when(m.totals.firstSeen)} – ${when(m.totals.lastSeen)}` : 'no personal data recorded'}</dd>
<dt>Store</dt><dd data-meta="store">${m.store}</dd>
<dt>Generated</dt><dd data-meta="generated">${when(m.generatedAt)}</dd>
<dt>Spans</dt><dd>${N(m.totals.spans)} in the store, ${N(m.totals.sstSpans)} with personal data (collect ${N(m.totals.collect)} · store ${N(m.totals.store)} · load ${N(m.totals.load)} · share ${N(m.totals.share)})</dd>
</dl>
</header>`;
}

function cards(m: HtmlReportModel): SafeHtml {
  const s = m.summary;
  const trunc = Object.entries(s.truncatedByFlow).map(([f, n]) => `${f} ${N(n)}`).join(', ');
  return html`<section class="cards" aria-label="Summary">
${card('data subjects', N(s.subjects), 'distinct people (strongest identifier per request)', 'subjects')}
${card('categories collected', s.categoriesCollected.length, s.categoriesCollected.join(', '), 'collected')}
${card('categories stored', s.categoriesStored.length, s.categoriesStored.join(', '), 'stored')}
${card('third parties receiving data', N(s.thirdParties), `${N(s.thirdPartyShareSpans)} third-party share spans`, 'third-parties', s.thirdParties > 0)}
${card('share spans', N(s.shareSpans), 'outgoing calls that carried personal data', 'shares', s.shareSpans > 0)}
${card('detection errors', N(s.detectionErrors), s.truncated ? `${N(s.truncated)} spans truncated (${trunc})` : 'no truncated captures', 'errors', s.detectionErrors > 0)}
</section>`;
}

function flowSection(m: HtmlReportModel, layoutOptions: LayoutOptions): SafeHtml {
  if (!m.edges.rows.length) return html`<section id="flows"><h2>Where personal data goes</h2><p class="note">No personal data was shared or stored.</p></section>`;
  const layout = layoutFlows(m.edges.rows, layoutOptions);
  const kinds = [...new Map(layout.bands.map((b) => [`${b.kind}|${b.thirdParty}`, b])).values()];
  const legend = kinds.map((b) => html`<span><i style="background:${kindColor(b.kind, b.thirdParty)}"></i>${b.kind === 'database' ? 'stored' : b.kind === 'other' ? 'other' : `${b.kind}${b.thirdParty ? '' : ' (first party)'}`}</span>`);
  const dropped = m.edges.total - m.edges.rows.length;
  return html`<section id="flows">
<h2>Where personal data goes</h2>
<p class="note">Left: categories of personal data. Right: who received them (vendor · kind), and the databases they were written to. Band thickness: ${layout.weight === 'subjects' ? 'distinct data subjects' : 'number of spans'}. Hover a band or node for details.${dropped > 0 ? ` The ${N(dropped)} smallest category × destination pairs are not drawn.` : ''}</p>
<div class="legend">${legend}</div>
<div class="flowbox">${flowSvg(layout)}</div>
</section>`;
}

function sharesSection(m: HtmlReportModel): SafeHtml {
  const rows = m.shares.rows.map((r) => html`<tr data-row="share" data-vendor="${r.vendor}" data-host="${r.host}">
<td><b>${r.vendor}</b><div class="sub">${r.kind}</div></td><td class="mono host" title="${r.host}">${cut(r.host, 34)}</td><td>${partyChip(r.thirdParty)}</td>
<td>${chips(r.categories)}</td><td>${chips(r.transforms)}</td><td class="svc">${r.services.join(', ')}</td>
<td class="n" data-col="subjects">${N(r.subjects)}</td><td class="n" data-col="spans">${N(r.spans)}</td><td class="t">${whenShort(r.firstSeen)}<br>${whenShort(r.lastSeen)}</td></tr>`);
  return html`<section id="shares">
<h2>Shares</h2>
<p class="note">Outgoing calls that carried personal data, by destination host. Transforms say how each category travelled (e.g. <code>email: normalized+sha256</code> is a hashed email — still personal data).</p>
${m.shares.rows.length ? html`<div class="wrap"><table class="shares"><thead><tr><th>Vendor / kind</th><th>Host</th><th>Party</th><th>Categories</th><th>Transforms</th><th>Services</th><th class="n">Subjects</th><th class="n">Spans</th><th>First / last seen (UTC)</th></tr></thead>
<tbody>${rows}${moreRow(m.shares, 9, 'destinations')}</tbody></table></div>` : html`<p class="note">Nothing was shared.</p>`}
</section>`;
}

function fieldTable(rows: FieldRow[], flowCol: boolean, targetHead: string, fieldHead: string, id: string): SafeHtml {
  const body = rows.map((r) => html`<tr data-row="${id}" data-flow="${r.flow}">${flowCol ? html`<td><span class="chip flow-${r.flow}">${r.flow === 'store' ? 'stored' : 'loaded'}</span></td>` : ''}<td>${r.service}</td><td class="mono" title="${r.target}">${cut(r.target, 60)}</td><td>${r.category}</td><td class="mono">${r.fields.join(', ') || '—'}</td><td class="n">${N(r.spans)}</td><td class="n">${N(r.subjects)}</td></tr>`);
  return html`<div class="wrap"><table class="${id}"><thead><tr>${flowCol ? html`<th>Flow</th>` : ''}<th>Service</th><th>${targetHead}</th><th>Category</th><th>${fieldHead}</th><th class="n">Spans</th><th class="n">Subjects</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

function fieldsSection(m: HtmlReportModel): SafeHtml {
  const collect = m.fields.rows.filter((r) => r.flow === 'collect');
  const stored = m.fields.rows.filter((r) => r.flow !== 'collect');
  const hidden = m.fields.total - m.fields.rows.length;
  return html`<section id="collect">
<h2>Collected</h2>
<p class="note">Which categories come in through which endpoints and request fields (body, query, cookies, headers, form fields).</p>
${collect.length ? fieldTable(collect, false, 'Endpoint', 'Fields', 'collect') : html`<p class="note">No personal data collected.</p>`}
</section>
<section id="storage">
<h2>Stored and loaded</h2>
<p class="note">Which database tables and columns hold personal data (stored = written, loaded = read back).</p>
${stored.length ? fieldTable(stored, true, 'Table', 'Columns', 'storage') : html`<p class="note">No personal data written to or read from a database.</p>`}
${hidden > 0 ? html`<p class="more">${N(hidden)} more endpoint/table × category rows not shown.</p>` : ''}
</section>`;
}

const FLOW_WORD: Record<string, string> = { collect: 'collected', store: 'stored', load: 'loaded', share: 'shared' };

function stepText(s: TimelineStep): SafeHtml {
  switch (s.flow) {
    case 'collect': return html`collected by <b>${s.service}</b> at <span class="mono">${s.target}</span>`;
    case 'store': return html`stored by <b>${s.service}</b> in <span class="mono">${s.target}</span>`;
    case 'load': return html`loaded by <b>${s.service}</b> from <span class="mono">${s.target}</span>`;
    case 'share': return html`shared by <b>${s.service}</b> with <b>${s.vendor || 'unknown'}</b> (${s.kind || 'unknown'}) at <span class="mono">${s.target}</span> ${partyChip(s.thirdParty)}`;
    default: return html`${s.flow} by <b>${s.service}</b> at <span class="mono">${s.target}</span>`;
  }
}

function timeline(t: SubjectTimeline): SafeHtml {
  const flows = t.steps.rows.map((s) => s.flow).filter((f, i, a) => a.indexOf(f) === i);
  const steps = t.steps.rows.map((s) => html`<li class="f-${s.flow}" data-flow="${s.flow}" data-service="${s.service}" data-target="${s.target}">
<div class="when">${when(s.firstSeen)}${s.lastSeen !== s.firstSeen ? html` – ${when(s.lastSeen)}` : ''} · ${N(s.spans)} span${s.spans === 1 ? '' : 's'}</div>
<div><span class="chip flow-${s.flow}">${FLOW_WORD[s.flow] ?? s.flow}</span> <span class="what">${stepText(s)}</span></div>
<div class="detail">categories ${s.categories.join(', ') || '—'}${s.fields.length ? html` · fields <span class="mono">${s.fields.join(', ')}</span>` : ''}${s.transforms.length ? html` · as ${s.transforms.join(', ')}` : ''}</div>
</li>`);
  const hidden = t.steps.total - t.steps.rows.length;
  return html`<div class="subject" data-subject="${t.fingerprint}">
<h3>Subject <code>${t.fingerprint}</code></h3>
<p class="path">${flows.length ? flows.map((f) => FLOW_WORD[f] ?? f).join(' → ') : 'nothing recorded for this id'} · ${t.destinations} destination${t.destinations === 1 ? '' : 's'}${t.picked === 'auto' ? ' · picked: most destinations' : ''}</p>
${steps.length ? html`<ol class="timeline">${steps}</ol>` : ''}
${hidden > 0 ? html`<p class="more">${N(hidden)} more steps not shown.</p>` : ''}
</div>`;
}

function subjectsSection(m: HtmlReportModel): SafeHtml {
  return html`<section id="subjects">
<h2>Subject timelines</h2>
<p class="note">The path of individual data subjects (by fingerprint id) through the services, in time order. Look up a person's id with <code>sst fingerprint VALUE --category email</code>, then <code>sst report --html FILE --subject ID</code>.</p>
${m.subjects.length ? m.subjects.map(timeline) : html`<p class="note">No timelines: no subject's data was shared (or none was asked for).</p>`}
</section>`;
}

function errorsSection(m: HtmlReportModel): SafeHtml {
  const s = m.summary;
  const rows = m.errors.rows.map((r) => html`<tr data-row="error"><td class="mono">${r.message}</td><td class="n">${N(r.spans)}</td><td>${r.services.join(', ')}</td><td class="t">${when(r.firstSeen)}</td><td class="t">${when(r.lastSeen)}</td></tr>`);
  const trunc = Object.entries(s.truncatedByFlow);
  return html`<section id="errors">
<h2>Detection errors and truncation</h2>
<p class="note">Spans where detection failed (the application was not affected; the span may under-report personal data), and spans whose captured body or events exceeded a limit (detection ran on the first part only).</p>
${rows.length ? html`<div class="wrap"><table class="errors"><thead><tr><th>Message</th><th class="n">Spans</th><th>Services</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>${rows}${moreRow(m.errors, 5, 'messages')}</tbody></table></div>` : html`<p class="note">No detection errors.</p>`}
<p data-truncated="${s.truncated}">Truncated spans: <b>${N(s.truncated)}</b>${trunc.length ? ` (${trunc.map(([f, n]) => `${f} ${N(n)}`).join(', ')})` : ''}.</p>
</section>`;
}

export function renderReport(m: HtmlReportModel, layoutOptions: LayoutOptions = {}): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Personal data report · ${m.totals.services.slice(0, 3).join(', ') || 'sst'}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<main>
${header(m)}
${cards(m)}
${flowSection(m, layoutOptions)}
${sharesSection(m)}
${fieldsSection(m)}
${subjectsSection(m)}
${errorsSection(m)}
<footer>Generated by <code>sst report --html</code>. Counts come from spans in the store; a span's categories, fields and transforms are those SST detected. Fingerprint ids are keyed hashes: they identify a value only to someone holding the key.</footer>
</main>
</body>
</html>
`.text;
}
