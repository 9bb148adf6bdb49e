import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCatalog, listCatalog, looksLikeLlmRequest, DESTINATION_KINDS } from './catalog';

const catalog = createCatalog({ firstPartyHosts: ['*.internal.example', 'metrics.example.com'] });

function expect(host: string, path: string | undefined, vendor: string, kind: string, catalogKind?: string): void {
  const d = catalog.classify(host, path);
  assert.equal(d.vendor, vendor, `${host}${path ?? ''} vendor`);
  assert.equal(d.kind, kind, `${host}${path ?? ''} kind`);
  if (catalogKind) assert.equal(d.catalogKind, catalogKind, `${host}${path ?? ''} catalogKind`);
  assert.equal(d.thirdParty, true);
}

test('the built-in catalog has no compile errors and the re-exports work', () => {
  assert.deepEqual(catalog.errors, []);
  assert.ok(listCatalog().length > 0);
  assert.equal(typeof looksLikeLlmRequest, 'function');
  assert.ok(DESTINATION_KINDS.includes('internal'));
});

test('advertising hosts, with path hints choosing the product', () => {
  expect('graph.facebook.com', '/v21.0/123/events', 'meta', 'advertising', 'ads_capi');
  expect('graph.facebook.com', '/v21.0/123/events?access_token=x', 'meta', 'advertising', 'ads_capi');
  expect('graph.facebook.com', '/v21.0/act_42/customaudiences', 'meta', 'advertising', 'ads_audience');
  expect('graph.facebook.com', '/v21.0/6123/users', 'meta', 'advertising', 'ads_audience');
  expect('graph.facebook.com', undefined, 'meta', 'advertising', 'ads_capi');
  expect('googleads.googleapis.com', '/v17/customers/123:uploadClickConversions', 'google-ads', 'advertising', 'ads_capi');
  expect('googleads.googleapis.com', '/v17/customers/123/offlineUserDataJobs/9:addOperations', 'google-ads', 'advertising', 'ads_audience');
  expect('www.google.com', '/ads/event/api/v1', 'google-ads', 'advertising', 'ads_capi');
  expect('datamanager.googleapis.com', undefined, 'google-data-manager', 'advertising');
  expect('datamanager.googleapis.com', '/v1/events:ingest', 'google-data-manager', 'advertising', 'ads_capi');
  expect('datamanager.googleapis.com', '/v1/audienceMembers:ingest', 'google-data-manager', 'advertising', 'ads_audience');
  expect('dfareporting.googleapis.com', '/dfareporting/v4/userprofiles/1/conversions/batchinsert', 'google-cm360', 'advertising');
  expect('displayvideo.googleapis.com', undefined, 'google-dv360', 'advertising', 'ads_audience');
  expect('business-api.tiktok.com', '/open_api/v1.3/event/track/', 'tiktok', 'advertising', 'ads_capi');
  expect('tr.snapchat.com', '/v3/abc/events', 'snap', 'advertising', 'ads_capi');
  expect('adsapi.snapchat.com', '/v1/segments/1/users', 'snap', 'advertising', 'ads_audience');
  expect('api.linkedin.com', '/rest/conversionEvents', 'linkedin', 'advertising', 'ads_capi');
  expect('api.linkedin.com', '/rest/dmpSegments/1/users', 'linkedin', 'advertising', 'ads_audience');
  expect('api.pinterest.com', '/v5/ad_accounts/1/events', 'pinterest', 'advertising');
  expect('ads-api.reddit.com', '/api/v2.0/conversions/events/t2_x', 'reddit', 'advertising');
  expect('capi.uet.microsoft.com', '/v1/123/events', 'microsoft-ads', 'advertising');
  expect('advertising-api-eu.amazon.com', undefined, 'amazon-ads', 'advertising');
  expect('ads.nextdoor.com', '/v2/api/conversions/track', 'nextdoor', 'advertising');
  expect('api.thetradedesk.com', '/v3/crmdata', 'the-trade-desk', 'advertising', 'ads_audience');
  expect('t.vibe.co', undefined, 'vibe', 'advertising');
});

test('www.google.com outside the ads path is not Google Ads', () => {
  expect('www.google.com', '/recaptcha/api/siteverify', 'unknown', 'unknown');
  expect('www.google.com', undefined, 'unknown', 'unknown');
});

test('cdp, analytics, crm, email, sms, payments, support', () => {
  expect('www.google-analytics.com', '/mp/collect', 'ga4', 'analytics');
  expect('region1.google-analytics.com', '/mp/collect', 'ga4', 'analytics');
  expect('api.segment.io', '/v1/batch', 'segment', 'cdp');
  expect('events.eu1.segmentapis.com', undefined, 'segment', 'cdp');
  expect('inbound.mparticle.com', '/s2s/v2/events', 'mparticle', 'cdp');
  expect('api-eu.mixpanel.com', '/track', 'mixpanel', 'analytics');
  expect('api2.amplitude.com', '/2/httpapi', 'amplitude', 'analytics');
  expect('us.i.posthog.com', '/batch/', 'posthog', 'analytics');
  expect('heapanalytics.com', '/api/track', 'heap', 'analytics');
  expect('a.klaviyo.com', '/api/profiles', 'klaviyo', 'email', 'email_crm');
  expect('api.hubapi.com', '/crm/v3/objects/contacts', 'hubspot', 'crm');
  expect('api.intercom.io', '/contacts', 'intercom', 'crm');
  expect('track.customer.io', undefined, 'customerio', 'email', 'email_crm');
  expect('rest.iad-01.braze.com', '/users/track', 'braze', 'email', 'email_crm');
  expect('rest.fra-02.braze.eu', undefined, 'braze', 'email');
  expect('api.iterable.com', '/api/users/update', 'iterable', 'email');
  expect('api.sendgrid.com', '/v3/mail/send', 'sendgrid', 'email', 'email');
  expect('api.eu.mailgun.net', undefined, 'mailgun', 'email');
  expect('api.postmarkapp.com', undefined, 'postmark', 'email');
  expect('api.resend.com', undefined, 'resend', 'email');
  expect('email.eu-west-1.amazonaws.com', '/v2/email/outbound-emails', 'aws-ses', 'email');
  expect('api.twilio.com', '/2010-04-01/Accounts/AC1/Messages.json', 'twilio', 'sms', 'sms');
  expect('api.attentivemobile.com', undefined, 'attentive', 'sms', 'sms_crm');
  expect('acme.my.salesforce.com', undefined, 'salesforce', 'crm');
  expect('123-abc-456.mktorest.com', undefined, 'marketo', 'crm');
  expect('api.stripe.com', '/v1/customers', 'stripe', 'payments');
  expect('api-m.sandbox.paypal.com', undefined, 'paypal', 'payments');
  expect('checkout-test.adyen.com', undefined, 'adyen', 'payments');
  expect('1797a841fbb37ca7-acme-checkout-live.adyenpayments.com', undefined, 'adyen', 'payments');
  expect('acme.zendesk.com', '/api/v2/tickets', 'zendesk', 'support');
  expect('acme.freshdesk.com', undefined, 'freshdesk', 'support');
});

test('llm and observability hosts', () => {
  expect('api.openai.com', '/v1/chat/completions', 'openai', 'llm', 'llm');
  expect('api.anthropic.com', '/v1/messages', 'anthropic', 'llm');
  expect('api.groq.com', undefined, 'groq', 'llm');
  expect('openrouter.ai', '/api/v1/chat/completions', 'openrouter', 'llm');
  expect('generativelanguage.googleapis.com', undefined, 'google-gemini', 'llm');
  expect('us-central1-aiplatform.googleapis.com', undefined, 'google-vertex', 'llm');
  expect('api.mistral.ai', undefined, 'mistral', 'llm');
  expect('api.cohere.com', undefined, 'cohere', 'llm');
  expect('api.together.xyz', undefined, 'together', 'llm');
  expect('api.deepseek.com', undefined, 'deepseek', 'llm');
  expect('api.x.ai', undefined, 'xai', 'llm');
  expect('foo.openai.azure.com', '/openai/deployments/x/chat/completions', 'azure-openai', 'llm');
  expect('bedrock-runtime.us-east-1.amazonaws.com', '/model/x/converse', 'aws-bedrock', 'llm');
  expect('gateway.ai.cloudflare.com', undefined, 'cloudflare-ai-gateway', 'llm');
  expect('api.redactpii.com', '/v1/events', 'redactpii', 'observability', 'pii_tooling');
  expect('o123.ingest.sentry.io', undefined, 'sentry', 'observability');
  expect('o123.ingest.us.sentry.io', undefined, 'sentry', 'observability');
  expect('http-intake.logs.datadoghq.com', undefined, 'datadog', 'observability');
});

test('host matching ignores case, a trailing dot and the port; the bare suffix is not matched', () => {
  const d = catalog.classify('API.OpenAI.COM.:443', '/v1/responses');
  assert.equal(d.vendor, 'openai');
  assert.equal(d.host, 'api.openai.com');
  expect('zendesk.com', undefined, 'unknown', 'unknown');
  expect('email.amazonaws.com', undefined, 'unknown', 'unknown');
  expect('s3.us-east-1.amazonaws.com', undefined, 'unknown', 'unknown');
});

test('unknown hosts are unknown and third party', () => {
  const d = catalog.classify('intake.leadforge.example', '/leads');
  assert.deepEqual({ ...d }, { host: 'intake.leadforge.example', vendor: 'unknown', kind: 'unknown', thirdParty: true });
  assert.equal(catalog.classify('').vendor, 'unknown');
  assert.equal(catalog.classify(undefined as unknown as string).vendor, 'unknown');
});

test('first party: configured globs, localhost, loopback, serviceDomain', () => {
  const acc = catalog.classify('accounts.internal.example', '/v1/accounts');
  assert.deepEqual({ ...acc }, { host: 'accounts.internal.example', vendor: 'internal', kind: 'internal', thirdParty: false });
  assert.equal(catalog.isFirstParty('metrics.example.com'), true);
  assert.equal(catalog.isFirstParty('internal.example'), false, '*.x does not match x');
  for (const h of ['localhost', 'localhost:3000', 'api.localhost', '127.0.0.1', '127.0.0.5', '[::1]:8080']) {
    const d = catalog.classify(h);
    assert.equal(d.thirdParty, false, h);
    assert.equal(d.kind, 'internal', h);
    assert.equal(catalog.isFirstParty(h), true, h);
  }
  assert.equal(catalog.isFirstParty('api.segment.io'), false);
  assert.equal(catalog.isFirstParty('10.0.0.1'), false);

  const svc = createCatalog({ firstPartyHosts: [], serviceDomain: 'Shop.Example' });
  assert.equal(svc.isFirstParty('shop.example'), true);
  assert.equal(svc.isFirstParty('api.shop.example'), true);
  assert.equal(svc.isFirstParty('othershop.example'), false);
  assert.equal(svc.classify('api.shop.example').kind, 'internal');
});

test('a first-party host that a catalog entry names keeps the vendor but is not third party', () => {
  const c = createCatalog({
    firstPartyHosts: ['metrics.example.com'],
    destinations: [{ hosts: ['metrics.example.com'], vendor: 'sgtm', kind: 'advertising' }],
  });
  const d = c.classify('metrics.example.com', '/g/collect');
  assert.equal(d.vendor, 'sgtm');
  assert.equal(d.kind, 'advertising');
  assert.equal(d.thirdParty, false);
});

test('config destinations are checked before the built-in catalog', () => {
  const c = createCatalog({
    firstPartyHosts: [],
    destinations: [
      { hosts: ['api.segment.io'], path: '^/v1/identify', vendor: 'segment-identify', kind: 'crm', catalogKind: 'crm' },
      { hosts: ['*.leadforge.example'], vendor: 'leadforge', kind: 'crm' },
    ],
  });
  assert.equal(c.classify('api.segment.io', '/v1/identify').vendor, 'segment-identify');
  assert.equal(c.classify('api.segment.io', '/v1/identify').catalogKind, 'crm');
  assert.equal(c.classify('api.segment.io', '/v1/track').vendor, 'segment', 'path miss falls through to the built-in entry');
  assert.equal(c.classify('intake.leadforge.example').vendor, 'leadforge');
  assert.deepEqual(c.errors, []);
});

test('bad config destinations and globs are skipped and reported, not thrown', () => {
  const c = createCatalog({
    firstPartyHosts: ['bad host'],
    ignoredHosts: ['*'],
    destinations: [
      { hosts: ['ok.example', 'bad host'], vendor: 'x', kind: 'crm' },
      { hosts: ['y.example'], path: '(', vendor: 'y', kind: 'crm' },
    ],
  });
  assert.equal(c.errors.length, 4);
  assert.match(c.errors[0]!, /^destinations\[0\] key "hosts\[1\]"/);
  assert.match(c.errors[1]!, /^destinations\[1\] key "path"/);
  assert.match(c.errors[2]!, /^firstPartyHosts\[0\]/);
  assert.match(c.errors[3]!, /^ignoredHosts\[0\]/);
  assert.equal(c.classify('ok.example').vendor, 'unknown');
});

test('ignored hosts', () => {
  const c = createCatalog({ firstPartyHosts: [], ignoredHosts: ['logs.example.net', '*.shipper.example'] });
  assert.equal(c.isIgnored('LOGS.example.net:9000'), true);
  assert.equal(c.isIgnored('eu.shipper.example'), true);
  assert.equal(c.isIgnored('shipper.example'), false);
  assert.equal(c.isIgnored('api.segment.io'), false);
});

test('classify answers from the cache with the same frozen object, and the cache is bounded', () => {
  const c = createCatalog({ firstPartyHosts: [], cacheSize: 3 });
  const a = c.classify('api.segment.io', '/v1/track');
  assert.equal(c.classify('api.segment.io', '/v1/batch'), a);
  assert.ok(Object.isFrozen(a));
  const meta1 = c.classify('graph.facebook.com', '/v21.0/1/events');
  assert.equal(c.classify('graph.facebook.com', '/v21.0/2/events'), meta1);
  for (let i = 0; i < 50; i++) c.classify(`h${i}.example`);
  // evicted entries are rebuilt with equal content
  assert.deepEqual({ ...c.classify('api.segment.io') }, { ...a });
  assert.notEqual(c.classify('api.segment.io'), undefined);
});

test('classify accepts a full URL as the path', () => {
  assert.equal(catalog.classify('graph.facebook.com', 'https://graph.facebook.com/v21.0/act_1/customaudiences?x=1').catalogKind, 'ads_audience');
});
