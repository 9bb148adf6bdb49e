// raw-http-form.mjs: an ESM app on bare node:http takes a url-encoded sign-up and calls HubSpot
// (node-fetch), Klaviyo (superagent, md5 of the email) and Customer.io (https.request, email in
// the URL path). Without instrumentation it proves the harness; with `--import @sst/otel-auto`
// it checks collect/share, the URL scrub of §7a and the absence of context headers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { inBackground } from './harness/background';
import {
  assertCleanExit, assertCollect, assertExported, assertLinked, assertNoContextHeadersToThirdParties,
  assertNoLeaks, assertShare, type ShareExpectation,
} from './harness/contract-checks';
import type { AppResponse } from './harness/http-client';
import type { FlatSpan } from './harness/otlp-receiver';
import { runApp, type ExitInfo, type LoadMode, type RunningApp } from './harness/run-app';
import { fingerprintId, isCollect, serverSpansFor } from './harness/spans';
import { SUBSCRIBER as P, SUBSCRIBER_LEAK_PROFILE } from './people';

const HOSTS = ['a.klaviyo.com', 'api.hubapi.com', 'track.customer.io'];
const TEST_TIMEOUT = { timeout: 180_000 };
const lowerEmail = P.email.toLowerCase();

interface Outcome {
  app: RunningApp;
  subscribe: AppResponse;
  exit: ExitInfo;
  spans: FlatSpan[];
}

async function scenario(mode: LoadMode): Promise<Outcome> {
  const app = await runApp({ app: 'raw-http-form.mjs', args: mode });
  try {
    const form = new URLSearchParams({ email: P.email, name: P.name, phone: P.phone, consent: P.consent }).toString();
    const subscribe = await app.send('/subscribe', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    await new Promise((r) => setTimeout(r, 300)); // one export cycle of the batch processor
    const exit = await app.stop();
    return { app, subscribe, exit, spans: app.spans() };
  } finally {
    await app.stop();
  }
}

const runs: Record<'none' | 'import', Promise<Outcome>> = {
  none: inBackground(() => scenario('none')),
  import: inBackground(() => scenario('import')),
};

function assertGroundTruth(o: Outcome): void {
  assert.equal(o.subscribe.status, 200, o.subscribe.text);
  assert.equal(o.subscribe.text, 'ok');
  const f = o.app.fakes;
  assert.deepEqual(f.hosts(), HOSTS);
  const [hubspot] = f.forHost('api.hubapi.com');
  assert.equal(hubspot!.path, '/crm/v3/objects/contacts');
  assert.deepEqual(hubspot!.decoded.kind === 'json' && (hubspot!.decoded.value as any).properties, {
    email: P.email, firstname: P.firstName, lastname: P.lastName, hs_legal_basis: 'Freely given consent from contact',
  });
  const [klaviyo] = f.forHost('a.klaviyo.com');
  assert.equal((klaviyo!.decoded as any).value.data.attributes.external_id, createHash('md5').update(lowerEmail).digest('hex'));
  const [cio] = f.forHost('track.customer.io');
  assert.equal(cio!.method, 'GET');
  assert.equal(cio!.path, `/api/v1/customers/${encodeURIComponent(P.email)}/attributes`);
}

describe('raw-http-form without instrumentation (harness and ground truth)', () => {
  test('every partner receives exactly what the app means to send', TEST_TIMEOUT, async () => {
    assertGroundTruth(await runs.none);
  });

  test('no OTLP is exported, no context header is sent, exit 0 within 10 s', TEST_TIMEOUT, async () => {
    const o = await runs.none;
    assert.equal(o.app.receiver.payloads.length, 0);
    assertNoContextHeadersToThirdParties(o.app.fakes, []);
    assertCleanExit(o.exit);
  });
});

const SHARES: ShareExpectation[] = [
  { host: 'api.hubapi.com', vendor: 'hubspot', kind: 'crm', thirdParty: true, categories: ['email', 'name'] },
  { host: 'a.klaviyo.com', vendor: 'klaviyo', kind: 'email', thirdParty: true, categories: ['email'], transform: /md5/ },
  { host: 'track.customer.io', vendor: 'customerio', kind: 'email', thirdParty: true, categories: ['email'] },
];

describe('raw-http-form with --import @sst/otel-auto', () => {
  test('the app and its partners see the same as without instrumentation', TEST_TIMEOUT, async () => {
    assertGroundTruth(await runs.import);
  });

  test('collect: the /subscribe SERVER span carries email, name, phone and their contract fingerprints', TEST_TIMEOUT, async () => {
    const o = await runs.import;
    assertExported(o.spans);
    const [span] = serverSpansFor(o.spans, '/subscribe');
    assertCollect(span, ['email', 'name', 'phone'], [fingerprintId(lowerEmail), fingerprintId(P.phoneE164)]);
  });

  for (const exp of SHARES) {
    test(`share: ${exp.host} → ${exp.vendor}/${exp.kind} [${exp.categories.join(', ')}]`, TEST_TIMEOUT, async () => {
      assertShare((await runs.import).spans, exp);
    });
  }

  test('linked: every shared fingerprint was collected under the same category', TEST_TIMEOUT, async () => {
    const o = await runs.import;
    const collect = o.spans.filter(isCollect);
    assert.ok(collect.length > 0, 'no collect span');
    assertLinked(o.spans, collect);
  });

  test('no traceparent / tracestate / baggage reaches a third party (§7)', TEST_TIMEOUT, async () => {
    const o = await runs.import;
    assertExported(o.spans);
    assertNoContextHeadersToThirdParties(o.app.fakes, []);
  });

  test('no personal value in OTLP payloads or spool files (the Customer.io URL is scrubbed, §7a)', TEST_TIMEOUT, async () => {
    const o = await runs.import;
    assertExported(o.spans);
    assertNoLeaks(o.app, [SUBSCRIBER_LEAK_PROFILE]);
  });

  test('exits 0 within 10 s of SIGTERM', TEST_TIMEOUT, async () => {
    assertCleanExit((await runs.import).exit);
  });
});
