import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { schemaStatements } from '../clickhouse/schema';
import { loadKeyCatalog, pipelineProblems, unknownKeys, type KeyCatalog } from './config-keys';
import { envNames, expandEnv } from './env-expand';
import { exporterGeneration, exporterTtl, normalizeSql, parseCreateTable, parseGoDuration, type TableShape } from './exporter-ddl';
import { checkRe2Portable, maskLikeRedaction, toJsRegExp } from './re2';

type Config = Record<string, any>;
const dir = __dirname;
const staticText = readFileSync(join(dir, 'otelcol-config.yaml'), 'utf8');
const envText = readFileSync(join(dir, 'otelcol-config.env.yaml'), 'utf8');
const staticConfig = parse(staticText) as Config;
const envConfig = parse(envText) as Config;
const catalog: KeyCatalog = loadKeyCatalog(dir);

test('both collector configs parse and define the OTLP → memory_limiter → redaction → batch → clickhouse pipeline', () => {
  for (const cfg of [staticConfig, envConfig]) {
    assert.deepEqual(cfg.service.pipelines.traces, {
      receivers: ['otlp'], processors: ['memory_limiter', 'redaction', 'batch'], exporters: ['clickhouse'],
    });
  }
  assert.equal(staticConfig.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
  assert.equal(staticConfig.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
  const ch = staticConfig.exporters.clickhouse;
  assert.equal(ch.traces_table_name, 'otel_traces');
  assert.equal(ch.database, 'otel');
  assert.equal(ch.create_schema, true);
  assert.equal(ch.retry_on_failure.enabled, true);
  assert.equal(ch.sending_queue.enabled, true);
  assert.ok(parseGoDuration(ch.ttl)! > 0 && parseGoDuration(ch.timeout)! > 0);
});

test('every key used is one the component accepts (component-keys.json)', () => {
  assert.deepEqual(unknownKeys(staticConfig, catalog), []);
  assert.deepEqual(unknownKeys(envConfig, catalog), []);
  // The check itself rejects what the collector would reject.
  const bad = structuredClone(staticConfig);
  bad.exporters.clickhouse.ttl_days = 3;
  bad.processors.redaction.blocked_value = [];
  bad.processors['transform/x'] = {};
  const problems = unknownKeys(bad, catalog).map((p) => `${p.where}: ${p.problem}`);
  assert.deepEqual(problems.sort(), [
    'exporters.clickhouse: unknown key ttl_days',
    'processors.redaction: unknown key blocked_value',
    'processors.transform/x: component not in component-keys.json',
  ]);
  for (const [id, c] of Object.entries(catalog.components)) assert.ok(c.source.length > 0 && c.keys.length > 0, id);
});

test('pipelines reference defined components and every defined component is used', () => {
  assert.deepEqual(pipelineProblems(staticConfig), []);
  assert.deepEqual(pipelineProblems(envConfig), []);
  const bad = structuredClone(staticConfig);
  bad.service.pipelines.traces.exporters = ['clickhouse', 'otlp/missing'];
  bad.processors.unused = {};
  assert.deepEqual(pipelineProblems(bad).map((p) => p.problem).sort(), ['defined but not used', 'undefined component otlp/missing']);
});

test('the env-driven variant resolves, with nothing set, to the static config; variables override it', () => {
  assert.deepEqual(expandEnv(envConfig, {}), staticConfig);
  const names = envNames(envText);
  for (const n of ['CLICKHOUSE_ENDPOINT', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CLICKHOUSE_TTL']) assert.ok(names.includes(n), n);
  const set = expandEnv(envConfig, { CLICKHOUSE_ENDPOINT: 'https://ch.example.net:8443', CLICKHOUSE_TTL: '168h', OTELCOL_MEMORY_LIMIT_MIB: '4096' }) as Config;
  assert.equal(set.exporters.clickhouse.endpoint, 'https://ch.example.net:8443');
  assert.equal(set.exporters.clickhouse.ttl, '168h');
  assert.equal(set.processors.memory_limiter.limit_mib, 4096);
});

// ------------------------------------------------------------------------------------------------
// redaction safety net

const redaction = staticConfig.processors.redaction;
const blockedSources: string[] = redaction.blocked_values;
const allowedSources: string[] = redaction.allowed_values;

test('redaction patterns use only syntax RE2 and JavaScript read the same way', () => {
  for (const p of [...blockedSources, ...allowedSources, ...redaction.ignored_key_patterns]) {
    const c = checkRe2Portable(p);
    assert.ok(c.ok, `${p}: ${c.problems.join('; ')}`);
  }
  // The checker does reject what Go's regexp refuses.
  for (const p of ['(?<=@)example', 'a(?!b)', '(a)\\1', '(?>ab)', 'a++', '[[:digit:]]+']) assert.equal(checkRe2Portable(p).ok, false, p);
  assert.equal(checkRe2Portable('(?i)abc').flags, 'i');
});

const blocked = blockedSources.map(toJsRegExp);
const allowed = allowedSources.map(toJsRegExp);
const mask = (v: string): string => maskLikeRedaction(v, blocked, allowed);

test('raw emails, phone numbers and unkeyed digests are masked', () => {
  const raw = [
    'person@example.com',
    'Jane.Doe+news@mail.example.co.uk',
    'https://api.example.com/v1/users?email=jane%40example.org&x=1',
    '+14155550123',
    'https://t.example.com/p?ph=%2B447946095812',
    '+44 20 7946 0958',
    '+1-415-555-0123',
    '(415) 555-0123',
    '415.555.0123',
    '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
    'D6117306485ED0E50AFAB3AC871E98F81699151F30281527D63FF5F233656C69',
    '2813448ce6316cb70b38fa29c8c64130',
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    'VC0kASmIPAGeEGsbLT8/PLNTfEPEJTZN6OlR1aMIM0U=',
    'fbp=fb.1.1700000000.542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
  ];
  for (const v of raw) {
    const out = mask(v);
    assert.notEqual(out, v, `not masked: ${v.length} chars`);
    assert.match(out, /\*\*\*\*/);
  }
  // Only the matched part goes; the rest of the attribute stays readable.
  assert.equal(mask('user jane@example.org signed up'), 'user **** signed up');
  assert.equal(mask('call +14155550123 now'), 'call **** now');
});

test('sst values, markers and ordinary telemetry are left alone', () => {
  const keep = [
    'daGVkGuFgGCt1dXPA1ue3E',
    '3aqWwCFnTIiM_gm1clYMRL',
    'Pq0xK7nT2bLw9cVd4eFg1h',
    'a-415-555-0123xyzABCD',
    '[sst:email:daGVkGuFgGCt1dXPA1ue3E]',
    'https://track.customer.io/api/v1/customers/[sst:email:daGVkGuFgGCt1dXPA1ue3E]/events',
    'https://api.mixpanel.com/track?data=[sst:email:3aqWwCFnTIiM_gm1clYMRL]&ip=1',
    '["email","phone"]',
    '["normalized+sha256"]',
    'POST /signup',
    'graph.facebook.com',
    '2026-01-15T10:00:00.123Z',
    '2026-01-15',
    '192.168.1.20:8080',
    '10.0.0.1',
    'eee19b7ec3c1b174',
    '0.223.0',
    '1795716540819000000',
    '9007199254740993',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    '00-5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174-01',
    'SELECT * FROM users WHERE id = $1',
    'v19.0',
  ];
  for (const v of keep) assert.equal(mask(v), v, v);
});

test('sst.* keys are ignored by the redaction processor, by name and by pattern', () => {
  const semconvKeys = [
    'sst.flow', 'sst.categories', 'sst.fingerprints', 'sst.subjects', 'sst.fields', 'sst.transforms',
    'sst.destination.host', 'sst.destination.vendor', 'sst.destination.kind', 'sst.destination.third_party',
    'sst.match.count', 'sst.truncated', 'sst.error', 'sst.fingerprint', 'sst.category', 'sst.field', 'sst.transform', 'sst.subject',
  ];
  for (const k of semconvKeys) assert.ok(redaction.ignored_keys.includes(k), k);
  const keyPatterns = (redaction.ignored_key_patterns as string[]).map((p) => new RegExp(p));
  for (const k of [...semconvKeys, 'sst.future.key']) assert.ok(keyPatterns.some((r) => r.test(k)), k);
  for (const k of ['user.email', 'http.url', 'xsst.flow', 'sst_flow']) assert.ok(!keyPatterns.some((r) => r.test(k)), k);
  assert.equal(redaction.allow_all_keys, true, 'without allow_all_keys every non-listed key is deleted');
  assert.ok(['info', 'silent'].includes(redaction.summary), 'debug would list masked keys on every span');
});

// ------------------------------------------------------------------------------------------------
// the table the exporter would create

function shapeOf(sql: string): TableShape {
  const s = parseCreateTable(sql);
  if ('error' in s) throw new Error(s.error);
  return s;
}

function render(template: string, ttl: string): string {
  return template.replace('{{engine}}', 'MergeTree()').replace('{{ttl}}', ttl);
}

test('create_schema: the exporter DDL for the configured ttl equals clickhouse/schema (both generations)', () => {
  const spec = catalog.clickhouseTracesTable;
  const ch = staticConfig.exporters.clickhouse;
  const ttlSeconds = parseGoDuration(ch.ttl)!;
  assert.equal(exporterTtl(ttlSeconds, spec.ttlTimeField), 'TTL toDateTime(Timestamp) + toIntervalDay(30)');
  assert.equal(exporterGeneration('25.8.3.1', spec.textIndexMinVersion), 'bloom');
  assert.equal(exporterGeneration('26.2.1.1', spec.textIndexMinVersion), 'textindex');
  assert.equal(exporterGeneration('27.1', spec.textIndexMinVersion), 'textindex');

  for (const gen of ['bloom', 'textindex'] as const) {
    const ours = schemaStatements(gen, { database: ch.database, table: ch.traces_table_name, ttlSeconds });
    const tables = ours.filter((s) => /^CREATE TABLE/i.test(s)).map(shapeOf);
    const main = tables.find((t) => t.name === '`otel`.`otel_traces`');
    assert.ok(main, `${gen}: no otel_traces table`);
    assert.deepEqual(main.definitions, [...spec.columns, ...spec.indexes[gen]].map(normalizeSql), gen);
    const ttl = exporterTtl(ttlSeconds, spec.ttlTimeField);
    assert.deepEqual(main.clauses, spec.clauses.map((c) => render(c, ttl)).filter(Boolean).map(normalizeSql), gen);

    const ts = tables.find((t) => t.name === `\`otel\`.\`otel_traces${spec.traceIdTsTable.nameSuffix}\``);
    assert.ok(ts, `${gen}: no trace id lookup table`);
    assert.deepEqual(ts.definitions, spec.traceIdTsTable.columns.map(normalizeSql));
    const tsTtl = exporterTtl(ttlSeconds, spec.traceIdTsTable.ttlTimeField);
    assert.deepEqual(ts.clauses, spec.traceIdTsTable.clauses.map((c) => render(c, tsTtl)).filter(Boolean).map(normalizeSql));
  }
});

test('the DDL comparison notices a drifted column, index or key', () => {
  const spec = catalog.clickhouseTracesTable;
  const ours = schemaStatements('bloom', { database: 'otel', table: 'otel_traces', ttlSeconds: 0 }).find((s) => /^CREATE TABLE/i.test(s))!;
  const drifted = ours.replace('Duration UInt64 CODEC(T64, ZSTD(1))', 'Duration UInt64 CODEC(ZSTD(1))').replace('bloom_filter(0.001)', 'bloom_filter(0.01)');
  const shape = shapeOf(drifted);
  const want = [...spec.columns, ...spec.indexes.bloom].map(normalizeSql);
  const diff = shape.definitions.filter((d, i) => d !== want[i]);
  assert.deepEqual(diff, ['Duration UInt64 CODEC(ZSTD(1))', 'INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1']);
  assert.notDeepEqual(shapeOf(ours.replace('PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))', '')).clauses, spec.clauses.map((c) => render(c, '')).filter(Boolean).map(normalizeSql));
  assert.equal(parseGoDuration('1h30m'), 5400);
  assert.equal(exporterTtl(5400, 'toDateTime(Timestamp)'), 'TTL toDateTime(Timestamp) + toIntervalMinute(90)');
  assert.equal(parseGoDuration('30 days'), undefined);
});
