import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { decodeBody, decodeCookies, decodeHeaders, decodeQuery, decodeUrl } from './index';
import { base64Kind } from './nested';
import type { Leaf } from '../types';

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const byPath = (leaves: Leaf[]): Record<string, Leaf> => Object.fromEntries(leaves.map((l) => [l.path, l]));

test('JSON body: dotted paths, bracketed odd keys, array keys, numbers kept, null/bool dropped', () => {
  const r = decodeBody(json({ user: { emails: ['a@x.com'], 'weird key': 'w', age: 41, ok: true, n: null } }), 'application/json; charset=utf-8', undefined);
  assert.equal(r.kind, 'json');
  assert.deepEqual(r.leaves, [
    { path: 'body.user.emails[0]', key: 'emails', value: 'a@x.com', layers: [] },
    { path: 'body.user["weird key"]', key: 'weird key', value: 'w', layers: [] },
    { path: 'body.user.age', key: 'age', value: '41', layers: [] },
  ]);
  assert.deepEqual(decodeBody(json('just a string'), 'application/json', undefined).leaves,
    [{ path: 'body', key: '', value: 'just a string', layers: [] }]);
});

test('malformed JSON with a JSON content-type: error and one text leaf', () => {
  const r = decodeBody(Buffer.from('{"email": "a@x.com"'), 'application/json', undefined);
  assert.deepEqual(r.errors, ['malformed JSON body']);
  assert.deepEqual(r.leaves.map((l) => [l.path, l.value]), [['body', '{"email": "a@x.com"']]);
});

test('text/plain and untyped bodies that are JSON are walked as JSON; NDJSON lines are indexed', () => {
  assert.equal(decodeBody(json({ a: 'b' }), 'text/plain;charset=UTF-8', undefined).leaves[0].path, 'body.a');
  assert.equal(decodeBody(json({ a: 'b' }), undefined, undefined).kind, 'json');
  const nd = decodeBody(Buffer.from('{"event_id":"1"}\n{"type":"event"}\n{"user":{"email":"a@x.com"}}\n'), 'application/x-sentry-envelope', undefined);
  assert.equal(byPath(nd.leaves)['body[2].user.email'].value, 'a@x.com');
  assert.deepEqual(decodeBody(Buffer.from('hello there'), 'text/plain', undefined).leaves, [{ path: 'body', key: '', value: 'hello there', layers: [] }]);
  assert.equal(decodeBody(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'image/png', undefined).leaves.length, 0);
  assert.equal(decodeBody(Buffer.alloc(0), 'application/json', undefined).kind, 'empty');
});

test('gzip, deflate (zlib and raw) and br bodies are decompressed with the layer recorded', () => {
  const doc = { email: 'a@x.com' };
  for (const [enc, buf] of [
    ['gzip', zlib.gzipSync(json(doc))], ['deflate', zlib.deflateSync(json(doc))],
    ['deflate', zlib.deflateRawSync(json(doc))], ['br', zlib.brotliCompressSync(json(doc))],
  ] as const) {
    const r = decodeBody(buf, 'application/json', enc);
    assert.deepEqual(r.leaves, [{ path: 'body.email', key: 'email', value: 'a@x.com', layers: [enc] }], enc);
  }
  // gzip magic without a Content-Encoding header (PostHog sends gzip with a query flag)
  assert.deepEqual(decodeBody(zlib.gzipSync(json(doc)), 'text/plain', undefined).leaves[0].layers, ['gzip']);
  // stacked codings: listed in the order applied, undone from the last
  const stacked = zlib.brotliCompressSync(zlib.gzipSync(json(doc)));
  assert.deepEqual(decodeBody(stacked, 'application/json', 'gzip, br').leaves[0].layers, ['gzip', 'br']);
});

test('broken gzip: error, no leaves; a gzip cut at the capture limit yields its prefix', () => {
  const r = decodeBody(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'application/json', 'gzip');
  assert.deepEqual(r.errors, ['undecodable gzip body']);
  assert.equal(r.leaves.length, 0);
  const text = `email=a%40x.com&pad=${'x'.repeat(50000)}${Math.random()}`;
  const gz = zlib.gzipSync(Buffer.from(text));
  const cut = decodeBody(gz.subarray(0, gz.length - 20), 'application/x-www-form-urlencoded', 'gzip');
  assert.equal(byPath(cut.leaves)['form.email'].value, 'a@x.com');
});

test('decompression bomb is capped by maxBytes: truncated, no crash', () => {
  const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61));
  const r = decodeBody(bomb, 'text/plain', 'gzip', { maxBytes: 1024 * 1024 });
  assert.equal(r.truncated, true);
  assert.ok(r.leaves.every((l) => l.value.length <= 1024 * 1024));
});

test('urlencoded form: %40 and + decoded with the urlencoded layer; malformed % kept', () => {
  const r = decodeBody(Buffer.from('email=jane%40x.com&name=Jane+Doe&raw=abc&bad=%zz%4'), 'application/x-www-form-urlencoded', undefined);
  assert.equal(r.kind, 'form');
  assert.deepEqual(r.leaves, [
    { path: 'form.email', key: 'email', value: 'jane@x.com', layers: ['urlencoded'] },
    { path: 'form.name', key: 'name', value: 'Jane Doe', layers: ['urlencoded'] },
    { path: 'form.raw', key: 'raw', value: 'abc', layers: [] },
    { path: 'form.bad', key: 'bad', value: '%zz%4', layers: [] },
  ]);
});

test('multipart: text fields as form.<name>, file parts skipped, fields after a large file kept', () => {
  const b = 'XyZ';
  const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="email"\r\n\r\njane@x.com\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="cv"; filename="cv.txt"\r\nContent-Type: text/plain\r\n\r\n${'secret '.repeat(300000)}\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="phone"\r\n\r\n+1 650 555 1212\r\n--${b}--\r\n`);
  const r = decodeBody(body, `multipart/form-data; boundary=${b}`, undefined);
  assert.equal(r.kind, 'multipart');
  assert.deepEqual(r.leaves.map((l) => [l.path, l.value]), [['form.email', 'jane@x.com'], ['form.phone', '+1 650 555 1212']]);
  assert.deepEqual(decodeBody(body, 'multipart/form-data', undefined).leaves, []);
});

test('multipart egress: text-like file parts are read (a CSV upload), binary ones are not', () => {
  const b = 'QqQ';
  const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="list"; filename="customers.csv"\r\nContent-Type: text/csv\r\n\r\n`
    + `email,phone\njane@x.com,+1 650 555 1212\n\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG jane@x.com\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${b}--\r\n`);
  const egress = decodeBody(body, `multipart/form-data; boundary=${b}`, undefined, { nested: true });
  assert.deepEqual(egress.leaves.map((l) => [l.path, l.value]), [['form.note', 'hi'], ['form.list', 'email,phone\njane@x.com,+1 650 555 1212\n']]);
  const ingress = decodeBody(body, `multipart/form-data; boundary=${b}`, undefined);
  assert.deepEqual(ingress.leaves.map((l) => l.path), ['form.note'], 'ingress skips every file part');
});

test('decodeQuery: repeated names numbered, bracket keys, leading ?', () => {
  const r = decodeQuery('?em=a%40x.com&em=b%40x.com&ud[ct]=paris&flag&q=a+b');
  assert.deepEqual(r.leaves.map((l) => [l.path, l.key, l.value]), [
    ['query.em', 'em', 'a@x.com'], ['query.em[1]', 'em', 'b@x.com'], ['query.ud[ct]', 'ct', 'paris'], ['query.q', 'q', 'a b'],
  ]);
});

test('decodeUrl: decoded non-empty path segments, query, fragment, userinfo', () => {
  const r = decodeUrl('https://u%40x.com:pw@track.customer.io/api/v1/customers/jane%40x.com//events?id=7#a=b');
  assert.deepEqual(r.leaves.map((l) => [l.path, l.value, l.layers.join('+')]), [
    ['url.userinfo', 'u@x.com:pw', 'urlencoded'],
    ['url.path[0]', 'api', ''], ['url.path[1]', 'v1', ''], ['url.path[2]', 'customers', ''],
    ['url.path[3]', 'jane@x.com', 'urlencoded'], ['url.path[4]', 'events', ''],
    ['query.id', '7', ''], ['url.fragment', 'a=b', ''],
  ]);
  assert.equal(decodeUrl('/signup?ref=x').leaves.map((l) => l.path).join(','), 'url.path[0],query.ref');
});

test('nested (egress): Mixpanel data=<base64 JSON> query', () => {
  const data = Buffer.from(JSON.stringify({ event: 'Signed up', properties: { $email: 'jane@x.com' } })).toString('base64');
  const r = decodeUrl(`https://api.mixpanel.com/track?data=${encodeURIComponent(data)}`, { nested: true });
  const leaf = byPath(r.leaves)['query.data>body.properties.$email'];
  assert.equal(leaf.value, 'jane@x.com');
  assert.equal(leaf.key, '$email');
  assert.deepEqual(leaf.layers, data.includes('=') ? ['base64', 'urlencoded'] : ['base64']);
  // without nested, the blob stays one leaf
  assert.equal(decodeUrl(`https://x/?data=${data}`).leaves.length, 1);
});

test('nested: JSON-in-string, urlencoded string, URL string, base64url text, JWT claims', () => {
  const jwtPayload = Buffer.from(JSON.stringify({ sub: 'u1', email: 'jwt@x.com' })).toString('base64url');
  const r = decodeBody(json({
    payload: JSON.stringify({ user: { email: 'in@x.com' } }),
    form: 'email=f%40x.com&name=Jane',
    page: 'https://shop.example/thanks?email=u%40x.com',
    blob: Buffer.from('hello, this is plain text from jane').toString('base64url'),
    token: `eyJhbGciOiJIUzI1NiJ9.${jwtPayload}.c2ln`,
  }), 'application/json', undefined, { nested: true });
  const p = byPath(r.leaves);
  assert.deepEqual(p['body.payload>body.user.email'].layers, ['json-string']);
  assert.deepEqual(p['body.form>form.email'].layers, ['urlencoded']);
  assert.equal(p['body.page>query.email'].value, 'u@x.com');
  assert.deepEqual(p['body.blob>body'].layers, ['base64url']);
  assert.equal(p['body.token>body.email'].value, 'jwt@x.com');
});

test('nested: hex digests, random base64 and short strings are not expanded', () => {
  const r = decodeBody(json({
    em: '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
    rnd: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
    word: 'internationalization',
  }), 'application/json', undefined, { nested: true });
  assert.deepEqual(r.leaves.map((l) => l.path), ['body.em', 'body.rnd', 'body.word']);
});

test('nested depth, leaf and byte caps set truncated', () => {
  let s: unknown = { email: 'deep@x.com' };
  for (let i = 0; i < 5; i++) s = { inner: JSON.stringify(s) };
  const deep = decodeBody(json(s), 'application/json', undefined, { nested: true, maxDepth: 3 });
  assert.ok(!deep.leaves.some((l) => l.value === 'deep@x.com'));
  const shallow = decodeBody(json(s), 'application/json', undefined, { nested: true, maxDepth: 6 });
  assert.ok(shallow.leaves.some((l) => l.value === 'deep@x.com' && l.layers.length === 5));

  const many = decodeBody(json(Array.from({ length: 100 }, (_, i) => `v${i}`)), 'application/json', undefined, { maxLeaves: 10 });
  assert.equal(many.leaves.length, 10);
  assert.equal(many.truncated, true);

  const blob = Buffer.from(JSON.stringify({ a: 'x'.repeat(2000) })).toString('base64');
  const capped = decodeBody(json({ blob }), 'application/json', undefined, { nested: true, maxBytes: 100 });
  assert.equal(capped.truncated, true);
  assert.equal(capped.leaves.length, 1);
});

test('headers: lowercase names, allow-list, arrays; cookies with urlencoded layer', () => {
  const h = decodeHeaders({ 'X-User': 'jane', Accept: 'a/b', 'X-Multi': ['1', '2'], Empty: undefined });
  assert.deepEqual(h.map((l) => [l.path, l.value]), [['header.x-user', 'jane'], ['header.accept', 'a/b'], ['header.x-multi', '1'], ['header.x-multi', '2']]);
  assert.deepEqual(decodeHeaders({ 'X-User': 'jane', Accept: 'a/b' }, ['x-user']).map((l) => l.path), ['header.x-user']);
  assert.deepEqual(decodeCookies('_fbp=fb.1.1700000000.123; em=jane%40x.com; bad'), [
    { path: 'cookie._fbp', key: '_fbp', value: 'fb.1.1700000000.123', layers: [] },
    { path: 'cookie.em', key: 'em', value: 'jane@x.com', layers: ['urlencoded'] },
  ]);
});

test('bad input never throws', () => {
  assert.doesNotThrow(() => decodeBody(undefined as unknown as Buffer, undefined, undefined));
  assert.doesNotThrow(() => decodeBody(Buffer.from('{"a":1}'), 'application/json', 'compress'));
  assert.deepEqual(decodeBody(Buffer.from('{"a":"b"}'), 'application/json', 'compress').errors, ['unsupported content-encoding']);
  assert.doesNotThrow(() => decodeQuery(undefined as unknown as string));
  assert.doesNotThrow(() => decodeCookies(42 as unknown as string));
  const deepJson = '['.repeat(5000) + ']'.repeat(5000);
  const r = decodeBody(Buffer.from(deepJson), 'application/json', undefined);
  assert.equal(r.truncated, true);
});

test('UUIDs and dashed hex ids are ids, not base64 blobs', () => {
  assert.equal(base64Kind('7cb83d14-6041-40d0-a136-11cd8da805a3'), null);
  assert.equal(base64Kind('8c888d8d04efa5a7bab7fd9838702dc5'), null);
  // A real base64url blob still is one.
  assert.equal(base64Kind(Buffer.from('{"email":"jane@x.com"}').toString('base64url')), 'base64url');
});
