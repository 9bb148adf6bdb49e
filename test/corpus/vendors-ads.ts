// Advertising destinations: conversion APIs and audience uploads, in the vendors' payload shapes.
import * as n from './norm';
import type { Field } from './ingress';
import { Shares, formBody, jsonHeaders, nowSec, type EgressSpec, type GenCtx, type VendorGen } from './spec';

function json(c: GenCtx, vendor: string, vendorKind: string, url: string, obj: unknown, wants: Field[], shares: Shares, note?: string): EgressSpec {
  return { vendor, vendorKind, method: 'POST', url, headers: jsonHeaders(), body: JSON.stringify(obj), wants, shares, note };
}

/** Meta CAPI, as the SDK shapes it (sha256 of trim+lower) or as param-builder (`<hash>.<appendix>`,
 *  punctuation stripped from names). */
const metaCapi: VendorGen = (c) => {
  const { p, rng } = c;
  const pb = rng.chance(0.5);
  const app = pb ? '.AQQCAQMC' : '';
  const s = new Shares();
  const hashT = pb ? 'sha256.appendix' : 'sha256';
  const nameN = pb ? n.nameParamBuilder : n.nameLower;
  const ud: Record<string, unknown> = {
    em: [n.sha256(n.email(p)) + app],
    ph: [n.sha256(n.phoneDigits(p)) + app],
    fn: n.sha256(nameN(p.first)),
    ln: n.sha256(nameN(p.last)),
    client_ip_address: p.ip,
    client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    fbc: p.fbc,
    fbp: p.fbp,
  };
  s.add('email', 'data[0].user_data.em[0]', hashT).add('phone', 'data[0].user_data.ph[0]', hashT)
    .add('name', 'data[0].user_data.fn', 'sha256').add('ip', 'data[0].user_data.client_ip_address', 'plain')
    .add('ad_click_id', 'data[0].user_data.fbc', 'plain');
  const wants: Field[] = ['email', 'phone', 'first', 'last', 'ip', 'fbc', 'fbp'];
  if (rng.chance(0.6)) {
    ud.db = n.sha256(n.dobCompact(p));
    ud.ge = n.sha256(n.genderLetter(p));
    ud.ct = n.sha256(n.cityMeta(p));
    ud.zp = n.sha256(n.zipMeta(p));
    ud.country = n.sha256(n.countryLower(p));
    s.add('birthdate', 'data[0].user_data.db', 'sha256').add('gender', 'data[0].user_data.ge', 'sha256')
      .add('city', 'data[0].user_data.ct', 'sha256').add('postal_code', 'data[0].user_data.zp', 'sha256')
      .add('country', 'data[0].user_data.country', 'sha256');
    wants.push('dob', 'gender', 'city', 'postal', 'country');
  }
  if (rng.chance(0.5)) {
    ud.external_id = pb ? n.sha256(p.userId.toLowerCase()) : p.userId;
    s.add('user_id', 'data[0].user_data.external_id', pb ? 'sha256' : 'plain');
    wants.push('userId');
  }
  const body = {
    data: [{
      event_name: rng.pick(['Purchase', 'Lead', 'CompleteRegistration']), event_time: nowSec, action_source: 'website',
      event_source_url: 'https://shop.example/checkout', event_id: rng.uuid(), user_data: ud,
      custom_data: { currency: 'EUR', value: rng.int(10, 400) + 0.99, content_ids: [`SKU-${rng.int(1000, 9999)}`] },
    }],
  };
  const url = `https://graph.facebook.com/v21.0/${rng.digits(15)}/events?access_token=EAAB${rng.alnum(40)}`;
  return json(c, 'meta', 'ads_capi', url, body, wants, s, pb ? 'param-builder appendix form' : 'SDK form');
};

/** Meta Custom Audiences: schema + rows of hashes. */
const metaAudience: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'payload.data[0][0]', 'sha256').add('phone', 'payload.data[0][1]', 'sha256');
  const rows = [[n.sha256(n.email(p)), n.sha256(n.phoneDigits(p))]];
  const url = `https://graph.facebook.com/v21.0/${rng.digits(17)}/users`;
  const body = formBody([
    ['payload', JSON.stringify({ schema: ['EMAIL_SHA256', 'PHONE_SHA256'], data: rows })],
    ['access_token', `EAAB${rng.alnum(40)}`],
  ]);
  return { vendor: 'meta', vendorKind: 'ads_audience', method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, wants: ['email', 'phone'], shares: s, note: 'JSON inside a form field' };
};

/** Google Ads click conversions with enhanced conversion identifiers (Gmail dots removed). */
const googleAdsClick: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'conversions[0].userIdentifiers[0].hashedEmail', 'sha256')
    .add('ad_click_id', 'conversions[0].gclid', 'plain').add('phone', 'conversions[0].userIdentifiers[1].hashedPhoneNumber', 'sha256');
  const ids: unknown[] = [{ hashedEmail: n.sha256(n.emailGoogle(p)) }, { hashedPhoneNumber: n.sha256(n.phoneE164(p)) }];
  const wants: Field[] = ['email', 'phone', 'gclid'];
  if (rng.chance(0.6)) {
    ids.push({ addressInfo: { hashedFirstName: n.sha256(n.nameLower(p.first)), hashedLastName: n.sha256(n.nameLower(p.last)), city: p.place.city, postalCode: p.place.postal, countryCode: p.locale } });
    s.add('name', 'userIdentifiers[2].addressInfo.hashedFirstName', 'sha256').add('city', 'addressInfo.city', 'plain')
      .add('postal_code', 'addressInfo.postalCode', 'plain').add('country', 'addressInfo.countryCode', 'normalized');
    wants.push('first', 'last', 'city', 'postal', 'country');
  }
  const body = { conversions: [{ gclid: p.gclid, conversionAction: `customers/${rng.digits(10)}/conversionActions/${rng.digits(9)}`, conversionDateTime: '2024-06-10 12:32:45-08:00', conversionValue: 23.4, currencyCode: 'USD', userIdentifiers: ids }], partialFailure: true };
  return json(c, 'google-ads', 'ads_capi', `https://googleads.googleapis.com/v17/customers/${rng.digits(10)}:uploadClickConversions`, body, wants, s);
};

/** Google Ads Customer Match job operations. */
const googleAdsCustomerMatch: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'operations[0].create.userIdentifiers[0].hashedEmail', 'sha256').add('phone', 'operations[0].create.userIdentifiers[1].hashedPhoneNumber', 'sha256');
  const body = { operations: [{ create: { userIdentifiers: [{ hashedEmail: n.sha256(n.emailGoogle(p)) }, { hashedPhoneNumber: n.sha256(n.phoneE164(p)) }] } }], enablePartialFailure: true };
  return json(c, 'google-ads', 'ads_audience', `https://googleads.googleapis.com/v17/customers/${rng.digits(10)}/offlineUserDataJobs/${rng.digits(12)}:addOperations`, body, ['email', 'phone'], s);
};

/** Google Data Manager: hex or base64 digests, Gmail dots and +tag removed. */
const googleDataManager: VendorGen = (c) => {
  const { p, rng } = c;
  const base64 = rng.chance(0.6);
  const h = base64 ? n.sha256b64 : n.sha256;
  const t = base64 ? 'sha256+base64' : 'sha256';
  const s = new Shares().add('email', 'events[0].userData.userIdentifiers[0].emailAddress', t).add('phone', 'userIdentifiers[1].phoneNumber', t)
    .add('name', 'userIdentifiers[2].address.givenName', t).add('postal_code', 'address.postalCode', 'plain').add('country', 'address.regionCode', 'normalized');
  const body = {
    destinations: [{ operatingAccount: { accountType: 'GOOGLE_ADS', accountId: rng.digits(10) }, productDestinationId: rng.digits(9) }],
    encoding: base64 ? 'BASE64' : 'HEX',
    events: [{
      transactionId: `T-${rng.digits(8)}`, eventTimestamp: '2024-06-10T12:00:00Z',
      userData: { userIdentifiers: [
        { emailAddress: h(n.emailDataManager(p)) },
        { phoneNumber: h(n.phoneE164(p)) },
        { address: { givenName: h(n.nameLower(p.first)), familyName: h(n.nameLower(p.last)), regionCode: p.locale, postalCode: p.place.postal } },
      ] },
      conversionValue: 42.5, currency: 'EUR',
    }],
  };
  return json(c, 'google-datamanager', 'ads_capi', 'https://datamanager.googleapis.com/v1/events:ingest', body, ['email', 'phone', 'first', 'last', 'postal', 'country'], s, base64 ? 'base64 digests' : 'hex digests');
};

/** GA4 Measurement Protocol with user-provided data. */
const ga4: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'user_data.sha256_email_address[0]', 'sha256').add('phone', 'user_data.sha256_phone_number[0]', 'sha256');
  const wants: Field[] = ['email', 'phone'];
  const ud: Record<string, unknown> = { sha256_email_address: [n.sha256(n.emailGoogle(p))], sha256_phone_number: [n.sha256(n.phoneE164(p))] };
  if (rng.chance(0.5)) {
    ud.address = [{ sha256_first_name: n.sha256(n.nameLower(p.first)), sha256_last_name: n.sha256(n.nameLower(p.last)), city: p.place.city.toLowerCase(), postal_code: p.place.postal, country: p.locale }];
    s.add('name', 'user_data.address[0].sha256_first_name', 'sha256').add('city', 'user_data.address[0].city', 'plain')
      .add('postal_code', 'user_data.address[0].postal_code', 'plain').add('country', 'user_data.address[0].country', 'normalized');
    wants.push('first', 'last', 'city', 'postal', 'country');
  }
  const body = { client_id: `${rng.int(100000000, 999999999)}.${nowSec}`, user_id: p.userId, user_data: ud, events: [{ name: 'purchase', params: { currency: 'USD', value: 30.03, transaction_id: `T_${rng.digits(5)}` } }] };
  s.add('user_id', 'user_id', 'plain');
  wants.push('userId');
  return json(c, 'ga4', 'analytics', `https://www.google-analytics.com/mp/collect?measurement_id=G-${rng.alnum(10).toUpperCase()}&api_secret=${rng.alnum(22)}`, body, wants, s);
};

/** TikTok Events API 2.0 (email/phone hashed; the doc's phone is digits without `+`). */
const tiktok: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'data[0].user.email', 'sha256').add('phone', 'data[0].user.phone', 'sha256')
    .add('ad_click_id', 'data[0].user.ttclid', 'plain').add('ip', 'data[0].user.ip', 'plain');
  const wants: Field[] = ['email', 'phone', 'ttclid', 'ip'];
  const user: Record<string, unknown> = { email: n.sha256(n.email(p)), phone: n.sha256(rng.chance(0.5) ? n.phoneE164(p) : n.phoneDigits(p)), ttclid: p.ttclid, ip: p.ip, user_agent: 'Mozilla/5.0' };
  if (rng.chance(0.5)) {
    user.external_id = n.sha256(p.userId);
    s.add('user_id', 'data[0].user.external_id', 'sha256');
    wants.push('userId');
  }
  const body = { event_source: 'web', event_source_id: rng.alnum(20).toUpperCase(), data: [{ event: 'CompletePayment', event_time: nowSec, event_id: rng.uuid(), user, properties: { currency: 'USD', value: 12.5 } }] };
  return json(c, 'tiktok', 'ads_capi', 'https://business-api.tiktok.com/open_api/v1.3/event/track/', body, wants, s);
};

/** Snap CAPI v3. */
const snap: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'data[0].user_data.em[0]', 'sha256').add('phone', 'data[0].user_data.ph[0]', 'sha256')
    .add('name', 'data[0].user_data.fn[0]', 'sha256').add('ip', 'data[0].user_data.client_ip_address', 'plain');
  const ud: Record<string, unknown> = { em: [n.sha256(n.email(p))], ph: [n.sha256(n.phoneDigits(p))], fn: [n.sha256(n.nameLower(p.first))], client_ip_address: p.ip };
  const wants: Field[] = ['email', 'phone', 'first', 'ip'];
  if (rng.chance(0.5)) {
    ud.madid = p.deviceId.toLowerCase();
    s.add('device_id', 'data[0].user_data.madid', 'plain');
    wants.push('deviceId');
  }
  const body = { data: [{ event_name: 'PURCHASE', action_source: 'WEB', event_time: nowSec * 1000, user_data: ud, custom_data: { currency: 'USD', value: 5.5 } }] };
  return json(c, 'snap', 'ads_capi', `https://tr.snapchat.com/v3/${rng.uuid()}/events?access_token=${rng.alnum(30)}`, body, wants, s);
};

/** LinkedIn conversions: SHA256_EMAIL id plus plain first/last name. */
const linkedin: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'user.userIds[0].idValue', 'sha256').add('name', 'user.userInfo.firstName', 'plain').add('country', 'user.userInfo.countryCode', 'normalized');
  const body = { conversion: `urn:lla:llaPartnerConversion:${rng.digits(6)}`, conversionHappenedAt: nowSec * 1000, conversionValue: { currencyCode: 'USD', amount: '50.0' }, user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: n.sha256(n.email(p)) }], userInfo: { firstName: p.first, lastName: p.last, companyName: 'Acme', countryCode: p.locale } }, eventId: rng.uuid() };
  return { ...json(c, 'linkedin', 'ads_capi', 'https://api.linkedin.com/rest/conversionEvents', body, ['email', 'first', 'last', 'country'], s), headers: jsonHeaders({ 'linkedin-version': '202406', 'x-restli-protocol-version': '2.0.0', authorization: `Bearer ${rng.alnum(40)}` }) };
};

/** Pinterest CAPI v5. */
const pinterest: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'data[0].user_data.em[0]', 'sha256').add('phone', 'data[0].user_data.ph[0]', 'sha256')
    .add('name', 'data[0].user_data.fn[0]', 'sha256').add('gender', 'data[0].user_data.ge[0]', 'sha256').add('birthdate', 'data[0].user_data.db[0]', 'sha256')
    .add('city', 'data[0].user_data.ct[0]', 'sha256').add('postal_code', 'data[0].user_data.zp[0]', 'sha256').add('country', 'data[0].user_data.country[0]', 'sha256')
    .add('user_id', 'data[0].user_data.external_id[0]', 'sha256');
  const ud = {
    em: [n.sha256(n.email(p))], ph: [n.sha256(n.phoneDigits(p))], fn: [n.sha256(n.nameLower(p.first))], ln: [n.sha256(n.nameLower(p.last))],
    ge: [n.sha256(n.genderLetter(p))], db: [n.sha256(n.dobCompact(p))], ct: [n.sha256(n.cityMeta(p))],
    zp: [n.sha256(n.zipMeta(p).replace(/\D/g, '') || n.zipMeta(p))], country: [n.sha256(n.countryLower(p))], external_id: [n.sha256(p.userId)],
  };
  const body = { data: [{ event_name: 'checkout', action_source: 'web', event_time: nowSec, event_id: rng.uuid(), user_data: ud, custom_data: { currency: 'USD', value: '72.12' } }] };
  const wants: Field[] = ['email', 'phone', 'first', 'last', 'gender', 'dob', 'city', 'postal', 'country', 'userId'];
  return json(c, 'pinterest', 'ads_capi', `https://api.pinterest.com/v5/ad_accounts/${rng.digits(12)}/events`, body, wants, s);
};

/** Reddit CAPI v2: email normalized with dots/+tag removed everywhere (Segment's Reddit), IP hashed. */
const reddit: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'events[0].user.email', 'sha256').add('ip', 'events[0].user.ip_address', 'sha256');
  const body = { events: [{ event_at: '2024-06-10T12:00:00Z', event_type: { tracking_type: 'Purchase' }, user: { email: n.sha256(n.emailReddit(p)), ip_address: n.sha256(p.ip), user_agent: 'Mozilla/5.0', uuid: rng.uuid() }, event_metadata: { currency: 'USD', value_decimal: 9.99 } }] };
  return json(c, 'reddit', 'ads_capi', `https://ads-api.reddit.com/api/v2.0/conversions/events/t2_${rng.alnum(8).toLowerCase()}`, body, ['email', 'ip'], s);
};

/** Microsoft Ads (UET) CAPI. */
const microsoft: VendorGen = (c) => {
  const { p, rng } = c;
  const s = new Shares().add('email', 'data[0].userData.em', 'sha256').add('phone', 'data[0].userData.ph', 'sha256').add('ip', 'data[0].userData.clientIpAddress', 'plain');
  const body = { data: [{ eventType: 'custom', eventName: 'purchase', eventTime: nowSec, userData: { em: n.sha256(n.email(p)), ph: n.sha256(n.phoneDigits(p)), clientIpAddress: p.ip, clientUserAgent: 'Mozilla/5.0', msclkid: rng.hex(32) }, customData: { value: 10, currency: 'USD' } }] };
  return json(c, 'microsoft', 'ads_capi', `https://capi.uet.microsoft.com/v1/${rng.digits(9)}/events`, body, ['email', 'phone', 'ip'], s);
};

export const ADS_VENDORS: ReadonlyArray<[string, VendorGen]> = [
  ['meta-capi', metaCapi], ['meta-audience', metaAudience], ['google-ads-click', googleAdsClick],
  ['google-ads-customer-match', googleAdsCustomerMatch], ['google-datamanager', googleDataManager], ['ga4-mp', ga4],
  ['tiktok', tiktok], ['snap', snap], ['linkedin', linkedin], ['pinterest', pinterest], ['reddit', reddit], ['microsoft', microsoft],
];
