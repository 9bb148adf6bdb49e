import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeaderMap, IngressCapture, Leaf } from '../types';
import { createDetector } from './index';
import { createIngressDetector, type DecodeOutput, type IngressDecoders } from './ingress';
import { compileFieldMatcher } from './field-names';
import { builtinRules } from './rules-file';
import { TagCollector } from './tag-collector';

const cfg = { fieldRules: [], defaultPhoneRegion: 'US', captureHeaders: ['x-tenant-contact'], captureLimit: 1024 * 1024 };

function capture(over: Partial<IngressCapture> & { json?: unknown } = {}): IngressCapture {
  const { json, ...rest } = over;
  const buf = json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json));
  return {
    kind: 'ingress', method: 'POST', target: '/signup', headers: { 'content-type': 'application/json' },
    body: { chunks: buf.length ? [buf] : [], bytes: buf.length, truncated: false, complete: true },
    ...rest,
  };
}

// ---- with recording fake decoders: what detectIngress asks the decoders for ----------------------

interface Calls { query: string[]; cookies: string[]; headerNames: (readonly string[] | undefined)[]; body: [string, string | undefined, string | undefined][] }

function fakeDecoders(calls: Calls, bodyResult?: Partial<DecodeOutput>): IngressDecoders {
  const leaf = (path: string, value: string): Leaf => ({ path, key: path.split('.').pop()!, value, layers: [] });
  return {
    decodeQuery(search) { calls.query.push(search); return { leaves: [leaf('query.email', 'q@example.com')], truncated: false, errors: [] }; },
    decodeCookies(c) { calls.cookies.push(c); return [leaf('cookie._fbp', 'fb.1.1596403881668.1116446470')]; },
    decodeHeaders(h: HeaderMap, names) {
      calls.headerNames.push(names);
      return (names ?? []).filter((n) => typeof h[n] === 'string').map((n) => leaf(`header.${n}`, h[n] as string));
    },
    decodeBody(buf, ct, ce) {
      calls.body.push([buf.toString('utf8'), ct, ce]);
      return { leaves: [leaf('body.phone', '+1 650-555-1212')], truncated: false, errors: [], ...bodyResult };
    },
  };
}

const rules = builtinRules();
const matcher = compileFieldMatcher([rules.rules], rules.qualifiers);

function ingressWith(decoders: IngressDecoders, detect = (ls: readonly Leaf[], out: TagCollector) => {
  for (const l of ls) out.add(l.path, l.path, l.value);
  return true;
}) {
  return createIngressDetector({ decoders, detectLeaves: detect, matcher, captureHeaders: ['X-Tenant-Contact'], captureLimit: 8 });
}

test('detectIngress feeds query, cookies, selected headers and body to the decoders', () => {
  const calls: Calls = { query: [], cookies: [], headerNames: [], body: [] };
  const detect = ingressWith(fakeDecoders(calls));
  const r = detect(capture({
    target: '/signup?email=q%40example.com',
    headers: {
      'content-type': 'application/json', 'content-encoding': 'gzip', cookie: ['_fbp=a', 'sid=b'], 'user-agent': 'UA',
      'x-user-email': 'h@example.com', 'x-forwarded-for': '203.0.113.1', 'x-client-ip': '203.0.113.2',
      'x-tenant-contact': 't@example.com', 'x-request-id': 'r1', accept: '*/*',
    },
    body: { chunks: [Buffer.from('0123'), Buffer.from('456789ab')], bytes: 12, truncated: false, complete: true },
  }));
  assert.deepEqual(calls.query, ['?email=q%40example.com']);
  assert.deepEqual(calls.cookies, ['_fbp=a; sid=b']);
  assert.deepEqual(calls.headerNames, [['user-agent', 'x-user-email', 'x-tenant-contact']]);
  assert.deepEqual(calls.body, [['01234567', 'application/json', 'gzip']], 'body cut to captureLimit, content headers passed');
  assert.deepEqual(r.errors, []);
  assert.equal(r.truncated, false);
});

test('detectIngress: truncation and decode errors are reported, decoder exceptions contained', () => {
  const calls: Calls = { query: [], cookies: [], headerNames: [], body: [] };
  const r = ingressWith(fakeDecoders(calls, { truncated: true, errors: ['bad json'] }))(capture({ json: { a: 1 } }));
  assert.equal(r.truncated, true);
  assert.deepEqual(r.errors, ['body: bad json']);

  const capped = ingressWith(fakeDecoders(calls))(capture({ json: { a: 1 }, body: { chunks: [Buffer.from('{}')], bytes: 2, truncated: true, complete: true } }));
  assert.equal(capped.truncated, true, 'capture exceeded the capture limit');

  const throwing = fakeDecoders(calls);
  throwing.decodeBody = () => { throw new SyntaxError('Unexpected token in "secret@example.com"'); };
  const r2 = ingressWith(throwing)(capture({ json: { a: 1 } }));
  assert.deepEqual(r2.errors, ['body: decode failed (SyntaxError)'], 'no payload text in errors');
});

test('no body, no query, no cookie: decoders not asked', () => {
  const calls: Calls = { query: [], cookies: [], headerNames: [], body: [] };
  ingressWith(fakeDecoders(calls))(capture({ target: '/x?', headers: {} }));
  assert.deepEqual([calls.query, calls.cookies, calls.body], [[], [], []]);
});

// ---- end to end through createDetector and the real decoders --------------------------------------

const detector = createDetector(cfg);

test('JSON signup: body, query, cookies, headers and client address', () => {
  const r = detector.detectIngress(capture({
    target: '/signup?utm_source=x&fbclid=IwAR0abcdef&email=q%40example.com',
    headers: {
      'content-type': 'application/json; charset=utf-8', 'user-agent': 'Mozilla/5.0 (Macintosh)',
      cookie: '_fbp=fb.1.1596403881668.1116446470; session=abc', 'x-user-id': 'u-42', 'x-forwarded-for': '203.0.113.9',
      'x-tenant-contact': 'ops@tenant.example.com',
    },
    clientIp: '203.0.113.9',
    json: { user: { email: 'Jane@Example.com', firstName: 'Jane', phone: '(650) 555-1212', income: 120000, newsletter: true },
      items: [{ name: 'Shoes', qty: 2 }] },
  }));
  const got = r.values.map((t) => `${t.category} ${t.field}`).sort();
  assert.deepEqual(got, [
    'ad_click_id cookie._fbp',
    'ad_click_id query.fbclid',
    'email body.user.email',
    'email header.x-tenant-contact',
    'email query.email',
    'income body.user.income',
    'ip client.address',
    'name body.user.firstName',
    'phone body.user.phone',
    'user_agent header.user-agent',
    'user_id header.x-user-id',
  ]);
  assert.equal(r.values.find((t) => t.category === 'email' && t.field === 'query.email')?.value, 'q@example.com');
  assert.equal(r.truncated, false);
  assert.deepEqual(r.errors, []);
});

test('form body with bracket names; x-forwarded-for is not a header value', () => {
  const body = Buffer.from('customer%5Bemail%5D=a%40example.com&customer%5Bzip%5D=61348&code=61348&vorname=J%C3%BCrgen');
  const r = detector.detectIngress(capture({
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.5' },
    body: { chunks: [body], bytes: body.length, truncated: false, complete: true },
  }));
  assert.deepEqual(r.values.map((t) => [t.category, t.value]).sort(), [
    ['email', 'a@example.com'], ['name', 'Jürgen'], ['postal_code', '61348'],
  ]);
});

test('client address: private ranges tagged, loopback and unspecified skipped', () => {
  const ipOf = (clientIp: string) => detector.detectIngress(capture({ clientIp, headers: {} })).values.filter((t) => t.category === 'ip');
  assert.deepEqual(ipOf('10.1.2.3'), [{ category: 'ip', field: 'client.address', value: '10.1.2.3' }]);
  assert.equal(ipOf('::ffff:192.168.0.9').length, 1);
  assert.equal(ipOf('127.0.0.1').length, 0);
  assert.equal(ipOf('::1').length, 0);
  assert.equal(ipOf('0.0.0.0').length, 0);
  assert.equal(ipOf('not-an-ip').length, 0);
});

test('a truncated capture is reported', () => {
  const part = Buffer.from('{"email":"a@example.com","na');
  const r = detector.detectIngress(capture({ body: { chunks: [part], bytes: part.length, truncated: true, complete: true } }));
  assert.equal(r.truncated, true);
});

test('detectIngress never throws on a malformed capture', () => {
  const r = detector.detectIngress({ kind: 'ingress' } as unknown as IngressCapture);
  assert.deepEqual(r.values, []);
  const r2 = detector.detectIngress(null as unknown as IngressCapture);
  assert.deepEqual(r2.values, []);
  assert.equal(r2.errors.length, 1);
});
