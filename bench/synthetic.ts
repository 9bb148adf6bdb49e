// Synthetic spool: OTLP-JSON lines shaped like the distribution's spool output (hex ids, string
// nanos, sst.* attributes and events), for the store benchmark. Eight spans per trace: a collect,
// a store, sometimes a load, two shares to third parties, and plain spans without personal data.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface SyntheticOptions {
  dir: string;
  spans: number;
  subjects?: number;
  spansPerLine?: number;
  maxFileBytes?: number;
  /** Spans spread over this many ms before `endMs`. */
  spreadMs?: number;
  endMs?: number;
}

export interface SyntheticResult {
  files: number;
  bytes: number;
  spans: number;
  /** Email fingerprint of subject i (for lineage lookups). */
  emailFp(i: number): string;
  subjects: number;
}

const SERVICES = ['api', 'worker', 'billing'];
const VENDORS = [
  { host: 'graph.facebook.com', vendor: 'meta', kind: 'advertising' },
  { host: 'api.segment.io', vendor: 'segment', kind: 'cdp' },
  { host: 'www.google-analytics.com', vendor: 'ga4', kind: 'analytics' },
  { host: 'api.openai.com', vendor: 'openai', kind: 'llm' },
];

function fp(category: string, i: number): string {
  return createHash('md5').update(`${category}:${i}`).digest('base64url').slice(0, 22);
}

function hex(n: number, bytes: number, salt: number): string {
  // Deterministic, unique per (n, salt): enough for ids in a benchmark.
  const h = createHash('md5').update(`${salt}:${n}`).digest('hex');
  return h.slice(0, bytes * 2);
}

const s = (k: string, v: string): string => `{"key":${JSON.stringify(k)},"value":{"stringValue":${JSON.stringify(v)}}}`;
const n = (k: string, v: number): string => `{"key":"${k}","value":{"intValue":${v}}}`;
const b = (k: string, v: boolean): string => `{"key":"${k}","value":{"boolValue":${v}}}`;
const arr = (k: string, vs: string[]): string => `{"key":"${k}","value":{"arrayValue":{"values":[${vs.map((v) => `{"stringValue":${JSON.stringify(v)}}`).join(',')}]}}}`;

function event(name: string, t: string, attrs: string[]): string {
  return `{"attributes":[${attrs.join(',')}],"name":"${name}","timeUnixNano":"${t}","droppedAttributesCount":0}`;
}

function span(traceId: string, spanId: string, parent: string, name: string, kind: number, start: bigint, durNs: number, attrs: string[], events: string[] = [], status = 0): string {
  const end = start + BigInt(durNs);
  return `{"traceId":"${traceId}","spanId":"${spanId}"${parent ? `,"parentSpanId":"${parent}"` : ''},"name":${JSON.stringify(name)},"kind":${kind},`
    + `"startTimeUnixNano":"${start}","endTimeUnixNano":"${end}","attributes":[${attrs.join(',')}],"droppedAttributesCount":0,`
    + `"events":[${events.join(',')}],"droppedEventsCount":0,"status":{"code":${status}},"links":[],"droppedLinksCount":0,"flags":257}`;
}

function resource(service: string): string {
  return `{"attributes":[${[s('service.name', service), s('telemetry.sdk.language', 'nodejs'), s('telemetry.sdk.name', 'opentelemetry'), s('telemetry.sdk.version', '2.12.0'), s('host.name', 'bench-host'), n('process.pid', 4242)].join(',')}],"droppedAttributesCount":0}`;
}

/** The spans of one trace (8, or 7 without the load). */
function trace(t: number, subject: number, startNs: bigint): string[] {
  const traceId = hex(t, 16, 1);
  const id = (k: number): string => hex(t * 8 + k, 8, 2);
  const email = fp('email', subject);
  const phone = fp('phone', subject);
  const name = fp('name', subject);
  const fps = [email, name, phone].sort();
  const ts = (k: number): bigint => startNs + BigInt(k * 1_000_000);
  const tag = (f: string, c: string, field: string, k: number): string => event('sst.tag', String(ts(k)), [s('sst.fingerprint', f), s('sst.category', c), s('sst.field', field), s('sst.subject', email)]);
  const match = (f: string, c: string, field: string, tr: string, k: number): string => event('sst.match', String(ts(k)), [s('sst.fingerprint', f), s('sst.category', c), s('sst.field', field), s('sst.transform', tr), s('sst.subject', email)]);
  const v1 = VENDORS[t % VENDORS.length];
  const v2 = VENDORS[(t + 1) % VENDORS.length];
  const out = [
    span(traceId, id(0), '', 'POST /signup', 2, ts(0), 40_000_000, [
      s('http.request.method', 'POST'), s('url.path', '/signup'), s('http.route', '/signup'), n('http.response.status_code', 201),
      s('sst.flow', 'collect'), arr('sst.categories', ['email', 'name', 'phone']), arr('sst.fingerprints', fps), arr('sst.subjects', [email]),
      arr('sst.fields', ['body.email', 'body.name', 'body.phone']),
    ], [tag(email, 'email', 'body.email', 1), tag(name, 'name', 'body.name', 1), tag(phone, 'phone', 'body.phone', 1)]),
    span(traceId, id(1), id(0), 'validate', 1, ts(1), 1_000_000, [s('code.function', 'validate')]),
    span(traceId, id(2), id(0), 'INSERT users', 3, ts(2), 3_000_000, [
      s('db.system.name', 'postgresql'), s('db.namespace', 'app'), s('db.collection.name', 'users'), s('db.query.text', 'INSERT INTO users (email, name, phone) VALUES ($1, $2, $3)'),
      s('sst.flow', 'store'), arr('sst.categories', ['email', 'name', 'phone']), arr('sst.fingerprints', fps), arr('sst.subjects', [email]),
      arr('sst.fields', ['users.email', 'users.name', 'users.phone']), arr('sst.transforms', ['plain']), n('sst.match.count', 3),
    ], [match(email, 'email', 'users.email', 'plain', 3), match(name, 'name', 'users.name', 'plain', 3), match(phone, 'phone', 'users.phone', 'plain', 3)]),
    span(traceId, id(3), id(0), `POST ${v1.host}`, 3, ts(10), 80_000_000, [
      s('http.request.method', 'POST'), s('server.address', v1.host), s('url.full', `https://${v1.host}/v1/events`), n('http.response.status_code', 200),
      s('sst.flow', 'share'), arr('sst.categories', ['email', 'phone']), arr('sst.fingerprints', [email, phone].sort()), arr('sst.subjects', [email]),
      arr('sst.fields', ['body.user_data.em', 'body.user_data.ph']), arr('sst.transforms', ['normalized+sha256']), n('sst.match.count', 2),
      s('sst.destination.host', v1.host), s('sst.destination.vendor', v1.vendor), s('sst.destination.kind', v1.kind), b('sst.destination.third_party', true),
    ], [match(email, 'email', 'body.user_data.em', 'normalized+sha256', 11), match(phone, 'phone', 'body.user_data.ph', 'normalized+sha256', 11)]),
    span(traceId, id(4), id(0), `POST ${v2.host}`, 3, ts(12), 30_000_000, [
      s('http.request.method', 'POST'), s('server.address', v2.host), s('url.full', `https://${v2.host}/v1/track`), n('http.response.status_code', 200),
      s('sst.flow', 'share'), arr('sst.categories', ['email']), arr('sst.fingerprints', [email]), arr('sst.subjects', [email]),
      arr('sst.fields', ['body.userId']), arr('sst.transforms', ['plain']), n('sst.match.count', 1),
      s('sst.destination.host', v2.host), s('sst.destination.vendor', v2.vendor), s('sst.destination.kind', v2.kind), b('sst.destination.third_party', true),
    ], [match(email, 'email', 'body.userId', 'plain', 13)]),
    span(traceId, id(5), id(0), 'GET', 3, ts(14), 5_000_000, [s('http.request.method', 'GET'), s('server.address', 'config.internal'), n('http.response.status_code', 200)]),
    span(traceId, id(6), id(0), 'render', 1, ts(15), 2_000_000, [s('code.function', 'render')]),
  ];
  if (t % 4 === 0) {
    out.push(span(traceId, id(7), id(0), 'SELECT users', 3, ts(5), 2_000_000, [
      s('db.system.name', 'postgresql'), s('db.namespace', 'app'), s('db.collection.name', 'users'), s('db.query.text', 'SELECT email, phone FROM users WHERE id = $1'),
      s('sst.flow', 'load'), arr('sst.categories', ['email', 'phone']), arr('sst.fingerprints', [email, phone].sort()), arr('sst.subjects', [email]),
      arr('sst.fields', ['users.email', 'users.phone']),
    ], [tag(email, 'email', 'users.email', 6), tag(phone, 'phone', 'users.phone', 6)]));
  } else {
    out.push(span(traceId, id(7), id(0), 'cache.get', 1, ts(5), 500_000, [s('code.function', 'cache.get')]));
  }
  return out;
}

/** Writes `spans` spans as spool-like files in `dir`. */
export function writeSynthetic(o: SyntheticOptions): SyntheticResult {
  mkdirSync(o.dir, { recursive: true });
  const subjects = o.subjects ?? Math.max(1, Math.floor(o.spans / 40));
  const perLine = o.spansPerLine ?? 512;
  const maxFileBytes = o.maxFileBytes ?? 32 * 1024 * 1024;
  const spread = o.spreadMs ?? 7 * 86_400_000;
  const endMs = o.endMs ?? Date.now();
  const traces = Math.ceil(o.spans / 8);
  let fd = -1;
  let fileBytes = 0;
  let files = 0;
  let bytes = 0;
  let written = 0;
  let pending: string[] = [];
  let svc = SERVICES[0];
  const flush = (): void => {
    if (!pending.length) return;
    const line = `{"resourceSpans":[{"resource":${resource(svc)},"scopeSpans":[{"scope":{"name":"@opentelemetry/instrumentation-http","version":"0.223.0"},"spans":[${pending.join(',')}]}]}]}\n`;
    const buf = Buffer.from(line, 'utf8');
    if (fd < 0 || fileBytes + buf.length > maxFileBytes) {
      if (fd >= 0) closeSync(fd);
      fd = openSync(join(o.dir, `${svc}-bench-${String(files).padStart(5, '0')}.jsonl`), 'w');
      files++;
      fileBytes = 0;
    }
    writeSync(fd, buf);
    fileBytes += buf.length;
    bytes += buf.length;
    pending = [];
  };
  for (let t = 0; t < traces && written < o.spans; t++) {
    const nextSvc = SERVICES[Math.floor(t / 5000) % SERVICES.length];
    if (nextSvc !== svc) { flush(); svc = nextSvc; }
    const startMs = endMs - spread + Math.floor((t / traces) * spread);
    for (const sp of trace(t, t % subjects, BigInt(startMs) * 1_000_000n)) {
      if (written >= o.spans) break;
      pending.push(sp);
      written++;
      if (pending.length >= perLine) flush();
    }
  }
  flush();
  if (fd >= 0) closeSync(fd);
  return { files, bytes, spans: written, subjects, emailFp: (i) => fp('email', i) };
}
