// The whole pipeline in one process through the programmatic API: a real node:http server receives
// personal data, calls (loopback) vendors with fetch and http.request, and the spans that reach
// an in-memory exporter carry the contract's collect and share attributes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resolveVendorsToLoopback } from './loopback-dns';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { start, type SstHandle } from '../instrumentation/api';

const exporter = new InMemorySpanExporter();
let handle: SstHandle | undefined;
let http: typeof import('node:http');
let appPort = 0;
let vendorPort = 0;
const received: Array<{ host: string; path: string; headers: Record<string, unknown>; body: string }> = [];
const servers: import('node:http').Server[] = [];

// Vendor hostnames resolve to loopback in this process only; the host name is what classifies them.
let restoreDns: () => void = () => undefined;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const EMAIL = 'Jane.Doe+news@Gmail.com';
const PHONE = '+1 (650) 555-1212';

before(async () => {
  restoreDns = resolveVendorsToLoopback();
  handle = start({
    config: { firstPartyHosts: ['accounts.internal.example'], defaultPhoneRegion: 'US' },
    env: { SST_FINGERPRINT_KEY: 'pipeline-test-key-0123456789', OTEL_TRACES_EXPORTER: 'none' },
    exportProcessors: [new SimpleSpanProcessor(exporter)],
    handleExit: false,
    esmHooks: false,
  });
  assert.ok(handle, 'the distribution started');
  http = require('node:http');

  const vendor = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ host: String(req.headers.host).replace(/:\d+$/, ''), path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
  vendorPort = (vendor.address() as AddressInfo).port;
  servers.push(vendor);

  const app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const em = body.email.trim().toLowerCase();
      // Meta-style: sha256 of the normalized email with the param-builder appendix, phone digits hashed.
      await fetch(`http://graph.facebook.com:${vendorPort}/v21.0/123/events`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: [{ event_name: 'Lead', user_data: { em: [sha256(em) + '.AQQCAQMC'], ph: [sha256('16505551212')] } }] }),
      });
      // Unknown partner over http.request with a plain sha256 of the email.
      await new Promise<void>((resolve, reject) => {
        const r = http.request({ host: 'risk.partner-example.com', port: vendorPort, path: '/v2/score', method: 'POST', headers: { 'content-type': 'application/json' } }, (resp) => { resp.resume(); resp.on('end', resolve); });
        r.on('error', reject);
        r.end(JSON.stringify({ applicant: { email_sha256: sha256(em), band: '75k-100k' } }));
      });
      // First party: plain email to our own accounts service.
      await fetch(`http://accounts.internal.example:${vendorPort}/v1/profiles`, { method: 'POST', body: JSON.stringify({ email: em }) });
      // A vendor call without personal data.
      await fetch(`http://api.exchangerate.example:${vendorPort}/latest?base=EUR`);
      // Low-entropy values alone (the person's city and gender, no identifier): not a share.
      await fetch(`http://api.weather.example:${vendorPort}/v1/forecast`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ city: body.city, gender: 'f', country: 'us', zip: body.zip }),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appPort = (app.address() as AddressInfo).port;
  servers.push(app);
});

after(async () => {
  for (const s of servers) s.close();
  await handle?.shutdown();
  restoreDns();
});

async function spansAfterRegistration(): Promise<ReadableSpan[]> {
  const res = await fetch(`http://127.0.0.1:${appPort}/register?ref=newsletter`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, phone: PHONE, firstName: 'Jane', lastName: 'Doe', birthdate: '1990-01-15', city: 'Springfield', zip: '62704', gender: 'female' }),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true });
  await handle!.forceFlush();
  await new Promise((r) => setTimeout(r, 50));
  await handle!.forceFlush();
  return exporter.getFinishedSpans();
}

test('collect span tags the request and share spans carry the same fingerprints', async () => {
  const spans = await spansAfterRegistration();
  // The loopback vendor runs in this process too: pick the app's own SERVER span.
  const server = spans.find((s) => s.kind === SpanKind.SERVER && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').startsWith('/register'));
  assert.ok(server, 'a collect span');
  const cats = server.attributes['sst.categories'] as string[];
  for (const c of ['email', 'phone', 'name', 'birthdate']) assert.ok(cats.includes(c), `collect has ${c}: ${cats}`);
  const tagEvents = server.events.filter((e) => e.name === 'sst.tag');
  const emailFp = tagEvents.find((e) => e.attributes?.['sst.category'] === 'email')?.attributes?.['sst.fingerprint'];
  assert.equal(typeof emailFp, 'string');
  assert.equal((emailFp as string).length, 22);

  const shares = spans.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['sst.flow'] === 'share');
  const meta = shares.find((s) => s.attributes['sst.destination.host'] === 'graph.facebook.com');
  assert.ok(meta, 'share to Meta');
  assert.equal(meta.attributes['sst.destination.vendor'], 'meta');
  assert.equal(meta.attributes['sst.destination.kind'], 'advertising');
  assert.equal(meta.attributes['sst.destination.third_party'], true);
  assert.deepEqual([...(meta.attributes['sst.categories'] as string[])].sort(), ['email', 'phone']);
  assert.ok((meta.attributes['sst.fingerprints'] as string[]).includes(emailFp as string), 'same email fingerprint as collect');
  assert.ok((meta.attributes['sst.transforms'] as string[]).some((t) => t.includes('sha256')));

  const risk = shares.find((s) => s.attributes['sst.destination.host'] === 'risk.partner-example.com');
  assert.ok(risk, 'share to the unknown partner over http.request');
  assert.equal(risk.attributes['sst.destination.vendor'], 'unknown');
  assert.deepEqual(risk.attributes['sst.categories'], ['email']);

  const internal = shares.find((s) => s.attributes['sst.destination.host'] === 'accounts.internal.example');
  assert.ok(internal, 'first-party flow is reported');
  assert.equal(internal.attributes['sst.destination.third_party'], false);

  const fx = spans.find((s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '').includes('exchangerate'));
  assert.ok(fx, 'the exchange-rate call has a span');
  assert.equal(Object.keys(fx.attributes).some((k) => k.startsWith('sst.')), false, 'no sst.* on a call without personal data');

  const weather = spans.find((s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '').includes('weather'));
  assert.ok(weather, 'the weather call has a span');
  assert.equal(weather.attributes['sst.flow'], undefined, 'city, gender, country and zip alone are no share');
  assert.ok(cats.includes('city') && cats.includes('postal_code') && cats.includes('gender'), 'they were collected though');
});

test('trace context goes to first-party hosts only', () => {
  const byHost = new Map(received.map((r) => [r.host, r]));
  assert.ok(byHost.get('accounts.internal.example')?.headers['traceparent'], 'first party gets traceparent');
  assert.match(String(byHost.get('accounts.internal.example')?.headers['baggage'] ?? ''), /sst\.fp=/);
  for (const h of ['graph.facebook.com', 'risk.partner-example.com', 'api.exchangerate.example']) {
    const r = byHost.get(h);
    assert.ok(r, `${h} was called`);
    assert.equal(r.headers['traceparent'], undefined, `${h} got no traceparent`);
    assert.equal(r.headers['baggage'], undefined, `${h} got no baggage`);
  }
});

test('an error copied into the span status is scrubbed like exception.message', async () => {
  // The email is registered by the sign-up of the first test; a driver quotes it in its error.
  const span = trace.getTracer('driver-under-test').startSpan('SELECT users', { kind: SpanKind.CLIENT });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `invalid input syntax for type integer: "${EMAIL}"` });
  span.end();
  await handle!.forceFlush();
  const out = exporter.getFinishedSpans().find((s) => s.instrumentationScope.name === 'driver-under-test');
  assert.ok(out, 'the span was exported');
  assert.equal(out.status.code, SpanStatusCode.ERROR);
  assert.match(out.status.message ?? '', /^invalid input syntax for type integer: "\[sst:email:[A-Za-z0-9_-]{22}\]"$/);
});

test('no raw value or unkeyed hash reaches the exported spans', () => {
  const text = JSON.stringify(exporter.getFinishedSpans().map((s) => ({ a: s.attributes, e: s.events, n: s.name, st: s.status })));
  const em = EMAIL.trim().toLowerCase();
  for (const needle of [EMAIL, em, encodeURIComponent(em), '16505551212', '+16505551212', sha256(em), sha256('16505551212'), 'Jane', '1990-01-15']) {
    assert.equal(text.includes(needle), false, `exported spans contain a protected value (${needle.length} chars)`);
  }
});
