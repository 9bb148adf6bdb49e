// Spans for the HTML report's tests, as OTLP-JSON export requests (one spool line each): a signup
// that is collected, stored, loaded by a worker and shared with Meta (hashed email and phone), an
// LLM (OpenAI) and Segment; a newsletter shared with SendGrid and a first-party CRM; detection
// errors; a truncated capture; and a request whose service name, host, field and error message are
// hostile markup (a report that renders them as markup would run them). Ids and times are fixed so
// the tests can name what they expect.

export const FP = {
  aliceEmail: 'aLiCeEmAiL000000000000',
  alicePhone: 'aLiCePhOnE000000000000',
  aliceName: 'aLiCeNaMe0000000000000',
  bobEmail: 'bObEmAiL00000000000000',
  carolIp: 'cArOlIp000000000000000',
  daveEmail: 'dAvEeMaIl0000000000000',
} as const;

export const HOSTILE_SERVICE = 'edge"><script>window.__pwned="service"</script>';
export const HOSTILE_HOST = 'x<script>window.__pwned="host"</script>.example';
export const HOSTILE_FIELD = 'header.<img src=x onerror="window.__pwned=\'field\'">';
export const HOSTILE_ERROR = '<script>window.__pwned="error"</script> parse failed';

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const b = (key: string, v: boolean): Attr => ({ key, value: { boolValue: v } });
const n = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
const a = (key: string, vs: string[]): Attr => ({ key, value: { arrayValue: { values: vs.map((v) => ({ stringValue: v })) } } });

interface Value { fp: string; category: string; field: string; transform?: string }
interface SpanSpec { trace: number; id: number; parent?: number; name: string; kind: number; atMs: number; attributes: Attr[]; events?: Value[]; eventName?: string; subject?: string }

const hex = (v: number, len: number): string => v.toString(16).padStart(len, '0');

function span(baseMs: number, p: SpanSpec): object {
  const start = (BigInt(baseMs) + BigInt(p.atMs)) * 1_000_000n;
  return {
    traceId: hex(0xabc00000 + p.trace, 32), spanId: hex(0x5000 + p.id, 16), ...(p.parent ? { parentSpanId: hex(0x5000 + p.parent, 16) } : {}),
    name: p.name, kind: p.kind, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 5_000_000n),
    attributes: p.attributes,
    events: (p.events ?? []).map((e) => ({
      name: p.eventName ?? 'sst.tag', timeUnixNano: String(start),
      attributes: [s('sst.fingerprint', e.fp), s('sst.category', e.category), s('sst.field', e.field), ...(e.transform ? [s('sst.transform', e.transform)] : []), s('sst.subject', p.subject ?? e.fp)],
    })),
    status: {},
  };
}

const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();

function sst(flow: string, values: Value[], subject: string, extra: Attr[] = []): Attr[] {
  const transforms = uniq(values.map((v) => v.transform ?? '').filter(Boolean));
  return [
    s('sst.flow', flow), a('sst.categories', uniq(values.map((v) => v.category))), a('sst.fingerprints', uniq(values.map((v) => v.fp))),
    a('sst.subjects', [subject]), a('sst.fields', uniq(values.map((v) => v.field))),
    ...(transforms.length ? [a('sst.transforms', transforms), n('sst.match.count', values.length)] : []),
    ...extra,
  ];
}

function collect(trace: number, id: number, atMs: number, route: string, values: Value[], subject: string, extra: Attr[] = []): SpanSpec {
  return { trace, id, name: `POST ${route}`, kind: 2, atMs, subject, events: values,
    attributes: [s('http.request.method', 'POST'), s('http.route', route), ...sst('collect', values, subject, extra)] };
}

function db(flow: 'store' | 'load', trace: number, id: number, parent: number, atMs: number, values: Value[], subject: string): SpanSpec {
  return { trace, id, parent, name: flow === 'store' ? 'INSERT app.users' : 'SELECT app.users', kind: 3, atMs, subject, events: values,
    eventName: flow === 'store' ? 'sst.match' : 'sst.tag',
    attributes: [s('db.system.name', 'postgresql'), s('db.namespace', 'app'), s('db.collection.name', 'users'), ...sst(flow, values, subject)] };
}

function share(trace: number, id: number, parent: number, atMs: number, host: string, vendor: string, kind: string, thirdParty: boolean, values: Value[], subject: string, extra: Attr[] = []): SpanSpec {
  return { trace, id, parent, name: 'POST', kind: 3, atMs, subject, events: values, eventName: 'sst.match',
    attributes: [
      s('http.request.method', 'POST'), s('url.full', `https://${host}/v1`), s('server.address', host),
      ...sst('share', values, subject, [s('sst.destination.host', host), s('sst.destination.vendor', vendor), s('sst.destination.kind', kind), b('sst.destination.third_party', thirdParty), ...extra]),
    ] };
}

function request(service: string, baseMs: number, specs: SpanSpec[]): object {
  return {
    resourceSpans: [{
      resource: { attributes: [s('service.name', service)] },
      scopeSpans: [{ scope: { name: '@sst/otel-auto', version: '0.1.0' }, spans: specs.map((p) => span(baseMs, p)) }],
    }],
  };
}

const A = FP.aliceEmail;
const email = (fp: string, field: string, transform?: string): Value => ({ fp, category: 'email', field, transform });

/** Export requests for spans starting at `baseMs` (ms since the epoch) and the next few minutes. */
export function reportFixture(baseMs: number): object[] {
  const web = request('web', baseMs, [
    collect(1, 1, 0, '/signup', [email(A, 'body.email'), { fp: FP.alicePhone, category: 'phone', field: 'body.phone' }, { fp: FP.aliceName, category: 'name', field: 'body.name' }], A),
    db('store', 1, 2, 1, 5, [email(A, 'users.email', 'plain'), { fp: FP.alicePhone, category: 'phone', field: 'users.phone', transform: 'plain' }, { fp: FP.aliceName, category: 'name', field: 'users.name', transform: 'plain' }], A),
    collect(2, 3, 30_000, '/subscribe', [email(FP.bobEmail, 'body.email')], FP.bobEmail, [b('sst.truncated', true)]),
    share(2, 4, 3, 30_100, 'api.sendgrid.com', 'sendgrid', 'email', true, [email(FP.bobEmail, 'body.personalizations[0].to[0].email', 'plain')], FP.bobEmail),
    share(2, 5, 3, 30_200, 'crm.internal.example', 'unknown', 'internal', false, [email(FP.bobEmail, 'body.email', 'plain')], FP.bobEmail),
    collect(3, 6, 40_000, '/newsletter', [email(FP.daveEmail, 'query.email')], FP.daveEmail),
    share(3, 7, 6, 40_100, 'graph.facebook.com', 'meta', 'advertising', true, [email(FP.daveEmail, 'body.data[0].user_data.em', 'normalized+sha256')], FP.daveEmail),
    // Detection failed on two uploads (same message) and once with a hostile message.
    { trace: 4, id: 8, name: 'POST /upload', kind: 2, atMs: 50_000, attributes: [s('http.request.method', 'POST'), s('http.route', '/upload'), s('sst.error', 'multipart: malformed part header')] },
    { trace: 5, id: 9, name: 'POST /upload', kind: 2, atMs: 51_000, attributes: [s('http.request.method', 'POST'), s('http.route', '/upload'), s('sst.error', 'multipart: malformed part header')] },
    { trace: 6, id: 10, name: 'POST /upload', kind: 2, atMs: 52_000, attributes: [s('http.request.method', 'POST'), s('http.route', '/upload'), s('sst.error', HOSTILE_ERROR)] },
  ]);
  const worker = request('worker', baseMs, [
    db('load', 7, 11, 0, 60_000, [email(A, 'users.email'), { fp: FP.alicePhone, category: 'phone', field: 'users.phone' }, { fp: FP.aliceName, category: 'name', field: 'users.name' }], A),
    share(7, 12, 11, 61_000, 'graph.facebook.com', 'meta', 'advertising', true,
      [email(A, 'body.data[0].user_data.em', 'normalized+sha256'), { fp: FP.alicePhone, category: 'phone', field: 'body.data[0].user_data.ph', transform: 'normalized+sha256' }], A),
    share(7, 13, 11, 62_000, 'api.openai.com', 'openai', 'llm', true,
      [email(A, 'llm.messages[1].content', 'plain'), { fp: FP.aliceName, category: 'name', field: 'llm.messages[1].content', transform: 'plain' }], A,
      [s('gen_ai.system', 'openai'), s('gen_ai.operation.name', 'chat'), s('gen_ai.request.model', 'gpt-4o-mini')]),
    share(7, 14, 11, 63_000, 'api.segment.io', 'segment', 'cdp', true, [email(A, 'body.traits.email', 'plain')], A),
    share(8, 15, 0, 300_000, 'graph.facebook.com', 'meta', 'advertising', true,
      [email(A, 'body.data[0].user_data.em', 'normalized+sha256'), { fp: FP.alicePhone, category: 'phone', field: 'body.data[0].user_data.ph', transform: 'normalized+sha256' }], A),
    // Only the phone leaves here; the span still names Alice (her email's id) as its subject.
    share(8, 18, 0, 400_000, 'business-api.tiktok.com', 'tiktok', 'advertising', true,
      [{ fp: FP.alicePhone, category: 'phone', field: 'body.user.phone', transform: 'sha256' }], A),
  ]);
  const edge = request(HOSTILE_SERVICE, baseMs, [
    collect(9, 16, 90_000, '/track', [{ fp: FP.carolIp, category: 'ip', field: HOSTILE_FIELD }], FP.carolIp),
    share(9, 17, 16, 90_100, HOSTILE_HOST, 'unknown', 'unknown', true, [{ fp: FP.carolIp, category: 'ip', field: HOSTILE_FIELD, transform: 'plain' }], FP.carolIp),
  ]);
  return [web, worker, edge];
}

/** What the fixture should produce, for the tests. */
export const EXPECTED = {
  categories: ['email', 'ip', 'name', 'phone'],
  /** Share destinations (vendor, or host when unknown) plus the database node. */
  destinations: ['meta', 'tiktok', 'openai', 'segment', 'sendgrid', 'crm.internal.example', HOSTILE_HOST],
  stored: true,
  bands: 12,
  /** Shares table: vendor → [host, spans, subjects]. */
  shares: {
    meta: ['graph.facebook.com', 3, 2], openai: ['api.openai.com', 1, 1], segment: ['api.segment.io', 1, 1],
    sendgrid: ['api.sendgrid.com', 1, 1], tiktok: ['business-api.tiktok.com', 1, 1],
  } as Record<string, [string, number, number]>,
  shareRows: 7,
  subjects: 4,
  thirdParties: 6,
  shareSpans: 9,
  detectionErrors: 3,
  /** Alice's path: flow and target per step. */
  aliceSteps: [
    ['collect', 'POST /signup'], ['store', 'postgresql/app/users'], ['load', 'postgresql/app/users'],
    ['share', 'graph.facebook.com'], ['share', 'api.openai.com'], ['share', 'api.segment.io'], ['share', 'business-api.tiktok.com'],
  ] as Array<[string, string]>,
};
