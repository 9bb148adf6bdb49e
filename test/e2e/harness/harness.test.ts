// Checks of the harness itself: if these fail, the e2e results mean nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeCerts } from './certs';
import { FakeVendors } from './fakes';
import { FIRST_PARTY_HOSTS, VENDOR_HOSTS } from './hosts';
import { findLeaks, leakNeedles } from './leak-check';
import { flattenTraces, OtlpReceiver, SPAN_KIND } from './otlp-receiver';
import { DNS_PRELOAD, projectRoot } from './project';
import { fingerprintId, hostOf } from './spans';

describe('dns-to-fakes preload', () => {
  test('sends vendor hosts to SST_TEST_FAKE_ADDR and leaves localhost and IP literals alone', () => {
    const script = `
      const dns = require('node:dns');
      const out = {};
      dns.lookup('graph.facebook.com', (e, a, f) => {
        out.cb = [a, f];
        dns.lookup('api.segment.io', { all: true }, (e2, list) => {
          out.all = list;
          dns.lookup('127.0.0.9', (e3, a3) => {
            out.ip = a3;
            dns.lookup('localhost', { family: 4 }, (e4, a4) => {
              out.localhost = a4;
              dns.promises.lookup('us.i.posthog.com').then((r) => {
                out.promise = r;
                return require('node:dns/promises').lookup('a.klaviyo.com', { all: true });
              }).then((r) => { out.promiseAll = r; console.log(JSON.stringify(out)); });
            });
          });
        });
      });`;
    const stdout = execFileSync(process.execPath, ['--require', DNS_PRELOAD, '-e', script], {
      env: { PATH: process.env.PATH ?? '', SST_TEST_FAKE_ADDR: '127.0.77.88' },
      encoding: 'utf8',
    });
    const out = JSON.parse(stdout);
    assert.deepEqual(out.cb, ['127.0.77.88', 4]);
    assert.deepEqual(out.all, [{ address: '127.0.77.88', family: 4 }]);
    assert.equal(out.ip, '127.0.0.9');
    assert.equal(out.localhost, '127.0.0.1');
    assert.deepEqual(out.promise, { address: '127.0.77.88', family: 4 });
    assert.deepEqual(out.promiseAll, [{ address: '127.0.77.88', family: 4 }]);
  });
});

describe('fakes', () => {
  const certs = makeCerts([...VENDOR_HOSTS, ...FIRST_PARTY_HOSTS]);
  const fakes = new FakeVendors(certs);
  before(() => fakes.start());
  after(() => fakes.stop());

  function post(host: string, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: fakes.address, servername: host, path, method: 'POST',
        headers: { ...headers, host, 'content-length': String(body.length) },
        ca: require('node:fs').readFileSync(certs.caFile),
        agent: false,
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('listens on a random 127.0.x.y, not on the addresses the conformance kit uses', () => {
    assert.match(fakes.address, /^127\.0\.\d+\.\d+$/);
    const [, , x, y] = fakes.address.split('.').map(Number);
    assert.ok(x! >= 10 && x! <= 250 && y! >= 10 && y! <= 250, fakes.address);
  });

  test('serves TLS for vendor hosts, records gzip JSON decoded, answers like the vendor', async () => {
    const json = Buffer.from(JSON.stringify({ batch: [{ distinct_id: 'x' }] }));
    const res = await post('us.i.posthog.com', '/batch/', gzipSync(json), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 1 });
    const rec = fakes.forHost('us.i.posthog.com').at(-1)!;
    assert.equal(rec.method, 'POST');
    assert.equal(rec.path, '/batch/');
    assert.equal(rec.scheme, 'https');
    assert.deepEqual(rec.decoded, { kind: 'json', value: { batch: [{ distinct_id: 'x' }] } });
    assert.deepEqual([...rec.rawBody.subarray(0, 2)], [0x1f, 0x8b], 'the raw body is kept as sent (gzip)');
  });

  test('decodes forms and answers SendGrid with 202 and Meta with events_received', async () => {
    const sg = await post('api.sendgrid.com', '/v3/mail/send', Buffer.from('{}'), { 'content-type': 'application/json' });
    assert.equal(sg.status, 202);
    assert.equal(sg.body, '');
    const meta = await post('graph.facebook.com', '/v21.0/1/events', Buffer.from('data=%5B%5D&access_token=t'), { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(JSON.parse(meta.body).events_received, 1);
    const rec = fakes.forHost('graph.facebook.com').at(-1)!;
    assert.deepEqual(rec.decoded, { kind: 'form', value: { data: '[]', access_token: 't' } });
  });
});

describe('OTLP receiver', () => {
  const receiver = new OtlpReceiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  test('keeps the raw payload and flattens spans, attributes and events', async () => {
    const payload = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{
          scope: { name: 'sst', version: '1' },
          spans: [{
            traceId: 'aa', spanId: 'bb', parentSpanId: '', name: 'POST', kind: 3,
            attributes: [
              { key: 'sst.categories', value: { arrayValue: { values: [{ stringValue: 'email' }, { stringValue: 'phone' }] } } },
              { key: 'sst.destination.third_party', value: { boolValue: false } },
              { key: 'sst.match.count', value: { intValue: '2' } },
              { key: 'server.address', value: { stringValue: 'API.Segment.io' } },
            ],
            events: [{ name: 'sst.match', attributes: [{ key: 'sst.category', value: { stringValue: 'email' } }] }],
          }],
        }],
      }],
    };
    const res = await fetch(`${receiver.endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    assert.equal(res.status, 200);
    assert.equal(receiver.payloads.length, 1);
    assert.match(receiver.payloads[0]!.text, /sst\.categories/);
    const [span] = receiver.spans();
    assert.equal(span!.kind, SPAN_KIND.CLIENT);
    assert.deepEqual(span!.attributes['sst.categories'], ['email', 'phone']);
    assert.equal(span!.attributes['sst.destination.third_party'], false);
    assert.equal(span!.attributes['sst.match.count'], 2);
    assert.deepEqual(span!.events, [{ name: 'sst.match', attributes: { 'sst.category': 'email' } }]);
    assert.deepEqual(span!.resource, { 'service.name': 'svc' });
    assert.deepEqual(span!.scope, { name: 'sst', version: '1' });
    assert.equal(hostOf(span!), 'api.segment.io');
  });

  test('flattenTraces maps string span kinds and tolerates junk', () => {
    assert.deepEqual(flattenTraces(null), []);
    const spans = flattenTraces({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x', kind: 'SPAN_KIND_SERVER' }] }] }] });
    assert.equal(spans[0]!.kind, SPAN_KIND.SERVER);
  });
});

describe('leak checker', () => {
  const person = { email: 'Marisol.Quintero@Gmail.com', phone: '(415) 555-0148', phoneE164: '+14155550148', firstName: 'Marisol', lastName: 'Quintero', birthdate: '1988-04-23', other: { zip: '95404' } };
  const needles = leakNeedles([person]);
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

  test('finds plain, normalized, hashed and encoded forms', () => {
    // (forms that are equal ignoring case are one needle, reported under the first form's name)
    const cases: [string, string, RegExp][] = [
      ['{"v":"marisol.quintero@gmail.com"}', 'email', /^(as typed|trim\+lower)$/],
      [`{"v":"${sha('marisol.quintero@gmail.com').toUpperCase()}"}`, 'email', /^sha256\(trim\+lower\)$/],
      [`x=${createHash('sha256').update('marisolquintero@gmail.com').digest('base64')}`, 'email', /^base64\(sha256\(dots\+tag removed\)\)$/],
      ['/customers/Marisol.Quintero%40Gmail.com/attributes', 'email', /^urlencoded\(as typed\)$/],
      ['"ph":"14155550148"', 'phone', /^digits with country code$/],
      [`"h":"${createHash('md5').update('+14155550148').digest('hex')}"`, 'phone', /^md5\(E\.164\)$/],
      ['Hello QUINTERO,', 'name', /^as typed$/],
      ['dob=19880423;', 'birthdate', /^YYYYMMDD$/],
      ['"zip":"95404"', 'zip', /^as typed$/],
    ];
    cases.forEach(([text, label, form], i) => {
      const hits = findLeaks(needles, [{ name: 's', text }]);
      assert.ok(hits.some((h) => h.label === label && form.test(h.form)), `case ${i}: ${label} ${form} not found; got ${hits.map((h) => h.form).join('|')}`);
    });
  });

  test('respects word and number boundaries and reports no raw values', () => {
    const clean = [
      '{"traceId":"a14155550148b","start":"1732611045123954040","name":"Marisolx"}',
      '"sst.fingerprints":["' + fingerprintId('marisol.quintero@gmail.com') + '"]',
    ].join('\n');
    assert.deepEqual(findLeaks(needles, [{ name: 'clean', text: clean }]), []);
    const hits = findLeaks(needles, [{ name: 'otlp#1', text: 'user Marisol.Quintero@Gmail.com' }]);
    assert.ok(hits.length > 0);
    assert.ok(!JSON.stringify(hits).toLowerCase().includes('quintero'));
  });
});

describe('project', () => {
  test('finds the package root that the apps import as @sst/otel-auto', () => {
    const root = projectRoot();
    assert.equal(JSON.parse(require('node:fs').readFileSync(`${root}/package.json`, 'utf8')).name, '@sst/otel-auto');
  });

  test('fingerprintId follows semconv §3 (base64url HMAC-SHA256, 22 chars)', () => {
    const id = fingerprintId('person@example.com', 'k'.repeat(16));
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(id, fingerprintId('person@example.com', 'j'.repeat(16)));
  });
});
