// Test fixture: one OTLP-JSON export request covering every attribute value type, events, links,
// root and child spans, every span kind and status, two resources and two scopes; and the rows the
// clickhouseexporter writes for it, spelled out by hand from its mapping rules (not computed).
import type { SpanRow } from './otlp-rows';

export const TRACE_A = '5b8efff798038103d269b633813fc60c';
export const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
export const SPAN_COLLECT = 'eee19b7ec3c1b174';
export const SPAN_SHARE = 'eee19b7ec3c1b175';
export const SPAN_STORE = 'eee19b7ec3c1b176';
export const SPAN_PLAIN = 'eee19b7ec3c1b177';
export const SPAN_PRODUCER = 'aaa19b7ec3c1b101';
export const SPAN_CONSUMER = 'aaa19b7ec3c1b102';
export const SPAN_UNSPECIFIED = 'aaa19b7ec3c1b103';
export const FP_EMAIL = 'daGVkGuFgGCt1dXPA1ue3E';
export const FP_NAME = '3aqWwCFnTIiM_gm1clYMRL';
export const FP_PHONE = 'Pq0xK7nT2bLw9cVd4eFg1h';
const T0 = 1795716540819000000n;
const ns = (ms: number): string => String(T0 + BigInt(ms) * 1_000_000n);

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const arr = (key: string, vs: string[]) => ({ key, value: { arrayValue: { values: vs.map((v) => ({ stringValue: v })) } } });

export function fixtureRequest(): object {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', 'checkout'),
            { key: 'process.pid', value: { intValue: 4242 } },
            { key: 'process.command_args', value: { arrayValue: { values: [{ stringValue: '/usr/bin/node' }, { stringValue: 'app.js' }] } } },
            { key: 'host.virtual', value: { boolValue: false } },
          ],
          droppedAttributesCount: 0,
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
            spans: [
              {
                traceId: TRACE_A, spanId: SPAN_COLLECT, traceState: 'vendor=a', name: 'POST /signup', kind: 2,
                startTimeUnixNano: ns(0), endTimeUnixNano: ns(40),
                attributes: [
                  str('http.request.method', 'POST'),
                  str('http.route', '/signup'),
                  { key: 'http.response.status_code', value: { intValue: 201 } },
                  { key: 'big.int', value: { intValue: '9007199254740993' } },
                  { key: 'neg.int', value: { intValue: '-42' } },
                  { key: 'ratio', value: { doubleValue: 1.5 } },
                  { key: 'whole.double', value: { doubleValue: 3 } },
                  { key: 'huge.double', value: { doubleValue: 1e21 } },
                  { key: 'tiny.double', value: { doubleValue: 1e-7 } },
                  { key: 'neg.zero', value: { doubleValue: -0 } },
                  { key: 'nan.double', value: { doubleValue: 'NaN' } },
                  { key: 'flag.true', value: { boolValue: true } },
                  { key: 'flag.false', value: { boolValue: false } },
                  { key: 'raw.bytes', value: { bytesValue: 'aGVsbG8=' } },
                  { key: 'empty.value', value: {} },
                  arr('tags', ['a<b', 'c>d', 'e&f', 'quote"', 'line\nbreak', 'tab\t', 'ünï', '\u2028']),
                  {
                    key: 'mixed', value: { arrayValue: { values: [
                      { intValue: '7' }, { doubleValue: 2.25 }, { boolValue: true }, { stringValue: 'x' },
                      { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'y' }] } },
                      { kvlistValue: { values: [{ key: 'b', value: { intValue: 2 } }, { key: 'a', value: { stringValue: 'z' } }] } },
                      { bytesValue: 'AAE=' }, {},
                    ] } },
                  },
                  {
                    key: 'kv', value: { kvlistValue: { values: [
                      { key: 'zeta', value: { stringValue: 'last' } },
                      { key: 'alpha', value: { kvlistValue: { values: [{ key: 'y', value: { doubleValue: 0.5 } }, { key: 'x', value: { boolValue: false } }] } } },
                      { key: 'Mid', value: { arrayValue: { values: [] } } },
                      { key: 'alpha', value: { stringValue: 'dup wins' } },
                    ] } },
                  },
                  { key: 'nan.in.array', value: { arrayValue: { values: [{ doubleValue: 'NaN' }] } } },
                  str('sst.flow', 'collect'),
                  arr('sst.categories', ['email', 'name', 'phone']),
                  arr('sst.fingerprints', [FP_NAME, FP_PHONE, FP_EMAIL].sort()),
                  arr('sst.subjects', [FP_EMAIL]),
                  arr('sst.fields', ['body.email', 'body.name', 'body.phone']),
                ],
                droppedAttributesCount: 0,
                events: [
                  { name: 'sst.tag', timeUnixNano: ns(40), attributes: [str('sst.fingerprint', FP_EMAIL), str('sst.category', 'email'), str('sst.field', 'body.email'), str('sst.subject', FP_EMAIL)], droppedAttributesCount: 0 },
                  { name: 'sst.tag', timeUnixNano: ns(40), attributes: [str('sst.fingerprint', FP_NAME), str('sst.category', 'name'), str('sst.field', 'body.name'), str('sst.subject', FP_EMAIL)], droppedAttributesCount: 0 },
                  { name: 'sst.tag', timeUnixNano: ns(40), attributes: [str('sst.fingerprint', FP_PHONE), str('sst.category', 'phone'), str('sst.field', 'body.phone'), str('sst.subject', FP_EMAIL)], droppedAttributesCount: 0 },
                ],
                droppedEventsCount: 0,
                status: { code: 0 },
                links: [],
                droppedLinksCount: 0,
                flags: 257,
              },
              {
                traceId: TRACE_A, spanId: SPAN_SHARE, parentSpanId: SPAN_COLLECT, name: 'POST', kind: 3,
                startTimeUnixNano: ns(20), endTimeUnixNano: ns(35),
                attributes: [
                  str('http.request.method', 'POST'),
                  str('url.full', 'https://graph.facebook.com/v19.0/123/events'),
                  str('sst.flow', 'share'),
                  arr('sst.categories', ['email', 'phone']),
                  arr('sst.fingerprints', [FP_PHONE, FP_EMAIL].sort()),
                  arr('sst.subjects', [FP_EMAIL]),
                  arr('sst.fields', ['body.data[0].user_data.em', 'body.data[0].user_data.ph']),
                  arr('sst.transforms', ['normalized+sha256']),
                  { key: 'sst.match.count', value: { intValue: 2 } },
                  str('sst.destination.host', 'graph.facebook.com'),
                  str('sst.destination.vendor', 'meta'),
                  str('sst.destination.kind', 'advertising'),
                  { key: 'sst.destination.third_party', value: { boolValue: true } },
                ],
                events: [
                  { name: 'sst.match', timeUnixNano: ns(35), attributes: [str('sst.fingerprint', FP_EMAIL), str('sst.category', 'email'), str('sst.field', 'body.data[0].user_data.em'), str('sst.transform', 'normalized+sha256'), str('sst.subject', FP_EMAIL)] },
                  { name: 'sst.match', timeUnixNano: ns(35), attributes: [str('sst.fingerprint', FP_PHONE), str('sst.category', 'phone'), str('sst.field', 'body.data[0].user_data.ph'), str('sst.transform', 'normalized+sha256'), str('sst.subject', FP_EMAIL)] },
                ],
                status: { code: 2, message: 'upstream said 500' },
                links: [
                  { traceId: TRACE_B, spanId: SPAN_PRODUCER, traceState: 'k=v', attributes: [str('link.kind', 'follows'), { key: 'link.n', value: { intValue: 3 } }] },
                  { traceId: TRACE_B, spanId: SPAN_CONSUMER },
                ],
              },
              {
                traceId: TRACE_A, spanId: SPAN_STORE, parentSpanId: SPAN_COLLECT, name: 'INSERT app.users', kind: 3,
                startTimeUnixNano: ns(5), endTimeUnixNano: ns(8),
                attributes: [
                  str('db.system.name', 'postgresql'), str('db.namespace', 'app'), str('db.collection.name', 'users'),
                  str('sst.flow', 'store'),
                  arr('sst.categories', ['email', 'name']),
                  arr('sst.fingerprints', [FP_NAME, FP_EMAIL].sort()),
                  arr('sst.subjects', [FP_EMAIL]),
                  arr('sst.fields', ['users.email', 'users.name']),
                  arr('sst.transforms', ['plain']),
                  { key: 'sst.match.count', value: { intValue: 2 } },
                ],
                events: [
                  { name: 'sst.match', timeUnixNano: ns(8), attributes: [str('sst.fingerprint', FP_EMAIL), str('sst.category', 'email'), str('sst.field', 'users.email'), str('sst.transform', 'plain')] },
                  { name: 'sst.match', timeUnixNano: ns(8), attributes: [str('sst.fingerprint', FP_NAME), str('sst.category', 'name'), str('sst.field', 'users.name'), str('sst.transform', 'plain')] },
                ],
                status: { code: 1 },
              },
            ],
          },
          {
            scope: { name: 'manual' },
            spans: [
              {
                traceId: TRACE_A, spanId: SPAN_PLAIN, parentSpanId: SPAN_COLLECT, name: 'validate', kind: 1,
                startTimeUnixNano: ns(1), endTimeUnixNano: ns(2), attributes: [], events: [], links: [],
                status: {},
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [{ key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } }] },
        scopeSpans: [
          {
            scope: { name: 'queue', version: '' },
            spans: [
              { traceId: TRACE_B, spanId: SPAN_PRODUCER, name: 'publish', kind: 4, startTimeUnixNano: ns(50), endTimeUnixNano: ns(51) },
              { traceId: TRACE_B, spanId: SPAN_CONSUMER, parentSpanId: SPAN_PRODUCER, name: 'process', kind: 5, startTimeUnixNano: ns(52), endTimeUnixNano: ns(60) },
              // An end before the start: Duration cannot go negative in a UInt64 column.
              { traceId: TRACE_B, spanId: SPAN_UNSPECIFIED, parentSpanId: '0000000000000000', name: 'odd', kind: 0, startTimeUnixNano: ns(70), endTimeUnixNano: ns(69) },
            ],
          },
        ],
      },
    ],
  };
}

const RES_CHECKOUT: Array<[string, string]> = [
  ['service.name', 'checkout'], ['process.pid', '4242'], ['process.command_args', '["/usr/bin/node","app.js"]'], ['host.virtual', 'false'],
];
const RES_QUEUE: Array<[string, string]> = [['telemetry.sdk.language', 'nodejs']];
const e = (): Omit<SpanRow, 'Timestamp' | 'TraceId' | 'SpanId' | 'ParentSpanId' | 'SpanName' | 'SpanKind' | 'ServiceName' | 'ResourceAttributes' | 'ScopeName' | 'ScopeVersion' | 'Duration'> => ({
  TraceState: '', SpanAttributes: [], StatusCode: 'Unset', StatusMessage: '',
  EventsTimestamp: [], EventsName: [], EventsAttributes: [], LinksTraceId: [], LinksSpanId: [], LinksTraceState: [], LinksAttributes: [],
});

/** The exporter's rows for fixtureRequest(), in span order. */
export function expectedRows(): SpanRow[] {
  return [
    {
      ...e(),
      Timestamp: ns(0), TraceId: TRACE_A, SpanId: SPAN_COLLECT, ParentSpanId: '', TraceState: 'vendor=a', SpanName: 'POST /signup',
      SpanKind: 'Server', ServiceName: 'checkout', ResourceAttributes: RES_CHECKOUT,
      ScopeName: '@opentelemetry/instrumentation-http', ScopeVersion: '0.223.0',
      SpanAttributes: [
        ['http.request.method', 'POST'], ['http.route', '/signup'], ['http.response.status_code', '201'],
        ['big.int', '9007199254740993'], ['neg.int', '-42'], ['ratio', '1.5'], ['whole.double', '3'],
        ['huge.double', '1e+21'], ['tiny.double', '1e-7'], ['neg.zero', '-0'], ['nan.double', 'json: unsupported value: NaN'],
        ['flag.true', 'true'], ['flag.false', 'false'], ['raw.bytes', 'aGVsbG8='], ['empty.value', ''],
        ['tags', '["a\\u003cb","c\\u003ed","e\\u0026f","quote\\"","line\\nbreak","tab\\t","ünï","\\u2028"]'],
        ['mixed', '[7,2.25,true,"x",[1,"y"],{"a":"z","b":2},"AAE=",null]'],
        ['kv', '{"Mid":[],"alpha":"dup wins","zeta":"last"}'],
        ['nan.in.array', ''],
        ['sst.flow', 'collect'],
        ['sst.categories', '["email","name","phone"]'],
        ['sst.fingerprints', JSON.stringify([FP_NAME, FP_PHONE, FP_EMAIL].sort())],
        ['sst.subjects', `["${FP_EMAIL}"]`],
        ['sst.fields', '["body.email","body.name","body.phone"]'],
      ],
      Duration: '40000000',
      EventsTimestamp: [ns(40), ns(40), ns(40)],
      EventsName: ['sst.tag', 'sst.tag', 'sst.tag'],
      EventsAttributes: [
        [['sst.fingerprint', FP_EMAIL], ['sst.category', 'email'], ['sst.field', 'body.email'], ['sst.subject', FP_EMAIL]],
        [['sst.fingerprint', FP_NAME], ['sst.category', 'name'], ['sst.field', 'body.name'], ['sst.subject', FP_EMAIL]],
        [['sst.fingerprint', FP_PHONE], ['sst.category', 'phone'], ['sst.field', 'body.phone'], ['sst.subject', FP_EMAIL]],
      ],
    },
    {
      ...e(),
      Timestamp: ns(20), TraceId: TRACE_A, SpanId: SPAN_SHARE, ParentSpanId: SPAN_COLLECT, SpanName: 'POST', SpanKind: 'Client',
      ServiceName: 'checkout', ResourceAttributes: RES_CHECKOUT, ScopeName: '@opentelemetry/instrumentation-http', ScopeVersion: '0.223.0',
      SpanAttributes: [
        ['http.request.method', 'POST'], ['url.full', 'https://graph.facebook.com/v19.0/123/events'], ['sst.flow', 'share'],
        ['sst.categories', '["email","phone"]'], ['sst.fingerprints', JSON.stringify([FP_PHONE, FP_EMAIL].sort())],
        ['sst.subjects', `["${FP_EMAIL}"]`], ['sst.fields', '["body.data[0].user_data.em","body.data[0].user_data.ph"]'],
        ['sst.transforms', '["normalized+sha256"]'], ['sst.match.count', '2'], ['sst.destination.host', 'graph.facebook.com'],
        ['sst.destination.vendor', 'meta'], ['sst.destination.kind', 'advertising'], ['sst.destination.third_party', 'true'],
      ],
      Duration: '15000000', StatusCode: 'Error', StatusMessage: 'upstream said 500',
      EventsTimestamp: [ns(35), ns(35)], EventsName: ['sst.match', 'sst.match'],
      EventsAttributes: [
        [['sst.fingerprint', FP_EMAIL], ['sst.category', 'email'], ['sst.field', 'body.data[0].user_data.em'], ['sst.transform', 'normalized+sha256'], ['sst.subject', FP_EMAIL]],
        [['sst.fingerprint', FP_PHONE], ['sst.category', 'phone'], ['sst.field', 'body.data[0].user_data.ph'], ['sst.transform', 'normalized+sha256'], ['sst.subject', FP_EMAIL]],
      ],
      LinksTraceId: [TRACE_B, TRACE_B], LinksSpanId: [SPAN_PRODUCER, SPAN_CONSUMER], LinksTraceState: ['k=v', ''],
      LinksAttributes: [[['link.kind', 'follows'], ['link.n', '3']], []],
    },
    {
      ...e(),
      Timestamp: ns(5), TraceId: TRACE_A, SpanId: SPAN_STORE, ParentSpanId: SPAN_COLLECT, SpanName: 'INSERT app.users', SpanKind: 'Client',
      ServiceName: 'checkout', ResourceAttributes: RES_CHECKOUT, ScopeName: '@opentelemetry/instrumentation-http', ScopeVersion: '0.223.0',
      SpanAttributes: [
        ['db.system.name', 'postgresql'], ['db.namespace', 'app'], ['db.collection.name', 'users'], ['sst.flow', 'store'],
        ['sst.categories', '["email","name"]'], ['sst.fingerprints', JSON.stringify([FP_NAME, FP_EMAIL].sort())],
        ['sst.subjects', `["${FP_EMAIL}"]`], ['sst.fields', '["users.email","users.name"]'], ['sst.transforms', '["plain"]'],
        ['sst.match.count', '2'],
      ],
      Duration: '3000000', StatusCode: 'Ok',
      EventsTimestamp: [ns(8), ns(8)], EventsName: ['sst.match', 'sst.match'],
      EventsAttributes: [
        [['sst.fingerprint', FP_EMAIL], ['sst.category', 'email'], ['sst.field', 'users.email'], ['sst.transform', 'plain']],
        [['sst.fingerprint', FP_NAME], ['sst.category', 'name'], ['sst.field', 'users.name'], ['sst.transform', 'plain']],
      ],
    },
    {
      ...e(),
      Timestamp: ns(1), TraceId: TRACE_A, SpanId: SPAN_PLAIN, ParentSpanId: SPAN_COLLECT, SpanName: 'validate', SpanKind: 'Internal',
      ServiceName: 'checkout', ResourceAttributes: RES_CHECKOUT, ScopeName: 'manual', ScopeVersion: '', Duration: '1000000',
    },
    {
      ...e(),
      Timestamp: ns(50), TraceId: TRACE_B, SpanId: SPAN_PRODUCER, ParentSpanId: '', SpanName: 'publish', SpanKind: 'Producer',
      ServiceName: '', ResourceAttributes: RES_QUEUE, ScopeName: 'queue', ScopeVersion: '', Duration: '1000000',
    },
    {
      ...e(),
      Timestamp: ns(52), TraceId: TRACE_B, SpanId: SPAN_CONSUMER, ParentSpanId: SPAN_PRODUCER, SpanName: 'process', SpanKind: 'Consumer',
      ServiceName: '', ResourceAttributes: RES_QUEUE, ScopeName: 'queue', ScopeVersion: '', Duration: '8000000',
    },
    {
      ...e(),
      Timestamp: ns(70), TraceId: TRACE_B, SpanId: SPAN_UNSPECIFIED, ParentSpanId: '', SpanName: 'odd', SpanKind: 'Unspecified',
      ServiceName: '', ResourceAttributes: RES_QUEUE, ScopeName: 'queue', ScopeVersion: '', Duration: '0',
    },
  ];
}

/** One OTLP-JSON line per request, newline-terminated, as the spool writes them. */
export function spoolText(...requests: object[]): string {
  return requests.map((r) => JSON.stringify(r) + '\n').join('');
}

/** A small request with one span (unique ids from `n`), for loader tests. */
export function oneSpanRequest(n: number, service = 'svc'): object {
  const hex = n.toString(16).padStart(16, '0');
  return {
    resourceSpans: [{
      resource: { attributes: [str('service.name', service)] },
      scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: hex + hex, spanId: hex, name: `span ${n}`, kind: 1, startTimeUnixNano: ns(n), endTimeUnixNano: ns(n + 1) }] }],
    }],
  };
}
