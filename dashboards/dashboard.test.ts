// Every panel and variable query of sst-overview.json, interpolated as the Grafana ClickHouse
// plugin does, runs on chDB against spans loaded with the project's own loader. chDB binds one
// data directory per process, so the whole file shares one store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openStore, type Store } from '../clickhouse/client';
import { ingest } from '../clickhouse/loader';
import { ensureSchema } from '../clickhouse/schema';
import { allPanels, FORMAT, loadDashboard, PLUGIN_ID, templateVars, variable, variableSql, type Panel } from './dashboard-model';
import { dashboardFixture, FP_ALICE_EMAIL, TRACE_NEWSLETTER, TRACE_SIGNUP } from './fixture-spans';
import { applyConditionalAll, expandMacros, interpolateQuery, interpolateVariables, type QueryContext } from './grafana-sql';

const dash = loadDashboard();
const panels = allPanels(dash).filter((p) => p.type !== 'row');
const byTitle = (t: string): Panel => {
  const p = panels.find((x) => x.title === t);
  assert.ok(p, `no panel "${t}"`);
  return p;
};

const BASE_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const FROM_MS = BASE_MS - 10 * 60_000 + 123;
const TO_MS = BASE_MS + 60 * 60_000 + 456;
const INTERVAL_MS = 60_000;

const root = mkdtempSync(join(tmpdir(), 'sst-dashboard-test-'));
let store: Store;
before(async () => {
  store = await openStore({ dir: join(root, 'clickhouse'), database: 'otel', create: true }, {});
  await ensureSchema(store, { database: 'otel', table: 'otel_traces' }, 'bloom');
  const file = join(root, 'spans.jsonl');
  writeFileSync(file, dashboardFixture(BASE_MS).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const st = await ingest(store, { paths: [file] });
  assert.equal(st.spans, 8);
  assert.equal(st.corrupt, 0);
});
after(async () => {
  await store?.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

/** Column names in result order and the rows, for SQL the plugin would send. */
async function run(sql: string): Promise<{ columns: string[]; rows: Array<Record<string, unknown>> }> {
  const rows = await store.query<Record<string, unknown>>(sql);
  return { columns: rows.length ? Object.keys(rows[0]) : [], rows };
}

function ctxFor(selected: Record<string, string | string[]>, options: Record<string, string[]> = {}): QueryContext {
  return { fromMs: FROM_MS, toMs: TO_MS, intervalMs: INTERVAL_MS, vars: templateVars(dash, selected, options) };
}

function sqlOf(p: Panel, ctx: QueryContext): string {
  const t = p.targets![0];
  const r = interpolateQuery(t.rawSql, ctx);
  assert.deepEqual(r.unknownMacros, [], `${p.title}: unknown macros`);
  assert.deepEqual(r.unknownVariables, [], `${p.title}: unknown variables`);
  assert.doesNotMatch(r.sql, /\$__|\$\{|\[\[/, `${p.title}: something left unexpanded`);
  return r.sql;
}

// ------------------------------------------------------------------------------------------------
// macro expansion, as the plugin does it

test('macros expand to the plugin backend forms', () => {
  const ctx: QueryContext = { fromMs: 1_700_000_000_999, toMs: 1_700_003_600_001, intervalMs: 30_000, vars: {} };
  assert.equal(expandMacros('WHERE $__timeFilter(Timestamp)', ctx), 'WHERE Timestamp >= toDateTime(1700000000) AND Timestamp <= toDateTime(1700003600)');
  assert.equal(expandMacros('$__timeFilter_ms(t)', ctx), 't >= fromUnixTimestamp64Milli(1700000000999) AND t <= fromUnixTimestamp64Milli(1700003600001)');
  assert.equal(expandMacros('$__timeInterval(Timestamp)', ctx), 'toStartOfInterval(toDateTime(Timestamp), INTERVAL 30 second)');
  assert.equal(expandMacros('$__timeInterval_ms(Timestamp)', ctx), 'toStartOfInterval(toDateTime64(Timestamp, 3), INTERVAL 30000 millisecond)');
  assert.equal(expandMacros('$__timeInterval(t)', { ...ctx, intervalMs: 200 }), 'toStartOfInterval(toDateTime(t), INTERVAL 1 second)');
  assert.equal(expandMacros('INTERVAL $__interval_s second', ctx), 'INTERVAL 30 second');
  assert.equal(expandMacros('$__dateFilter(d)', ctx), "d >= toDate('2023-11-14') AND d <= toDate('2023-11-14')");
  assert.equal(expandMacros('$__fromTime, $__toTime_ms', ctx), 'toDateTime(1700000000), fromUnixTimestamp64Milli(1700003600001)');
  const unknown: string[] = [];
  assert.equal(expandMacros('$__nope(x) AND $__timeFrom(a)', ctx, unknown), '$__nope(x) AND a >= toDateTime(1700000000)');
  assert.deepEqual(unknown, ['nope']);
  assert.throws(() => expandMacros('$__timeFilter(a, b)', ctx), /expected 1 argument/);
});

test('variables: conditionalAll, the default format, singlequote and All', () => {
  const vars = {
    service: { current: ['$__all'], options: ['checkout', "o'neil"] },
    vendor: { current: ['meta', 'segment'] },
    one: { current: ['meta'] },
    text: { current: "it's" },
    empty: { current: '' },
  };
  const cond = 'WHERE $__conditionalAll(ServiceName IN (${service:singlequote}), $service) AND $__conditionalAll(v IN (${vendor:singlequote}), $vendor) AND $__conditionalAll(x = 1, $empty)';
  assert.equal(applyConditionalAll(cond, vars), "WHERE 1=1 AND v IN (${vendor:singlequote}) AND 1=1");
  assert.equal(interpolateVariables('IN (${vendor:singlequote})', vars), "IN ('meta','segment')");
  assert.equal(interpolateVariables('IN ($vendor)', vars), "IN ('meta','segment')");
  assert.equal(interpolateVariables('IN ($one)', vars), "IN ('meta')");
  assert.equal(interpolateVariables('= ${text:singlequote}', vars), "= 'it\\'s'");
  assert.equal(interpolateVariables('= ${text:sqlstring}', vars), "= 'it''s'");
  assert.equal(interpolateVariables('= $text', vars), "= it's");
  assert.equal(interpolateVariables('IN (${service:singlequote})', vars), "IN ('checkout','o\\'neil')");
  assert.equal(interpolateVariables('IN (${service:singlequote})', { service: { current: '$__all', allValue: "'*'" } }), "IN ('*')");
  const unknown: string[] = [];
  assert.equal(interpolateVariables('$nothing and $__timeFilter(x)', vars, unknown), '$nothing and $__timeFilter(x)');
  assert.deepEqual(unknown, ['nothing']);
  assert.throws(() => interpolateVariables('$__interval', vars), /frontend/);
});

// ------------------------------------------------------------------------------------------------
// the dashboard JSON

test('dashboard: every target is a SQL query of the ClickHouse plugin with a format fit for its panel', () => {
  assert.equal(dash.uid, 'sst-overview');
  const ids = new Set<number>();
  for (const p of panels) {
    assert.ok(!ids.has(p.id), `duplicate panel id ${p.id}`);
    ids.add(p.id);
    assert.equal(p.datasource?.type, PLUGIN_ID, p.title);
    assert.equal(p.targets?.length, 1, p.title);
    for (const t of p.targets ?? []) {
      assert.equal(t.editorType, 'sql', p.title);
      assert.equal(t.datasource?.type, PLUGIN_ID, p.title);
      assert.equal(t.datasource?.uid, '${datasource}', p.title);
      assert.ok(t.rawSql.length > 0, p.title);
      const want = p.type === 'timeseries' ? FORMAT.timeSeries : p.type === 'traces' ? FORMAT.trace : FORMAT.table;
      assert.equal(t.format, want, `${p.title}: format`);
      assert.equal(t.queryType, { 0: 'timeseries', 1: 'table', 3: 'traces' }[t.format], `${p.title}: queryType`);
      assert.match(t.rawSql, /\$__timeFilter\(Timestamp\)/, `${p.title}: no time filter`);
    }
  }
  for (const name of ['service', 'vendor', 'category']) {
    const v = variable(dash, name)!;
    assert.equal(v.type, 'query', name);
    assert.equal(v.datasource?.type, PLUGIN_ID, name);
    assert.ok(v.multi && v.includeAll, name);
    assert.match(variableSql(v) ?? '', /^SELECT /, name);
  }
  assert.equal(variable(dash, 'fingerprint')?.type, 'textbox');
  assert.equal(variable(dash, 'trace_id')?.type, 'textbox');
  // A multi-value variable outside $__conditionalAll would expand All to the whole option list;
  // every use is wrapped so All costs nothing.
  for (const p of panels) {
    const stripped = applyConditionalAll(p.targets![0].rawSql, templateVars(dash, { service: '$__all', vendor: '$__all', category: '$__all' }));
    assert.doesNotMatch(stripped, /\$\{?(service|vendor|category)\b/, p.title);
  }
});

test('dashboard: TraceId columns link to the trace panel, lookups carry the time range', () => {
  for (const title of ['Third-party shares', 'Detection errors (sst.error)', 'Subject lookup']) {
    const links = (byTitle(title).fieldConfig?.overrides ?? []).flatMap((o) => o.properties.filter((x) => x.id === 'links').flatMap((x) => x.value as Array<{ url: string }>));
    assert.ok(links.length > 0, title);
    for (const l of links) {
      assert.match(l.url, /^\/d\/sst-overview\//, title);
      assert.match(l.url, /var-trace_id=\$\{__value\.raw\}/, title);
      assert.match(l.url, /\$\{__url_time_range\}/, title);
    }
  }
  assert.match(byTitle('Trace').targets![0].rawSql, /TraceId = \$\{trace_id:singlequote\}/);
});

test('provisioning: the data source the dashboard defaults to, and a file provider', () => {
  const ds = parse(readFileSync(join(__dirname, 'provisioning', 'datasources', 'clickhouse.yaml'), 'utf8'));
  const d = ds.datasources[0];
  assert.equal(d.type, PLUGIN_ID);
  assert.equal(d.jsonData.defaultDatabase, 'otel');
  const dsVar = dash.templating.list.find((v) => v.type === 'datasource')!;
  assert.equal((dsVar as { query?: string }).query, PLUGIN_ID);
  assert.equal(dsVar.current?.value, d.uid);
  assert.ok(d.secureJsonData.password !== undefined);
  const prov = parse(readFileSync(join(__dirname, 'provisioning', 'dashboards', 'sst.yaml'), 'utf8'));
  assert.equal(prov.apiVersion, 1);
  assert.equal(prov.providers[0].type, 'file');
  assert.ok(typeof prov.providers[0].options.path === 'string' && prov.providers[0].options.path.length > 0);
});

// ------------------------------------------------------------------------------------------------
// on chDB

const COLUMNS: Record<string, string[]> = {
  'Shares to third parties': ['shares'],
  'Subjects shared with third parties': ['subjects'],
  'Third-party vendors': ['vendors'],
  'Detection errors': ['errors'],
  'Shares over time by vendor kind': ['time', 'kind', 'shares'],
  'Top destinations': ['destination', 'vendor', 'kind', 'third_party', 'shares', 'subjects', 'distinct_values'],
  'Categories per destination': ['destination', 'category', 'shares'],
  'Collect → share': ['source', 'target', 'value', 'distinct_values'],
  'Third-party shares': ['time', 'service', 'destination', 'vendor', 'kind', 'categories', 'transforms', 'subjects', 'matches', 'TraceId'],
  'Subject lookup': ['first_seen', 'last_seen', 'flow', 'service', 'target', 'vendor', 'third_party', 'categories', 'fields', 'transforms', 'spans', 'first_trace'],
  'Detection errors (sst.error)': ['time', 'service', 'span', 'flow', 'error', 'truncated', 'TraceId'],
  Trace: ['traceID', 'spanID', 'parentSpanID', 'serviceName', 'operationName', 'startTime', 'duration', 'tags', 'serviceTags', 'statusCode'],
};

async function variableOptions(selected: Record<string, string | string[]>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of ['service', 'vendor', 'category']) {
    const sql = interpolateQuery(variableSql(variable(dash, name)!)!, ctxFor(selected, out)).sql;
    out[name] = (await store.query<Record<string, string>>(sql)).map((r) => Object.values(r)[0]);
  }
  return out;
}

test('variable queries return the services, vendors and categories in the data', async () => {
  const all = await variableOptions({ service: '$__all' });
  assert.deepEqual(all, { service: ['checkout', 'newsletter'], vendor: ['meta', 'segment', 'sendgrid', 'unknown'], category: ['email', 'phone'] });
  const checkout = await variableOptions({ service: ['checkout'] });
  assert.deepEqual(checkout.vendor, ['meta', 'segment']);
});

const ALL = { service: '$__all', vendor: '$__all', category: '$__all', fingerprint: FP_ALICE_EMAIL, trace_id: TRACE_SIGNUP };

test('every panel runs with All selected and returns its columns and rows', async () => {
  const ctx = ctxFor(ALL, await variableOptions(ALL));
  assert.deepEqual(Object.keys(COLUMNS).sort(), panels.map((p) => p.title).sort(), 'a panel without expected columns');
  const results: Record<string, Array<Record<string, unknown>>> = {};
  for (const p of panels) {
    const { columns, rows } = await run(sqlOf(p, ctx));
    assert.ok(rows.length > 0, `${p.title}: no rows`);
    assert.deepEqual(columns, COLUMNS[p.title], p.title);
    results[p.title] = rows;
  }
  assert.equal(Number(results['Shares to third parties'][0].shares), 3);
  assert.equal(Number(results['Subjects shared with third parties'][0].subjects), 2);
  assert.equal(Number(results['Third-party vendors'][0].vendors), 3);
  assert.equal(Number(results['Detection errors'][0].errors), 1);
  assert.deepEqual([...new Set(results['Shares over time by vendor kind'].map((r) => r.kind))].sort(), ['advertising', 'cdp', 'email', 'internal']);
  const top = results['Top destinations'];
  assert.equal(top.length, 4);
  assert.equal(top.find((r) => r.destination === 'crm.internal.example')?.third_party, false);
  assert.deepEqual(results['Categories per destination'].filter((r) => r.destination === 'graph.facebook.com').map((r) => r.category).sort(), ['email', 'phone']);
  const edges = results['Collect → share'].map((r) => `${r.source}→${r.target}`).sort();
  assert.deepEqual(edges, ['email→api.segment.io', 'email→api.sendgrid.com', 'email→crm.internal.example', 'email→graph.facebook.com', 'phone→graph.facebook.com']);
  const shares = results['Third-party shares'];
  assert.deepEqual(shares.map((r) => r.vendor).sort(), ['meta', 'segment', 'sendgrid']);
  assert.ok(shares.every((r) => r.TraceId === TRACE_SIGNUP || r.TraceId === TRACE_NEWSLETTER));
  const path = results['Subject lookup'];
  assert.deepEqual(path.map((r) => `${r.flow}:${r.vendor}`), ['collect:', 'store:', 'share:meta', 'share:segment']);
  assert.ok(path.every((r) => r.first_trace === TRACE_SIGNUP));
  assert.deepEqual(results['Detection errors (sst.error)'].map((r) => `${r.service}:${r.error === '' ? 'truncated' : 'error'}`).sort(), ['checkout:error', 'newsletter:truncated']);
  const trace = results.Trace;
  assert.equal(trace.length, 4);
  assert.ok(trace.every((r) => r.traceID === TRACE_SIGNUP));
  assert.deepEqual(trace.map((r) => r.statusCode), [0, 0, 0, 0]);
});

test('every panel runs with one service, one vendor and one category selected', async () => {
  const sel = { service: ['checkout'], vendor: ['meta'], category: ['email'], fingerprint: FP_ALICE_EMAIL, trace_id: TRACE_SIGNUP };
  const ctx = ctxFor(sel, await variableOptions(sel));
  const results: Record<string, Array<Record<string, unknown>>> = {};
  for (const p of panels) {
    const { columns, rows } = await run(sqlOf(p, ctx));
    assert.ok(rows.length > 0, `${p.title}: no rows`);
    assert.deepEqual(columns, COLUMNS[p.title], p.title);
    results[p.title] = rows;
  }
  assert.equal(Number(results['Shares to third parties'][0].shares), 1);
  assert.deepEqual(results['Top destinations'].map((r) => r.destination), ['graph.facebook.com']);
  assert.deepEqual(results['Categories per destination'].map((r) => r.category), ['email']);
  assert.deepEqual(results['Collect → share'].map((r) => `${r.source}→${r.target}`), ['email→graph.facebook.com']);
  assert.deepEqual(results['Detection errors (sst.error)'].map((r) => r.service), ['checkout']);
});

test('multi-value selections, an empty or hostile fingerprint, and a time range without data', async () => {
  const two = ctxFor({ ...ALL, vendor: ['meta', 'sendgrid'] });
  assert.equal((await run(sqlOf(byTitle('Third-party shares'), two))).rows.length, 2);
  const lookup = byTitle('Subject lookup');
  assert.equal((await run(sqlOf(lookup, ctxFor({ ...ALL, fingerprint: '' })))).rows.length, 0);
  // The singlequote format escapes the quote: the input stays one string literal.
  assert.equal((await run(sqlOf(lookup, ctxFor({ ...ALL, fingerprint: "x' OR 1=1 OR 'a'='a" })))).rows.length, 0);
  const later: QueryContext = { ...ctxFor(ALL), fromMs: TO_MS + 3_600_000, toMs: TO_MS + 7_200_000 };
  assert.equal((await run(sqlOf(byTitle('Third-party shares'), later))).rows.length, 0);
  // Time series buckets follow the interval.
  const fine = await run(sqlOf(byTitle('Shares over time by vendor kind'), { ...ctxFor(ALL), intervalMs: 1_000 }));
  const coarse = await run(sqlOf(byTitle('Shares over time by vendor kind'), { ...ctxFor(ALL), intervalMs: 3_600_000 }));
  assert.ok(new Set(fine.rows.map((r) => r.time)).size > new Set(coarse.rows.map((r) => r.time)).size);
});
