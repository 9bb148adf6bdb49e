// CDPs, analytics, CRM, messaging and payments: mostly plain values, in the vendors' shapes.
import * as n from './norm';
import type { Field } from './ingress';
import { genderTyped } from './ingress';
import { Shares, formBody, jsonHeaders, nowSec, type EgressSpec, type GenCtx, type VendorGen } from './spec';

function post(vendor: string, vendorKind: string, url: string, body: unknown, wants: Field[], shares: Shares, headers = jsonHeaders(), note?: string): EgressSpec {
  return { vendor, vendorKind, method: 'POST', url, headers, body: typeof body === 'string' ? body : JSON.stringify(body), wants, shares, note };
}

function basic(user: string): string {
  return `Basic ${Buffer.from(`${user}:`).toString('base64')}`;
}

const segment: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'batch[0].traits.email', 'plain').add('user_id', 'batch[0].userId', 'plain').add('name', 'batch[0].traits.firstName', 'plain');
  const traits: Record<string, unknown> = { email: p.email.trim(), firstName: p.first, lastName: p.last, plan: 'pro' };
  const wants: Field[] = ['email', 'userId', 'first', 'last'];
  if (rng.chance(0.5)) {
    traits.address = { city: p.place.city, postalCode: p.place.postal, country: p.locale };
    s.add('city', 'batch[0].traits.address.city', 'plain').add('postal_code', 'batch[0].traits.address.postalCode', 'plain').add('country', 'batch[0].traits.address.country', 'normalized');
    wants.push('city', 'postal', 'country');
  }
  if (rng.chance(0.4)) {
    traits.phone = p.phoneE164;
    s.add('phone', 'batch[0].traits.phone', 'normalized');
    wants.push('phone');
  }
  const body = { batch: [{ type: 'identify', userId: p.userId, traits, messageId: rng.uuid(), timestamp: '2024-06-10T12:00:00.000Z' }], sentAt: '2024-06-10T12:00:01.000Z' };
  return post('segment', 'cdp', 'https://api.segment.io/v1/batch', body, wants, s, jsonHeaders({ authorization: basic(rng.alnum(32)) }));
};

const mparticle: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'user_identities.email', 'plain').add('user_id', 'user_identities.customer_id', 'plain')
    .add('name', 'user_attributes.$FirstName', 'plain').add('phone', 'user_attributes.$Mobile', 'plain')
    .add('gender', 'user_attributes.$Gender', 'normalized').add('postal_code', 'user_attributes.$Zip', 'plain');
  const body = {
    events: [{ data: { event_name: 'signup', custom_event_type: 'other', timestamp_unixtime_ms: nowSec * 1000 }, event_type: 'custom_event' }],
    device_info: { ios_advertising_id: rng.uuid() },
    user_attributes: { $FirstName: p.first, $LastName: p.last, $Mobile: p.phone, $Gender: n.genderLetter(p).toUpperCase(), $Zip: p.place.postal },
    user_identities: { customer_id: p.userId, email: n.email(p) },
    environment: 'production',
  };
  return post('mparticle', 'cdp', 'https://inbound.mparticle.com/s2s/v2/events', body, ['email', 'userId', 'first', 'last', 'phone', 'gender', 'postal'], s, jsonHeaders({ authorization: basic(rng.alnum(24)) }));
};

const posthog: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'batch[0].distinct_id', 'plain').add('name', 'batch[0].properties.$set.name', 'plain');
  const props: Record<string, unknown> = { $set: { email: p.email.trim(), name: `${p.first} ${p.last}` }, $lib: 'posthog-node' };
  const wants: Field[] = ['email', 'first', 'last'];
  if (rng.chance(0.5)) {
    props.$ip = p.ip;
    s.add('ip', 'batch[0].properties.$ip', 'plain');
    wants.push('ip');
  }
  const body = { api_key: `phc_${rng.alnum(40)}`, batch: [{ event: 'signed_up', distinct_id: n.email(p), properties: props, timestamp: '2024-06-10T12:00:00Z', uuid: rng.uuid() }] };
  return post('posthog', 'analytics', 'https://us.i.posthog.com/batch/', body, wants, s);
};

const amplitude: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('user_id', 'events[0].user_id', 'plain').add('email', 'events[0].user_properties.email', 'plain').add('ip', 'events[0].ip', 'plain');
  const up: Record<string, unknown> = { email: p.email.trim(), plan: 'pro' };
  const wants: Field[] = ['userId', 'email', 'ip'];
  if (rng.chance(0.5)) {
    up.annual_income = p.incomeNumber;
    s.add('income', 'events[0].user_properties.annual_income', 'normalized');
    wants.push('income');
  }
  if (rng.chance(0.5)) {
    up.birthday = p.dobIso;
    s.add('birthdate', 'events[0].user_properties.birthday', 'normalized');
    wants.push('dob');
  }
  const body = { api_key: rng.hex(32), events: [{ user_id: p.userId, device_id: rng.uuid(), event_type: 'Sign Up', time: nowSec * 1000, ip: p.ip, user_properties: up, insert_id: rng.uuid() }] };
  return post('amplitude', 'analytics', 'https://api2.amplitude.com/2/httpapi', body, wants, s);
};

const klaviyo: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'data.attributes.email', 'plain').add('phone', 'data.attributes.phone_number', 'normalized')
    .add('name', 'data.attributes.first_name', 'plain').add('city', 'data.attributes.location.city', 'plain')
    .add('region', 'data.attributes.location.region', 'plain').add('postal_code', 'data.attributes.location.zip', 'plain')
    .add('country', 'data.attributes.location.country', 'plain');
  const body = { data: { type: 'profile', attributes: { email: n.email(p), phone_number: p.phoneE164, first_name: p.first, last_name: p.last, location: { address1: p.place.street, city: p.place.city, region: p.locale === 'US' || p.locale === 'BR' ? p.place.regionCode : p.place.region, zip: p.place.postal, country: p.countryTyped } } } };
  s.add('address', 'data.attributes.location.address1', 'plain');
  return post('klaviyo', 'email_crm', 'https://a.klaviyo.com/api/profiles/', body, ['email', 'phone', 'first', 'last', 'street', 'city', 'region', 'postal', 'country'], s,
    jsonHeaders({ authorization: `Klaviyo-API-Key pk_${rng.hex(34)}`, revision: '2024-06-15', 'content-type': 'application/vnd.api+json' }));
};

const hubspot: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'properties.email', 'plain').add('name', 'properties.firstname', 'plain').add('phone', 'properties.phone', 'plain');
  const props: Record<string, string> = { email: p.email.trim(), firstname: p.first, lastname: p.last, phone: p.phone, lifecyclestage: 'lead' };
  const wants: Field[] = ['email', 'first', 'last', 'phone'];
  if (rng.chance(0.5)) {
    props.annual_income = String(p.incomeNumber);
    props.date_of_birth = p.dobIso;
    s.add('income', 'properties.annual_income', 'normalized').add('birthdate', 'properties.date_of_birth', 'normalized');
    wants.push('income', 'dob');
  }
  return post('hubspot', 'crm', 'https://api.hubapi.com/crm/v3/objects/contacts', { properties: props }, wants, s, jsonHeaders({ authorization: `Bearer pat-na1-${rng.uuid()}` }));
};

const intercom: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'email', 'plain').add('phone', 'phone', 'normalized').add('name', 'name', 'plain').add('user_id', 'external_id', 'plain');
  const body = { role: 'user', external_id: p.userId, email: n.email(p), phone: p.phoneE164, name: `${p.first} ${p.last}`, signed_up_at: nowSec, custom_attributes: { plan: 'pro', gender: genderTyped(p) } };
  s.add('gender', 'custom_attributes.gender', 'plain');
  return post('intercom', 'crm', 'https://api.intercom.io/contacts', body, ['email', 'phone', 'first', 'last', 'userId', 'gender'], s, jsonHeaders({ authorization: `Bearer ${rng.alnum(60)}`, 'intercom-version': '2.11' }));
};

/** Customer.io Track API: the person's email is the id in the URL path. */
const customerio: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'url.path[3]', 'url-path').add('name', 'first_name', 'plain');
  const body: Record<string, unknown> = { email: n.email(p), first_name: p.first, created_at: nowSec };
  const wants: Field[] = ['email', 'first', 'last'];
  if (rng.chance(0.5)) {
    body.phone = p.phoneE164;
    s.add('phone', 'phone', 'normalized');
    wants.push('phone');
  }
  return { vendor: 'customerio', vendorKind: 'email_crm', method: 'PUT', url: `https://track.customer.io/api/v1/customers/${encodeURIComponent(n.email(p))}`, headers: jsonHeaders({ authorization: basic(rng.hex(20)) }), body: JSON.stringify(body), wants, shares: s };
};

/** SendGrid mail/send: recipient plain, greeting by name in the text. */
const sendgrid: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'personalizations[0].to[0].email', 'plain').add('name', 'personalizations[0].to[0].name', 'plain');
  const order = `#${rng.int(10000, 99999)}`;
  const body = {
    personalizations: [{ to: [{ email: p.email.trim(), name: `${p.first} ${p.last}` }] }],
    from: { email: 'support@shop.example', name: 'Shop Support' }, reply_to: { email: 'help@shop.example' },
    subject: `Your order ${order} has shipped`,
    content: [{ type: 'text/plain', value: `Hi ${p.first},\n\nyour order ${order} is on its way to ${p.place.street}, ${p.place.city}.\n\nThanks for shopping with us!` }],
  };
  s.add('address', 'content[0].value', 'in-text').add('city', 'content[0].value', 'in-text');
  return post('sendgrid', 'email', 'https://api.sendgrid.com/v3/mail/send', body, ['email', 'first', 'last', 'street', 'city'], s, jsonHeaders({ authorization: `Bearer SG.${rng.alnum(22)}.${rng.alnum(43)}` }));
};

/** Twilio Messages: form-encoded `To` (E.164) and a text body with the first name. */
const twilio: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('phone', 'form.To', 'urlencoded');
  const code = rng.digits(6);
  const greet = rng.chance(0.5);
  const text = greet ? `Hi ${p.first}, your verification code is ${code}.` : `${code} is your Shop verification code. Reply STOP to opt out.`;
  if (greet) s.add('name', 'form.Body', 'in-text');
  const sid = `AC${rng.hex(32)}`;
  const body = formBody([['To', p.phoneE164], ['From', '+15005550006'], ['Body', text]]);
  return { vendor: 'twilio', vendorKind: 'sms', method: 'POST', url: `https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(sid) }, body, wants: ['phone', 'first'], shares: s };
};

/** Stripe customer create (form-encoded, bracketed keys); sometimes the card number itself. */
const stripe: VendorGen = ({ p, rng }) => {
  const s = new Shares().add('email', 'form.email', 'urlencoded').add('name', 'form.name', 'urlencoded').add('phone', 'form.phone', 'urlencoded')
    .add('address', 'form.address[line1]', 'urlencoded').add('city', 'form.address[city]', 'urlencoded').add('postal_code', 'form.address[postal_code]', 'urlencoded');
  const pairs: Array<[string, string]> = [
    ['email', n.email(p)], ['name', `${p.first} ${p.last}`], ['phone', p.phone],
    ['address[line1]', p.place.street], ['address[city]', p.place.city], ['address[postal_code]', p.place.postal], ['address[country]', p.locale],
    ['metadata[user_id]', p.userId],
  ];
  const wants: Field[] = ['email', 'first', 'last', 'phone', 'street', 'city', 'postal', 'country', 'userId'];
  s.add('country', 'form.address[country]', 'normalized').add('user_id', 'form.metadata[user_id]', 'urlencoded');
  let url = 'https://api.stripe.com/v1/customers';
  if (rng.chance(0.35)) {
    url = 'https://api.stripe.com/v1/payment_methods';
    pairs.push(['type', 'card'], ['card[number]', p.card], ['card[exp_month]', '12'], ['card[exp_year]', '2030']);
    s.add('card', 'form.card[number]', 'urlencoded');
    wants.push('card');
  }
  return { vendor: 'stripe', vendorKind: 'payments', method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer sk_test_${rng.alnum(24)}` }, body: formBody(pairs), wants, shares: s };
};

export const CRM_VENDORS: ReadonlyArray<[string, VendorGen]> = [
  ['segment', segment], ['mparticle', mparticle], ['posthog', posthog], ['amplitude', amplitude], ['klaviyo', klaviyo],
  ['hubspot', hubspot], ['intercom', intercom], ['customerio', customerio], ['sendgrid', sendgrid], ['twilio', twilio], ['stripe', stripe],
];
