// Negatives and near misses: outgoing calls that look personal but carry nothing this request
// collected. Each one names the category a careless matcher would report, and why it must not.
import type { ExpectedNonShare } from './case-format';
import type { Field } from './ingress';
import { genderTyped } from './ingress';
import * as n from './norm';
import type { Person } from './people';
import { Shares, formBody, jsonHeaders, nowSec, type EgressSpec, type GenCtx, type VendorGen } from './spec';

function neg(vendor: string, vendorKind: string, method: string, url: string, body: unknown, wants: Field[], nonShares: ExpectedNonShare[], note: string, headers = jsonHeaders()): EgressSpec {
  const b = body === '' ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return { vendor, vendorKind, method, url, headers: b === '' ? { 'user-agent': 'node' } : headers, body: b, wants, shares: new Shares(), nonShares, note };
}

/** A vendor payload built for somebody else, while this request collected `p`. */
export function otherPersons(gen: VendorGen): VendorGen {
  return (c) => {
    const spec = gen({ rng: c.rng, p: c.other, other: c.p });
    const nonShares = spec.shares.list.map((s) => ({ category: s.category, why: `another person's ${s.category} (${s.transform})` }));
    return { ...spec, shares: new Shares(), nonShares, note: `payload of another person${spec.note ? `; ${spec.note}` : ''}` };
  };
}

/** Phone-like digits in an order id: same country code and length, other digits. */
const orderIdLikePhone: VendorGen = ({ p, rng }) => {
  const digits = n.phoneDigits(p);
  let fake = digits;
  while (fake === digits) fake = digits.slice(0, digits.length - 4) + rng.digits(4);
  const body = { client_id: `${rng.int(1e8, 1e9)}.${nowSec}`, events: [{ name: 'purchase', params: { transaction_id: fake, value: 49.9, currency: 'USD' } }] };
  return neg('ga4', 'analytics', 'POST', `https://www.google-analytics.com/mp/collect?measurement_id=G-${rng.alnum(10).toUpperCase()}&api_secret=${rng.alnum(20)}`, body, ['email', 'phone'],
    [{ category: 'phone', why: 'an order id that looks like the phone number (other last digits)' }], 'order id like a phone');
};

/** A formatted phone number that differs from the collected one in the last digit. */
const phoneOffByOne: VendorGen = ({ p }) => {
  const e = p.phoneE164;
  const last = Number(e[e.length - 1]);
  const other = e.slice(0, -1) + String((last + 1) % 10);
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Our store hotline ${other} will be closed on Monday. Write a short notice for the website.` }] };
  return neg('openai', 'llm', 'POST', 'https://api.openai.com/v1/chat/completions', body, ['email', 'phone'], [{ category: 'phone', why: 'a different number in the same range (store hotline)' }], 'phone off by one');
};

/** A price that equals nobody's income. */
const priceNotIncome: VendorGen = ({ p, rng }) => {
  let price = rng.int(20, 900) * 100;
  if (price === p.incomeNumber) price += 100;
  const body = { type: 'track', event: 'Order Completed', anonymousId: rng.uuid(), properties: { revenue: price, price, currency: 'USD' } };
  return neg('segment', 'cdp', 'POST', 'https://api.segment.io/v1/track', body, ['email', 'income'], [{ category: 'income', why: 'a price that equals nobody\'s income' }], 'price, not income');
};

/** The income's number used as a cart amount, with no identifier and no income field. */
const amountEqualsIncome: VendorGen = ({ p, rng }) => {
  const body = formBody([['amount', String(p.incomeNumber)], ['currency', 'usd'], ['description', `Wholesale order ${rng.int(1000, 9999)}`]]);
  return neg('stripe', 'payments', 'POST', 'https://api.stripe.com/v1/payment_intents', body, ['income'],
    [{ category: 'income', why: 'the same number as an amount, no identifier of the person, not an income field' }], 'amount equal to income', { 'content-type': 'application/x-www-form-urlencoded' });
};

/** A bare zip code, no identifier, under a key that does not expect a zip. */
const bareZip: VendorGen = ({ p, rng }) => {
  const z = p.place.postal;
  return neg('unknown', 'unknown', 'GET', `https://api.weather-example.com/v1/forecast?location=${encodeURIComponent(z)}&units=metric&key=${rng.alnum(16)}`, '', ['email', 'postal'],
    [{ category: 'postal_code', why: 'a bare zip code without an identifier of the person' }], 'bare zip');
};

/** A product number equal to the zip, in a product feed. */
const skuEqualsZip: VendorGen = ({ p, rng }) => {
  const body = { items: [{ sku: p.place.postal.replace(/\D/g, '') || p.place.postal, title: 'Ceramic mug', price: 12.5 }, { sku: String(rng.int(10000, 99999)), title: 'Tea towel', price: 6 }] };
  return neg('unknown', 'unknown', 'POST', 'https://feeds.merchant-example.com/v1/products:batch', body, ['email', 'postal'],
    [{ category: 'postal_code', why: 'a product number equal to the zip code' }], 'sku equal to zip');
};

/** Random UUIDs where a device id could be. */
const randomUuid: VendorGen = ({ rng }) => {
  const body = { request_id: rng.uuid(), event_id: rng.uuid(), session: { id: rng.uuid().toUpperCase() }, event: 'app_open' };
  return neg('amplitude', 'analytics', 'POST', 'https://api2.amplitude.com/2/httpapi', body, ['email', 'deviceId'],
    [{ category: 'device_id', why: 'random UUIDs, not the collected advertising id' }], 'random uuid');
};

/** Hashes of strings never collected: a test address, the empty string, a SKU. */
const neverCollectedHashes: VendorGen = ({ rng }) => {
  const ud = { em: [n.sha256('test@example.com')], ph: [n.sha256('')], external_id: [n.md5(`SKU-${rng.int(1000, 9999)}`)], fn: [n.sha256('guest')] };
  const body = { data: [{ event_name: 'Lead', event_time: nowSec, action_source: 'website', user_data: ud }] };
  return neg('meta', 'ads_capi', 'POST', `https://graph.facebook.com/v21.0/${rng.digits(15)}/events`, body, ['email', 'phone', 'first', 'last'],
    [{ category: 'email', why: 'sha256 of a test address never collected' }, { category: 'phone', why: 'sha256 of the empty string' }, { category: 'name', why: 'sha256("guest")' }], 'hashes of strings never collected');
};

/** The shop's own support address in a notification email. */
const shopSupportEmail: VendorGen = ({ rng }) => {
  const body = { personalizations: [{ to: [{ email: 'orders@shop.example' }] }], from: { email: 'support@shop.example', name: 'Shop Support' }, reply_to: { email: 'support@shop.example' },
    subject: `New order #${rng.int(10000, 99999)}`, content: [{ type: 'text/plain', value: 'A new order was placed. Questions? Write to support@shop.example or call +1 800 555 0199.' }] };
  return neg('sendgrid', 'email', 'POST', 'https://api.sendgrid.com/v3/mail/send', body, ['email', 'phone', 'first'],
    [{ category: 'email', why: "the shop's own support address, never collected" }, { category: 'phone', why: "the shop's own hotline" }], 'shop support email');
};

/** The person's first name as an ordinary word in prose, with nothing else of them. */
const firstNameInProse: VendorGen = ({ p }) => {
  // One word: a compound first name ("Ana Clara") in full would identify the person much better.
  const word = p.first.split(/[\s-]/)[0];
  const body = { model: 'claude-3-5-haiku-20241022', max_tokens: 200, messages: [{ role: 'user', content: `Write a product description for our new "${word}" scented candle, inspired by summer evenings on the coast.` }] };
  return neg('anthropic', 'llm', 'POST', 'https://api.anthropic.com/v1/messages', body, ['email', 'first', 'last'],
    [{ category: 'name', why: 'a first name alone as a product name, no identifier of the person' }], 'first name as a word');
};

/** The gender letter as a clothing size. */
const sizeLetter: VendorGen = ({ p, rng }) => {
  const letter = n.genderLetter(p).toUpperCase();
  const body = { event: 'add_to_cart', properties: { sku: `TS-${rng.int(100, 999)}`, size: letter, color: 'navy' }, distinct_id: rng.uuid() };
  return neg('posthog', 'analytics', 'POST', 'https://us.i.posthog.com/capture/', body, ['email', 'gender'],
    [{ category: 'gender', why: `size "${letter}", not a gender field` }], 'size letter like a gender code');
};

/** The country code inside locale/currency codes. */
const localeCountry: VendorGen = ({ p, rng }) => {
  const cc = p.locale;
  const lang = { US: 'en', GB: 'en', DE: 'de', FR: 'fr', IN: 'hi', BR: 'pt' }[cc];
  const body = { client_id: `${rng.int(1e8, 1e9)}.${nowSec}`, events: [{ name: 'page_view', params: { language: `${lang}-${cc}`, page_location: `https://shop.example/${lang}-${cc.toLowerCase()}/` } }] };
  return neg('ga4', 'analytics', 'POST', `https://www.google-analytics.com/mp/collect?measurement_id=G-${rng.alnum(10).toUpperCase()}&api_secret=${rng.alnum(20)}`, body, ['email', 'country'],
    [{ category: 'country', why: 'a language tag, no identifier of the person' }], 'locale tag');
};

/** Only the email's domain. */
const emailDomainOnly: VendorGen = ({ p }) => {
  const domain = n.email(p).split('@')[1];
  const body = { model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: `How many of our newsletter subscribers use ${domain} addresses? Answer with a SQL query over table subscribers(email).` }] };
  return neg('groq', 'llm', 'POST', 'https://api.groq.com/openai/v1/chat/completions', body, ['email'], [{ category: 'email', why: 'only the email domain' }], 'email domain');
};

/** The birth year as a plain year in prose. */
const birthYearInProse: VendorGen = ({ p }) => {
  const year = p.dobIso.slice(0, 4);
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Write an About Us paragraph: the bakery was founded in ${year} and still uses the original recipes.` }] };
  return neg('openai', 'llm', 'POST', 'https://api.openai.com/v1/chat/completions', body, ['email', 'dob'], [{ category: 'birthdate', why: 'the birth year as an unrelated year in prose' }], 'birth year in prose');
};

/** The last four digits of the card. */
const cardLast4: VendorGen = ({ p, rng }) => {
  const body = { personalizations: [{ to: [{ email: 'billing@shop.example' }] }], from: { email: 'noreply@shop.example' }, subject: 'Payment received',
    content: [{ type: 'text/plain', value: `Payment ${rng.alnum(10)} received with card ending in ${p.card.slice(-4)}.` }] };
  return neg('sendgrid', 'email', 'POST', 'https://api.sendgrid.com/v3/mail/send', body, ['email', 'card'], [{ category: 'card', why: 'only the last four digits' }], 'card last 4');
};

/** A neighbouring client address. */
const ipNeighbor: VendorGen = ({ p, rng }) => {
  let ip = p.ip;
  if (ip.includes(':')) ip = ip.replace(/[0-9a-f]$/, (d) => (d === '1' ? '2' : '1'));
  else { const parts = ip.split('.'); parts[3] = String((Number(parts[3]) % 253) + 1); ip = parts.join('.'); }
  const body = { events: [{ user_id: `anon-${rng.alnum(8)}`, event_type: 'page_view', ip, time: nowSec * 1000 }] };
  return neg('amplitude', 'analytics', 'POST', 'https://api2.amplitude.com/2/httpapi', body, ['email', 'ip'], [{ category: 'ip', why: 'a neighbouring address, not the client\'s' }], 'ip neighbour');
};

/** Nothing was collected (a health check); the call carries somebody's data. */
const nothingCollected: VendorGen = ({ other, rng }) => {
  const body = { batch: [{ type: 'identify', userId: other.userId, traits: { email: n.email(other), name: `${other.first} ${other.last}` }, messageId: rng.uuid() }] };
  return neg('segment', 'cdp', 'POST', 'https://api.segment.io/v1/batch', body, [],
    [{ category: 'email', why: 'nothing was collected by this request' }, { category: 'name', why: 'nothing was collected by this request' }], 'health check ingress');
};

/** A clean analytics event: the person's data was collected but not sent. */
const cleanEvent: VendorGen = ({ rng }) => {
  const body = { client_id: `${rng.int(1e8, 1e9)}.${nowSec}`, events: [{ name: 'sign_up', params: { method: 'email', engagement_time_msec: rng.int(100, 9000) } }] };
  return neg('ga4', 'analytics', 'POST', `https://www.google-analytics.com/mp/collect?measurement_id=G-${rng.alnum(10).toUpperCase()}&api_secret=${rng.alnum(20)}`, body,
    ['email', 'phone', 'first', 'last', 'city'], [], 'clean event');
};

/** Gender word of the person in an unrelated field of a product catalog. */
const genderWordInCatalog: VendorGen = ({ p, rng }) => {
  const body = { products: [{ id: rng.int(1000, 9999), department: genderTyped(p), category: 'shoes' }] };
  return neg('unknown', 'unknown', 'POST', 'https://search.catalog-example.com/v2/index', body, ['email', 'gender'],
    [{ category: 'gender', why: 'a department name, no identifier of the person' }], 'gender word in catalog');
};

export const NEGATIVES: ReadonlyArray<[string, VendorGen]> = [
  ['order-id-like-phone', orderIdLikePhone], ['phone-off-by-one', phoneOffByOne], ['price-not-income', priceNotIncome],
  ['amount-equals-income', amountEqualsIncome], ['bare-zip', bareZip], ['sku-equals-zip', skuEqualsZip], ['random-uuid', randomUuid],
  ['never-collected-hashes', neverCollectedHashes], ['shop-support-email', shopSupportEmail], ['first-name-in-prose', firstNameInProse],
  ['size-letter', sizeLetter], ['locale-country', localeCountry], ['email-domain-only', emailDomainOnly], ['birth-year-in-prose', birthYearInProse],
  ['card-last4', cardLast4], ['ip-neighbor', ipNeighbor], ['nothing-collected', nothingCollected], ['clean-event', cleanEvent],
  ['gender-word-in-catalog', genderWordInCatalog],
];

export type { Person };
