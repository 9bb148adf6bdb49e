// express-register.cjs: one sign-up fans out to nine partners through real SDKs and HTTP clients.
// Without instrumentation it proves the apps, fakes and ground truth; with
// `--require @sst/otel-auto` it checks the collect/share contract (semconv §1-§3, §6, §7).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { inBackground } from './harness/background';
import {
  assertCleanExit, assertCollect, assertExported, assertLinked, assertNoContextHeadersToThirdParties,
  assertNoLeaks, assertNotShared, assertShare, type ShareExpectation,
} from './harness/contract-checks';
import type { FakeRequest, FakeVendors } from './harness/fakes';
import type { AppResponse } from './harness/http-client';
import { SPAN_KIND, type FlatSpan } from './harness/otlp-receiver';
import { runApp, type ExitInfo, type LoadMode, type RunningApp } from './harness/run-app';
import { fingerprintId, isCollect, serverSpansFor, strings } from './harness/spans';
import { FBP_COOKIE, REGISTRANT as P, REGISTRANT_LEAK_PROFILE, registerRequest } from './people';

const FIRST_PARTY = ['accounts.internal.example'];
const NEGATIVE_HOST = 'api.exchangerate.example';
const PARTNER_HOSTS = [
  'graph.facebook.com', 'api.segment.io', 'us.i.posthog.com', 'api.sendgrid.com', 'risk.partner-example.com',
  'www.google-analytics.com', 'datamanager.googleapis.com', 'accounts.internal.example', NEGATIVE_HOST,
];
const TEST_TIMEOUT = { timeout: 180_000 };

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const lowerEmail = P.email.trim().toLowerCase();

interface Outcome {
  app: RunningApp;
  health: AppResponse;
  register: AppResponse;
  exit: ExitInfo;
  spans: FlatSpan[];
}

async function scenario(mode: LoadMode): Promise<Outcome> {
  const app = await runApp({ app: 'express-register.cjs', args: mode, config: { firstPartyHosts: FIRST_PARTY } });
  try {
    const health = await app.send('/health');
    const register = await app.send('/register', registerRequest());
    // Segment's batch goes out on the SDK's own schedule, after the response.
    await app.fakes.waitFor((rs) => PARTNER_HOSTS.every((h) => rs.some((r) => r.host === h)), 5000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300)); // one more export cycle of the batch processor
    const exit = await app.stop();
    return { app, health, register, exit, spans: app.spans() };
  } finally {
    await app.stop();
  }
}

const runs: Record<'none' | 'require', Promise<Outcome>> = {
  none: inBackground(() => scenario('none')),
  require: inBackground(() => scenario('require')),
};

function one(fakes: FakeVendors, host: string): FakeRequest {
  const found = fakes.forHost(host);
  assert.equal(found.length, 1, `${host}: expected one request, got ${found.length} (hosts seen: ${fakes.hosts().join(', ')})`);
  return found[0]!;
}

function json(rec: FakeRequest): any {
  assert.equal(rec.decoded.kind, 'json', `${rec.host}: body is ${rec.decoded.kind}, not JSON`);
  return (rec.decoded as { value: unknown }).value;
}

/** What every partner must receive: the same with and without instrumentation. */
function assertGroundTruth(o: Outcome): void {
  assert.equal(o.health.status, 200);
  assert.equal(o.health.text, 'ok');
  assert.equal(o.register.status, 200, o.register.text);
  assert.equal(JSON.parse(o.register.text).ok, true);
  assert.match(JSON.parse(o.register.text).id, /^cus_[0-9a-f]{12}$/);
  const f = o.app.fakes;
  assert.deepEqual(f.hosts(), [...PARTNER_HOSTS].sort());

  const meta = one(f, 'graph.facebook.com');
  assert.match(meta.path, /^\/v\d+\.\d+\/918273645501234\/events/);
  const ud = json(meta).data[0].user_data;
  assert.deepEqual(ud.em, [sha256(lowerEmail)]);
  assert.deepEqual(ud.ph, [sha256(P.phoneE164.slice(1))]);
  assert.deepEqual(ud.fn, [sha256('marisol')]);
  assert.deepEqual(ud.ln, [sha256('quintero')]);
  assert.deepEqual(ud.db, [sha256('19880423')]);
  assert.deepEqual(ud.ct, [sha256('santarosa')]);
  assert.deepEqual(ud.zp, [sha256(P.zip)]);
  assert.equal(ud.fbp, FBP_COOKIE);

  const segment = one(f, 'api.segment.io');
  const identify = json(segment).batch.find((e: { type: string }) => e.type === 'identify');
  assert.deepEqual(identify.traits, { email: P.email, name: `${P.firstName} ${P.lastName}`, phone: P.phoneE164 });

  const posthog = f.forHost('us.i.posthog.com');
  assert.ok(posthog.some((r) => JSON.stringify(json(r)).includes(`"distinct_id":"${P.email}"`)), 'posthog distinct_id is the email');

  const sendgrid = json(one(f, 'api.sendgrid.com'));
  assert.equal(sendgrid.personalizations[0].to[0].email, P.email);
  assert.match(sendgrid.subject, new RegExp(`\\b${P.firstName}\\b`));

  const risk = json(one(f, 'risk.partner-example.com'));
  assert.deepEqual(risk, { customer_ref: sha256(lowerEmail), income_bracket: '50k-100k', channel: 'web' });

  const ga4 = one(f, 'www.google-analytics.com');
  assert.match(ga4.path, /^\/mp\/collect\?/);
  assert.deepEqual(json(ga4).user_data, { sha256_email_address: [sha256(lowerEmail)], sha256_phone_number: [sha256(P.phoneE164)] });

  const dm = json(one(f, 'datamanager.googleapis.com'));
  assert.equal(dm.events[0].userData.userIdentifiers[0].emailAddress, createHash('sha256').update('marisolquintero@gmail.com').digest('base64'));

  const accounts = one(f, 'accounts.internal.example');
  assert.equal(accounts.scheme, 'http');
  assert.equal(json(accounts).email, P.email);

  const fx = one(f, NEGATIVE_HOST);
  assert.equal(fx.method, 'GET');
  assert.equal(fx.path, '/latest?base=EUR');
}

describe('express-register without instrumentation (harness and ground truth)', () => {
  test('every partner receives exactly what the app means to send', TEST_TIMEOUT, async () => {
    assertGroundTruth(await runs.none);
  });

  test('no OTLP is exported and no context header reaches a third party', TEST_TIMEOUT, async () => {
    const o = await runs.none;
    assert.equal(o.app.receiver.payloads.length, 0);
    assertNoContextHeadersToThirdParties(o.app.fakes, FIRST_PARTY);
  });

  test('exits 0 within 10 s of SIGTERM', TEST_TIMEOUT, async () => {
    assertCleanExit((await runs.none).exit);
  });
});

const SHARES: ShareExpectation[] = [
  // gender is left out: Meta gets sha256("f"), a one-letter code (semconv §4 low entropy)
  { host: 'graph.facebook.com', vendor: 'meta', kind: 'advertising', thirdParty: true, categories: ['email', 'phone', 'name', 'birthdate', 'city', 'postal_code', 'ad_click_id'], transform: /sha256/ },
  { host: 'api.segment.io', vendor: 'segment', kind: 'cdp', thirdParty: true, categories: ['email', 'name', 'phone'] },
  { host: 'us.i.posthog.com', vendor: 'posthog', kind: 'analytics', thirdParty: true, categories: ['email'] },
  { host: 'api.sendgrid.com', vendor: 'sendgrid', kind: 'email', thirdParty: true, categories: ['email', 'name'] },
  { host: 'www.google-analytics.com', vendor: 'ga4', kind: 'analytics', thirdParty: true, categories: ['email', 'phone'], transform: /sha256/ },
  { host: 'datamanager.googleapis.com', vendor: 'google-data-manager', kind: 'advertising', thirdParty: true, categories: ['email'], transform: /sha256\+base64/ },
  { host: 'risk.partner-example.com', vendor: 'unknown', kind: 'unknown', thirdParty: true, categories: ['email'], absent: ['income'], transform: /sha256/ },
  { host: 'accounts.internal.example', thirdParty: false, categories: ['email', 'name'] },
];

describe('express-register with --require @sst/otel-auto', () => {
  test('the app and its partners see the same as without instrumentation', TEST_TIMEOUT, async () => {
    assertGroundTruth(await runs.require);
  });

  test('collect: the /register SERVER span carries the categories and contract fingerprints', TEST_TIMEOUT, async () => {
    const o = await runs.require;
    assertExported(o.spans);
    const [span] = serverSpansFor(o.spans, '/register');
    assertCollect(
      span,
      ['email', 'phone', 'name', 'birthdate', 'gender', 'city', 'postal_code', 'income', 'ad_click_id'],
      [fingerprintId(lowerEmail), fingerprintId(P.phoneE164)],
    );
    const [health] = serverSpansFor(o.spans, '/health');
    assert.ok(health, 'no SERVER span for /health');
    // a bodiless GET carries only request metadata (the client's user agent and address)
    const healthCats = strings(health.attributes['sst.categories']);
    assert.deepEqual(healthCats.filter((c) => c !== 'user_agent' && c !== 'ip'), [], `/health reported ${JSON.stringify(healthCats)}`);
  });

  for (const exp of SHARES) {
    test(`share: ${exp.host} → ${exp.vendor ?? 'first party'}${exp.kind ? `/${exp.kind}` : ''} [${exp.categories.join(', ')}]`, TEST_TIMEOUT, async () => {
      const o = await runs.require;
      assertShare(o.spans, exp);
    });
  }

  test('share: the email leaves Meta under its collect fingerprint id (§3 variants)', TEST_TIMEOUT, async () => {
    const o = await runs.require;
    const meta = assertShare(o.spans, SHARES[0]!);
    assert.ok(meta.some((s) => (s.attributes['sst.fingerprints'] as string[] | undefined)?.includes(fingerprintId(lowerEmail))));
  });

  test('linked: every shared fingerprint was collected under the same category, also for the Segment batch sent after the response', TEST_TIMEOUT, async () => {
    const o = await runs.require;
    const collect = o.spans.filter(isCollect);
    assert.ok(collect.length > 0, 'no collect span');
    assertLinked(o.spans, collect);
  });

  test('negative: the exchange-rate call carries nothing personal and is no share', TEST_TIMEOUT, async () => {
    assertNotShared((await runs.require).spans, NEGATIVE_HOST);
  });

  test("negative: the exporter's own OTLP traffic is neither a span nor a share", TEST_TIMEOUT, async () => {
    const o = await runs.require;
    assertExported(o.spans);
    const port = String(o.app.receiver.port);
    const own = o.spans.filter((s) => s.kind === SPAN_KIND.CLIENT && (String(s.attributes['server.port'] ?? s.attributes['net.peer.port'] ?? '') === port
      || /\/v1\/traces/.test(String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? ''))));
    assert.deepEqual(own.map((s) => s.name), [], 'no CLIENT span for the OTLP export');
  });

  test('no traceparent / tracestate / baggage reaches a third party (§7)', TEST_TIMEOUT, async () => {
    const o = await runs.require;
    assertExported(o.spans);
    assertNoContextHeadersToThirdParties(o.app.fakes, FIRST_PARTY);
  });

  test('no raw value or unkeyed hash of the registrant in OTLP payloads or spool files', TEST_TIMEOUT, async () => {
    const o = await runs.require;
    assertExported(o.spans);
    assertNoLeaks(o.app, [REGISTRANT_LEAK_PROFILE]);
  });

  test('exits 0 within 10 s of SIGTERM', TEST_TIMEOUT, async () => {
    assertCleanExit((await runs.require).exit);
  });
});
