// The same data in other wrappings: query-string pixels, base64 `data=` blobs, gzip bodies,
// multipart uploads, JSON inside strings, md5/sha1 and base64url digests.
import { gzipSync } from 'node:zlib';
import * as n from './norm';
import type { Field } from './ingress';
import { Shares, formBody, jsonHeaders, nowSec, type VendorGen } from './spec';

/** Meta browser pixel fired from the server (`/tr` with `ud[…]` hashes). */
const metaPixel: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'query.ud[em]', 'sha256').add('phone', 'query.ud[ph]', 'sha256').add('ad_click_id', 'query.fbp', 'urlencoded');
  const q = formBody([['id', rng.digits(15)], ['ev', 'Purchase'], ['dl', 'https://shop.example/thanks'], ['ud[em]', n.sha256(n.email(p))], ['ud[ph]', n.sha256(n.phoneDigits(p))], ['fbp', p.fbp], ['cd[value]', '19.99'], ['cd[currency]', 'EUR']]);
  return { vendor: 'meta', vendorKind: 'ads_capi', method: 'GET', url: `https://www.facebook.com/tr?${q}`, headers: { 'user-agent': 'node' }, body: '', wants: ['email', 'phone', 'fbp'], shares: s, note: 'query-string pixel' };
};

/** A plain email in a partner pixel's query string. */
const partnerPixel: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'query.email', 'urlencoded');
  const pairs: Array<[string, string]> = [['pid', rng.alnum(8)], ['email', p.email.trim()], ['event', 'signup'], ['cb', String(rng.int(1e8, 1e9))]];
  const wants: Field[] = ['email'];
  if (rng.chance(0.5)) {
    pairs.push(['fn', p.first], ['zip', p.place.postal]);
    s.add('name', 'query.fn', 'urlencoded').add('postal_code', 'query.zip', 'urlencoded');
    wants.push('first', 'postal');
  }
  return { vendor: 'unknown', vendorKind: 'unknown', method: 'GET', url: `https://px.adpartner-example.com/p.gif?${formBody(pairs)}`, headers: { 'user-agent': 'node' }, body: '', wants, shares: s, note: 'query-string pixel' };
};

/** Mixpanel `/track?data=<base64 JSON>`. */
const mixpanel: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'query.data>properties.$email', 'base64').add('user_id', 'query.data>properties.distinct_id', 'base64');
  const ev = { event: 'Signed Up', properties: { token: rng.hex(32), distinct_id: p.userId, $email: n.email(p), $name: `${p.first} ${p.last}`, time: nowSec } };
  s.add('name', 'query.data>properties.$name', 'base64');
  return { vendor: 'mixpanel', vendorKind: 'analytics', method: 'GET', url: `https://api.mixpanel.com/track?data=${encodeURIComponent(n.b64(JSON.stringify(ev)))}&ip=0`, headers: { 'user-agent': 'node' }, body: '', wants: ['userId', 'email', 'first', 'last'], shares: s, note: 'base64 data= blob' };
};

/** Braze users/track with a gzip body. */
const brazeGzip: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'attributes[0].email', 'gzip').add('phone', 'attributes[0].phone', 'gzip').add('name', 'attributes[0].first_name', 'gzip').add('user_id', 'attributes[0].external_id', 'gzip');
  const body = { attributes: [{ external_id: p.userId, email: n.email(p), phone: p.phoneE164, first_name: p.first, last_name: p.last, country: p.locale }] };
  s.add('country', 'attributes[0].country', 'gzip');
  return { vendor: 'braze', vendorKind: 'email_crm', method: 'POST', url: 'https://rest.iad-01.braze.com/users/track', headers: jsonHeaders({ 'content-encoding': 'gzip', authorization: `Bearer ${rng.uuid()}` }), body: gzipSync(JSON.stringify(body)), wants: ['userId', 'email', 'phone', 'first', 'last', 'country'], shares: s, note: 'gzip body' };
};

/** An unknown risk partner: gzip JSON with hashed and plain values. */
const riskGzip: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'applicant.email_sha256', 'gzip').add('ip', 'applicant.ip', 'gzip').add('income', 'applicant.annual_income', 'gzip');
  const body = { request_id: rng.uuid(), applicant: { email_sha256: n.sha256(n.email(p)), ip: p.ip, annual_income: p.incomeNumber, band: '75k-100k' } };
  return { vendor: 'unknown', vendorKind: 'unknown', method: 'POST', url: 'https://risk.partner-example.com/v2/score', headers: jsonHeaders({ 'content-encoding': 'gzip' }), body: gzipSync(JSON.stringify(body)), wants: ['email', 'ip', 'income'], shares: s, note: 'gzip body, sha256 inside' };
};

/** Freshdesk ticket with a CSV attachment listing the customer (multipart). */
const freshdeskMultipart: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'form.email', 'multipart').add('name', 'form.name', 'multipart').add('phone', 'form.attachments[]', 'multipart');
  const boundary = `----formdata-${rng.alnum(20)}`;
  const csv = `email,first_name,last_name,phone\n${n.email(p)},${p.first},${p.last},${p.phone.trim()}\n`;
  const parts: Array<[string, string, string?]> = [
    ['email', n.email(p)], ['name', `${p.first} ${p.last}`], ['subject', 'Refund request'], ['description', 'Customer asks for a refund, see attached export.'],
    ['priority', '2'], ['status', '2'], ['attachments[]', csv, 'customer.csv'],
  ];
  let body = '';
  for (const [k, v, file] of parts) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"${file ? `; filename="${file}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${v}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return { vendor: 'freshdesk', vendorKind: 'support', method: 'POST', url: `https://acme.freshdesk.com/api/v2/tickets`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Basic ${n.b64(rng.alnum(20) + ':X')}` }, body, wants: ['email', 'first', 'last', 'phone'], shares: s, note: 'multipart with a CSV file part' };
};

/** A webhook whose payload is a JSON document serialized into a string field. */
const nestedWebhook: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'payload>user.email', 'nested-json').add('phone', 'payload>user.phone', 'nested-json').add('user_id', 'payload>user.id', 'nested-json');
  const inner = { type: 'user.created', user: { id: p.userId, email: n.email(p), phone: p.phoneE164 } };
  const body = { id: rng.uuid(), created: nowSec, payload: JSON.stringify(inner) };
  return { vendor: 'unknown', vendorKind: 'unknown', method: 'POST', url: 'https://hooks.zapier-example.com/hooks/catch/123/abc/', headers: jsonHeaders(), body: JSON.stringify(body), wants: ['userId', 'email', 'phone'], shares: s, note: 'JSON inside a string' };
};

/** An older DMP sync: md5 and sha1 of the email, md5 of the phone as typed (FTC example). */
const dmpSync: VendorGen = ({ p, rng }) => {
  const useSha1 = rng.chance(0.5);
  const s = new Shares().add('email', useSha1 ? 'query.sha1' : 'query.md5', useSha1 ? 'sha1' : 'md5').add('phone', 'query.phmd5', 'md5');
  const q = formBody([['pid', rng.digits(5)], [useSha1 ? 'sha1' : 'md5', useSha1 ? n.sha1(n.email(p)) : n.md5(n.email(p))], ['phmd5', n.md5(p.phone.trim())], ['gdpr', '0']]);
  return { vendor: 'unknown', vendorKind: 'unknown', method: 'GET', url: `https://sync.dmp-example.net/match?${q}`, headers: { 'user-agent': 'node' }, body: '', wants: ['email', 'phone'], shares: s, note: 'md5/sha1 digests' };
};

/** A partner cookie sync keyed by base64url(sha256(email)) and a base64 header. */
const b64urlSync: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'query.uid', 'sha256+base64url').add('user_id', 'header.x-customer', 'base64');
  const url = `https://t.partner-example.io/c?uid=${n.sha256b64url(n.email(p))}&ts=${nowSec}`;
  return { vendor: 'unknown', vendorKind: 'unknown', method: 'GET', url, headers: { 'user-agent': 'node', 'x-customer': n.b64(p.userId), 'x-request-id': rng.uuid() }, body: '', wants: ['email', 'userId'], shares: s, note: 'base64url digest and base64 header' };
};

export const TRANSPORT_VENDORS: ReadonlyArray<[string, VendorGen]> = [
  ['meta-pixel', metaPixel], ['partner-pixel', partnerPixel], ['mixpanel', mixpanel], ['braze-gzip', brazeGzip], ['risk-gzip', riskGzip],
  ['freshdesk-multipart', freshdeskMultipart], ['nested-webhook', nestedWebhook], ['dmp-sync', dmpSync], ['b64url-sync', b64urlSync],
];
