// Test data for the dashboard: OTLP-JSON export requests (one per line, as the spool writes them)
// with collect, store and share spans of two services, shares to two third-party vendors of
// different kinds and to a first-party host, and spans whose detection failed or was truncated.
// Ids and times are fixed so the tests can name what they expect.

export const FP_ALICE_EMAIL = 'aLiCeEmAiLfInGeRpRiNt0';
export const FP_ALICE_PHONE = 'aLiCePhOnEfInGeRpRiNt1';
export const FP_BOB_EMAIL = 'bObEmAiLfInGeRpRiNt_02';
export const TRACE_SIGNUP = '1f0e2d3c4b5a69788796a5b4c3d2e1f0';
export const TRACE_NEWSLETTER = '2a0e2d3c4b5a69788796a5b4c3d2e1f1';
export const TRACE_ERROR = '3b0e2d3c4b5a69788796a5b4c3d2e1f2';

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const b = (key: string, v: boolean): Attr => ({ key, value: { boolValue: v } });
const n = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
const a = (key: string, vs: string[]): Attr => ({ key, value: { arrayValue: { values: vs.map((v) => ({ stringValue: v })) } } });

interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  atMs: number;
  durMs: number;
  attributes: Attr[];
  events?: Array<{ name: string; attributes: Attr[] }>;
  status?: { code: number; message?: string };
}

function span(base: bigint, p: SpanSpec): object {
  const start = base + BigInt(p.atMs) * 1_000_000n;
  return {
    traceId: p.traceId, spanId: p.spanId, ...(p.parentSpanId ? { parentSpanId: p.parentSpanId } : {}),
    name: p.name, kind: p.kind,
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(p.durMs) * 1_000_000n),
    attributes: p.attributes,
    events: (p.events ?? []).map((e) => ({ name: e.name, timeUnixNano: String(start), attributes: e.attributes })),
    status: p.status ?? {},
  };
}

function request(service: string, spans: object[]): object {
  return {
    resourceSpans: [{
      resource: { attributes: [s('service.name', service)] },
      scopeSpans: [{ scope: { name: '@sst/otel-auto', version: '0.1.0' }, spans }],
    }],
  };
}

const tag = (fp: string, category: string, field: string, subject: string): { name: string; attributes: Attr[] } =>
  ({ name: 'sst.tag', attributes: [s('sst.fingerprint', fp), s('sst.category', category), s('sst.field', field), s('sst.subject', subject)] });
const match = (fp: string, category: string, field: string, transform: string, subject: string): { name: string; attributes: Attr[] } =>
  ({ name: 'sst.match', attributes: [s('sst.fingerprint', fp), s('sst.category', category), s('sst.field', field), s('sst.transform', transform), s('sst.subject', subject)] });

function share(host: string, vendor: string, kind: string, thirdParty: boolean, cats: string[], fps: string[], transforms: string[]): Attr[] {
  return [
    s('http.request.method', 'POST'), s('url.full', `https://${host}/v1/events`), s('server.address', host),
    s('sst.flow', 'share'), a('sst.categories', cats), a('sst.fingerprints', [...fps].sort()), a('sst.subjects', [fps[0]]),
    a('sst.fields', cats.map((c) => `body.user.${c}`)), a('sst.transforms', transforms), n('sst.match.count', fps.length),
    s('sst.destination.host', host), s('sst.destination.vendor', vendor), s('sst.destination.kind', kind),
    b('sst.destination.third_party', thirdParty),
  ];
}

/** Export requests whose spans start `baseMs` (ms since the epoch) plus a few seconds. */
export function dashboardFixture(baseMs: number): object[] {
  const base = BigInt(baseMs) * 1_000_000n;
  const checkout = [
    span(base, {
      traceId: TRACE_SIGNUP, spanId: 'a000000000000001', name: 'POST /signup', kind: 2, atMs: 0, durMs: 80,
      attributes: [
        s('http.request.method', 'POST'), s('http.route', '/signup'), s('sst.flow', 'collect'),
        a('sst.categories', ['email', 'phone']), a('sst.fingerprints', [FP_ALICE_EMAIL, FP_ALICE_PHONE].sort()),
        a('sst.subjects', [FP_ALICE_EMAIL]), a('sst.fields', ['body.email', 'body.phone']),
      ],
      events: [tag(FP_ALICE_EMAIL, 'email', 'body.email', FP_ALICE_EMAIL), tag(FP_ALICE_PHONE, 'phone', 'body.phone', FP_ALICE_EMAIL)],
    }),
    span(base, {
      traceId: TRACE_SIGNUP, spanId: 'a000000000000002', parentSpanId: 'a000000000000001', name: 'INSERT app.users', kind: 3, atMs: 5, durMs: 4,
      attributes: [
        s('db.system.name', 'postgresql'), s('db.namespace', 'app'), s('db.collection.name', 'users'), s('sst.flow', 'store'),
        a('sst.categories', ['email']), a('sst.fingerprints', [FP_ALICE_EMAIL]), a('sst.subjects', [FP_ALICE_EMAIL]),
        a('sst.fields', ['users.email']), a('sst.transforms', ['plain']), n('sst.match.count', 1),
      ],
      events: [match(FP_ALICE_EMAIL, 'email', 'users.email', 'plain', FP_ALICE_EMAIL)],
    }),
    span(base, {
      traceId: TRACE_SIGNUP, spanId: 'a000000000000003', parentSpanId: 'a000000000000001', name: 'POST', kind: 3, atMs: 20, durMs: 30,
      attributes: share('graph.facebook.com', 'meta', 'advertising', true, ['email', 'phone'], [FP_ALICE_EMAIL, FP_ALICE_PHONE], ['normalized+sha256']),
      events: [
        match(FP_ALICE_EMAIL, 'email', 'body.user.email', 'normalized+sha256', FP_ALICE_EMAIL),
        match(FP_ALICE_PHONE, 'phone', 'body.user.phone', 'normalized+sha256', FP_ALICE_EMAIL),
      ],
    }),
    span(base, {
      traceId: TRACE_SIGNUP, spanId: 'a000000000000004', parentSpanId: 'a000000000000001', name: 'POST', kind: 3, atMs: 60, durMs: 10,
      attributes: share('api.segment.io', 'segment', 'cdp', true, ['email'], [FP_ALICE_EMAIL], ['plain']),
      events: [match(FP_ALICE_EMAIL, 'email', 'body.user.email', 'plain', FP_ALICE_EMAIL)],
    }),
    // A detection that failed, on a span that carries no flow: only otel_traces has it.
    span(base, {
      traceId: TRACE_ERROR, spanId: 'a000000000000005', name: 'POST /upload', kind: 2, atMs: 3_000, durMs: 12,
      attributes: [s('http.request.method', 'POST'), s('http.route', '/upload'), s('sst.error', 'multipart: malformed part header')],
    }),
  ];
  const newsletter = [
    span(base, {
      traceId: TRACE_NEWSLETTER, spanId: 'b000000000000001', name: 'POST /subscribe', kind: 2, atMs: 120_000, durMs: 40,
      attributes: [
        s('http.request.method', 'POST'), s('http.route', '/subscribe'), s('sst.flow', 'collect'), a('sst.categories', ['email']),
        a('sst.fingerprints', [FP_BOB_EMAIL]), a('sst.subjects', [FP_BOB_EMAIL]), a('sst.fields', ['body.email']), b('sst.truncated', true),
      ],
      events: [tag(FP_BOB_EMAIL, 'email', 'body.email', FP_BOB_EMAIL)],
    }),
    span(base, {
      traceId: TRACE_NEWSLETTER, spanId: 'b000000000000002', parentSpanId: 'b000000000000001', name: 'POST', kind: 3, atMs: 121_000, durMs: 25,
      attributes: share('api.sendgrid.com', 'sendgrid', 'email', true, ['email'], [FP_BOB_EMAIL], ['plain']),
      events: [match(FP_BOB_EMAIL, 'email', 'body.user.email', 'plain', FP_BOB_EMAIL)],
    }),
    span(base, {
      traceId: TRACE_NEWSLETTER, spanId: 'b000000000000003', parentSpanId: 'b000000000000001', name: 'POST', kind: 3, atMs: 122_000, durMs: 5,
      attributes: share('crm.internal.example', 'unknown', 'internal', false, ['email'], [FP_BOB_EMAIL], ['plain']),
      events: [match(FP_BOB_EMAIL, 'email', 'body.user.email', 'plain', FP_BOB_EMAIL)],
    }),
  ];
  return [request('checkout', checkout), request('newsletter', newsletter)];
}
