// Cases whose egress bytes come from the vendors' own npm SDKs (and common HTTP clients), recorded
// against the loopback fake. The labels say what the app handed to the SDK; the SDK decides the
// wire format (hashing, batching, gzip), which is exactly what the matcher must see through.
import type { Field } from './ingress';
import type { Recorded, LoopbackVendors } from './loopback';
import * as n from './norm';
import type { Person } from './people';
import type { Rng } from './prng';
import { Shares, nowSec } from './spec';

export interface SdkSpec {
  vendor: string;
  vendorKind: string;
  source: string;
  request: Recorded;
  wants: Field[];
  shares: Shares;
  note?: string;
}

export const SDK_HOSTS = ['graph.facebook.com', 'api.segment.io', 'us.i.posthog.com', 'api.sendgrid.com', 'ct.pinterest.com', 'api.hubapi.com', 'yourshop.zendesk.com', 'api.twilio.com'];

/* eslint-disable @typescript-eslint/no-require-imports */
function only(recs: Recorded[], pred: (r: Recorded) => boolean, what: string): Recorded {
  const r = recs.find(pred);
  if (!r) throw new Error(`the ${what} SDK sent no matching request (got ${recs.map((x) => x.url.split('?')[0]).join(', ') || 'nothing'})`);
  return r;
}

async function metaSdk(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const biz = require('facebook-nodejs-business-sdk');
  const token = `EAAB${rng.alnum(40)}`;
  biz.FacebookAdsApi.init(token);
  const full = rng.chance(0.6);
  const ud = new biz.UserData().setEmails([p.email]).setPhones([rng.chance(0.5) ? p.phoneE164 : p.phone]).setFirstName(p.first).setLastName(p.last)
    .setClientIpAddress(p.ip).setClientUserAgent('Mozilla/5.0 (X11; Linux x86_64)').setFbp(p.fbp).setExternalId(p.userId);
  const s = new Shares().add('email', 'data[0].user_data.em[0]', 'sha256').add('phone', 'data[0].user_data.ph[0]', 'sha256')
    .add('name', 'data[0].user_data.fn', 'sha256').add('ip', 'data[0].user_data.client_ip_address', 'plain')
    .add('ad_click_id', 'data[0].user_data.fbp', 'plain').add('user_id', 'data[0].user_data.external_id', 'plain');
  const wants: Field[] = ['email', 'phone', 'first', 'last', 'ip', 'fbp', 'userId'];
  if (full) {
    ud.setDateOfBirth(n.dobCompact(p)).setGender(n.genderLetter(p)).setCity(p.place.city).setZip(p.place.postal).setCountry(n.countryLower(p));
    s.add('birthdate', 'data[0].user_data.db', 'sha256').add('gender', 'data[0].user_data.ge', 'sha256').add('city', 'data[0].user_data.ct', 'sha256')
      .add('postal_code', 'data[0].user_data.zp', 'sha256').add('country', 'data[0].user_data.country', 'sha256');
    wants.push('dob', 'gender', 'city', 'postal', 'country');
  }
  const ev = new biz.ServerEvent().setEventName('Purchase').setEventTime(nowSec).setUserData(ud)
    .setCustomData(new biz.CustomData().setCurrency('eur').setValue(rng.int(10, 300))).setEventSourceUrl('https://shop.example/checkout').setActionSource('website');
  const recs = await fake.capture(() => new biz.EventRequest(token, rng.digits(15)).setEvents([ev]).execute());
  return { vendor: 'meta', vendorKind: 'ads_capi', source: 'sdk:facebook-nodejs-business-sdk', request: only(recs, (r) => r.url.includes('/events'), 'Meta'), wants, shares: s };
}

async function segmentSdk(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const { Analytics } = require('@segment/analytics-node');
  const a = new Analytics({ writeKey: rng.alnum(32), flushAt: 2, maxEventsInBatch: 2, flushInterval: 50 });
  const s = new Shares().add('user_id', 'batch[0].userId', 'plain').add('email', 'batch[0].traits.email', 'plain').add('name', 'batch[0].traits.firstName', 'plain')
    .add('phone', 'batch[0].traits.phone', 'plain').add('city', 'batch[0].traits.address.city', 'plain').add('postal_code', 'batch[0].traits.address.postalCode', 'plain');
  const recs = await fake.capture(async () => {
    a.identify({ userId: p.userId, traits: { email: p.email.trim(), firstName: p.first, lastName: p.last, phone: p.phone, address: { city: p.place.city, postalCode: p.place.postal } } });
    a.track({ userId: p.userId, event: 'Order Completed', properties: { revenue: rng.int(20, 200), currency: 'USD', products: [{ sku: `SKU-${rng.int(1000, 9999)}` }] } });
    await a.closeAndFlush({ timeout: 5000 });
  });
  return { vendor: 'segment', vendorKind: 'cdp', source: 'sdk:@segment/analytics-node', request: only(recs, (r) => r.url.includes('/v1/batch'), 'Segment'), wants: ['userId', 'email', 'first', 'last', 'phone', 'city', 'postal'], shares: s };
}

async function posthogSdk(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const { PostHog } = require('posthog-node');
  const ph = new PostHog(`phc_${rng.alnum(40)}`, { host: 'https://us.i.posthog.com', flushAt: 2, flushInterval: 0, disableGeoip: true });
  const s = new Shares().add('email', 'batch[0].properties.$set.email', 'gzip').add('name', 'batch[0].properties.$set.name', 'gzip').add('user_id', 'batch[0].distinct_id', 'gzip');
  const wants: Field[] = ['email', 'first', 'last', 'userId'];
  const props: Record<string, unknown> = { email: n.email(p), name: `${p.first} ${p.last}` };
  if (rng.chance(0.5)) {
    props.phone = p.phoneE164;
    s.add('phone', 'batch[0].properties.$set.phone', 'gzip');
    wants.push('phone');
  }
  const recs = await fake.capture(async () => {
    ph.identify({ distinctId: p.userId, properties: props });
    ph.capture({ distinctId: p.userId, event: 'plan_upgraded', properties: { plan: 'pro' } });
    await ph.shutdown(5000);
  });
  return { vendor: 'posthog', vendorKind: 'analytics', source: 'sdk:posthog-node', request: only(recs, (r) => /\/(batch|capture|e)\b/.test(r.url), 'PostHog'), wants, shares: s, note: 'posthog-node compresses its batches' };
}

async function sendgridSdk(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const mail = require('@sendgrid/mail');
  mail.setApiKey(`SG.${rng.alnum(22)}.${rng.alnum(43)}`);
  const s = new Shares().add('email', 'personalizations[0].to[0].email', 'plain').add('name', 'personalizations[0].to[0].name', 'plain');
  const wants: Field[] = ['email', 'first', 'last'];
  let text = `Hello ${p.first},\n\nwelcome to Shop! Your account is ready.`;
  if (rng.chance(0.5)) {
    text += `\nWe will deliver to ${p.place.street}, ${p.place.postal} ${p.place.city}.`;
    s.add('address', 'content[0].value', 'in-text').add('city', 'content[0].value', 'in-text').add('postal_code', 'content[0].value', 'in-text');
    wants.push('street', 'city', 'postal');
  }
  const recs = await fake.capture(() => mail.send({ to: { email: p.email.trim(), name: `${p.first} ${p.last}` }, from: 'support@shop.example', subject: 'Welcome to Shop', text }));
  return { vendor: 'sendgrid', vendorKind: 'email', source: 'sdk:@sendgrid/mail', request: only(recs, (r) => r.url.includes('/v3/mail/send'), 'SendGrid'), wants, shares: s };
}

/** Pinterest tag fired server-side with axios `params` (query-string pixel, hashed email). */
async function axiosPixel(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const axios = require('axios');
  const s = new Shares().add('email', 'query.pd[em]', 'sha256').add('postal_code', 'query.pd[zp]', 'urlencoded');
  const recs = await fake.capture(() => axios.get('https://ct.pinterest.com/v3/', { params: { tid: rng.digits(13), event: 'checkout', 'pd[em]': n.sha256(n.email(p)), 'pd[zp]': p.place.postal, noscript: 1 } }));
  return { vendor: 'pinterest', vendorKind: 'ads_capi', source: 'sdk:axios', request: only(recs, () => true, 'axios'), wants: ['email', 'postal'], shares: s, note: 'query-string pixel' };
}

/** HubSpot contact via got, gzip-compressed JSON. */
async function gotGzip(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const { gzipSync } = require('node:zlib');
  const got = (await import('got')).default;
  const s = new Shares().add('email', 'properties.email', 'gzip').add('phone', 'properties.phone', 'gzip').add('name', 'properties.firstname', 'gzip');
  const body = gzipSync(JSON.stringify({ properties: { email: p.email.trim(), phone: p.phone, firstname: p.first, lastname: p.last } }));
  const recs = await fake.capture(() => got.post('https://api.hubapi.com/crm/v3/objects/contacts', { body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer pat-${rng.uuid()}` } }));
  return { vendor: 'hubspot', vendorKind: 'crm', source: 'sdk:got', request: only(recs, () => true, 'got'), wants: ['email', 'phone', 'first', 'last'], shares: s, note: 'gzip body' };
}

/** Zendesk ticket with superagent multipart fields. */
async function superagentMultipart(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const superagent = require('superagent');
  const s = new Shares().add('email', 'form.requester_email', 'multipart').add('name', 'form.requester_name', 'multipart').add('phone', 'form.comment', 'multipart');
  const recs = await fake.capture(() => superagent.post('https://yourshop.zendesk.com/api/v2/requests').auth(rng.alnum(10), rng.alnum(20))
    .field('requester_email', n.email(p)).field('requester_name', `${p.first} ${p.last}`).field('subject', 'Delivery problem')
    .field('comment', `Please call me back on ${p.phone.trim()} about order ${rng.int(10000, 99999)}.`));
  return { vendor: 'zendesk', vendorKind: 'support', source: 'sdk:superagent', request: only(recs, () => true, 'superagent'), wants: ['email', 'first', 'last', 'phone'], shares: s, note: 'multipart' };
}

/** Twilio SMS via node-fetch with URLSearchParams. */
async function nodeFetchForm(fake: LoopbackVendors, p: Person, rng: Rng): Promise<SdkSpec> {
  const fetch = (await import('node-fetch')).default;
  const sid = `AC${rng.hex(32)}`;
  const s = new Shares().add('phone', 'form.To', 'urlencoded').add('name', 'form.Body', 'in-text');
  const params = new URLSearchParams({ To: p.phoneE164, From: '+15005550006', Body: `Hi ${p.first}, your table for 2 is confirmed for tonight at 8pm.` });
  const recs = await fake.capture(() => fetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`, { method: 'POST', body: params, headers: { authorization: `Basic ${Buffer.from(`${sid}:x`).toString('base64')}` } }));
  return { vendor: 'twilio', vendorKind: 'sms', source: 'sdk:node-fetch', request: only(recs, () => true, 'node-fetch'), wants: ['phone', 'first'], shares: s };
}

export const SDK_CASES: ReadonlyArray<[string, (fake: LoopbackVendors, p: Person, rng: Rng) => Promise<SdkSpec>]> = [
  ['meta-sdk', metaSdk], ['segment-sdk', segmentSdk], ['posthog-sdk', posthogSdk], ['sendgrid-sdk', sendgridSdk],
  ['axios-pixel', axiosPixel], ['got-gzip', gotGzip], ['superagent-multipart', superagentMultipart], ['node-fetch-form', nodeFetchForm],
];
