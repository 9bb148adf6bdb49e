import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { findValueRanges, matchEgress, matchLeaves, type MatchOptions } from './index';
import { TestRegistry } from './test-registry';
import type { EgressCapture, HeaderMap, ShareMatch } from '../types';

const OPTS: MatchOptions = { defaultPhoneRegion: 'US' };
const hash = (alg: string, s: string, enc: 'hex' | 'base64' | 'base64url' = 'hex'): string => createHash(alg).update(s).digest(enc);

function capture(url: string, headers: HeaderMap, body?: Buffer | string): EgressCapture {
  const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    kind: 'egress', method: buf ? 'POST' : 'GET', url, host: new URL(url).hostname, headers,
    body: { chunks: buf ? [buf] : [], bytes: buf?.length ?? 0, truncated: false, complete: true },
  };
}
const jsonCall = (url: string, doc: unknown, headers: HeaderMap = {}): EgressCapture =>
  capture(url, { 'content-type': 'application/json', ...headers }, JSON.stringify(doc));
const summary = (ms: ShareMatch[]): string[] => ms.map((m) => `${m.fp} ${m.field} ${m.transform}`).sort();

test('known-answer vectors of semconv §5 are found as digests', () => {
  const reg = new TestRegistry()
    .index('email', 'E1', 'E1', 'lowercase', 'person@example.com')
    .index('email', 'E2', 'E2', 'normalized', 'janedoe@gmail.com')
    .index('phone', 'P1', 'E1', 'normalized', '448444124653')
    .index('phone', 'P2', 'E2', 'plain', '123-456-7890');
  const leaves = [
    { path: 'body.em', key: 'em', value: '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345', layers: [] },
    { path: 'body.email', key: 'email', value: 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69', layers: [] },
    { path: 'body.ph', key: 'ph', value: 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383', layers: [] },
    { path: 'body.phone_md5', key: 'phone_md5', value: '2813448ce6316cb70b38fa29c8c64130', layers: [] },
  ];
  assert.deepEqual(summary(matchLeaves(leaves, reg, OPTS).matches), [
    'E1 body.em lowercase+sha256', 'E2 body.email normalized+sha256', 'P1 body.ph normalized+sha256', 'P2 body.phone_md5 md5',
  ]);
});

test('Meta CAPI payload: hashed arrays, <hex>.<appendix>, fbc cookie format, raw external_id', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'lowercase', 'jane.doe+news@gmail.com')
    .index('phone', 'P', 'E', 'normalized', '16505551212')
    .index('city', 'C', 'E', 'normalized', 'sanfrancisco')
    .index('name', 'N', 'E', 'normalized', 'maryjane')
    .index('user_id', 'U', 'E', 'plain', ' User-123 ')
    .index('ad_click_id', 'A', 'E', 'plain', 'IwAR2xyzClickId123');
  const doc = { data: [{ event_name: 'Purchase', user_data: {
    em: [hash('sha256', 'jane.doe+news@gmail.com')],
    ph: [`${hash('sha256', '16505551212')}.AQQCAQMC`],
    ct: [hash('sha256', 'sanfrancisco')],
    fn: [hash('sha256', 'maryjane').toUpperCase()],
    external_id: ' User-123 ',
    fbc: 'fb.1.1700000000000.IwAR2xyzClickId123',
  } }] };
  const r = matchEgress(jsonCall('https://graph.facebook.com/v21.0/123/events?access_token=tok', doc), reg, OPTS);
  assert.deepEqual(summary(r.matches), [
    'A body.data[0].user_data.fbc plain',
    'C body.data[0].user_data.ct[0] normalized+sha256',
    'E body.data[0].user_data.em[0] lowercase+sha256',
    'N body.data[0].user_data.fn[0] normalized+sha256',
    'P body.data[0].user_data.ph[0] normalized+sha256',
    'U body.data[0].user_data.external_id plain',
  ]);
  assert.ok(r.matches.every((m) => m.subject === 'E'));
  assert.deepEqual(r.errors, []);
});

test('GA4 sha256_email_address and Google Data Manager base64 sha256', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'normalized', 'janedoe@gmail.com');
  const ga4 = matchEgress(jsonCall('https://www.google-analytics.com/mp/collect?measurement_id=G-1&api_secret=s',
    { client_id: '1.2', user_data: { sha256_email_address: [hash('sha256', 'janedoe@gmail.com')] } }), reg, OPTS);
  assert.deepEqual(summary(ga4.matches), ['E body.user_data.sha256_email_address[0] normalized+sha256']);

  const dm = matchEgress(jsonCall('https://datamanager.googleapis.com/v1/audienceMembers:ingest',
    { audienceMembers: [{ userData: { userIdentifiers: [{ emailAddress: hash('sha256', 'janedoe@gmail.com', 'base64') }] } }] }), reg, OPTS);
  assert.deepEqual(summary(dm.matches), ['E body.audienceMembers[0].userData.userIdentifiers[0].emailAddress normalized+sha256+base64']);

  const url = matchLeaves([{ path: 'query.h', key: 'h', value: hash('sha256', 'janedoe@gmail.com', 'base64url'), layers: [] }], reg, OPTS);
  assert.deepEqual(summary(url.matches), ['E query.h normalized+sha256+base64url']);
});

test('gzip JSON body (PostHog style, no Content-Encoding header) reports the gzip layer', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'Jane@Example.com');
  const body = zlib.gzipSync(JSON.stringify({ api_key: 'phc_x', batch: [{ event: '$identify', properties: { $set: { email: 'Jane@Example.com' } } }] }));
  const r = matchEgress(capture('https://us.i.posthog.com/batch/?compression=gzip-js', { 'content-type': 'text/plain' }, body), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['E body.batch[0].properties.$set.email gzip']);
});

test('form-urlencoded body with %40 and E.164 phone; email in a query string', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane@x.com')
    .index('phone', 'P', 'E', 'normalized', '+16505551212');
  const form = matchEgress(capture('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
    { 'Content-Type': 'application/x-www-form-urlencoded' }, 'To=%2B16505551212&Body=Hi&Email=jane%40x.com'), reg, OPTS);
  assert.deepEqual(summary(form.matches), ['E form.Email urlencoded', 'P form.To normalized+urlencoded']);

  const q = matchEgress(capture('https://pixel.example.net/p.gif?ev=lead&email=jane%40x.com', {}), reg, OPTS);
  assert.deepEqual(summary(q.matches), ['E query.email urlencoded']);
});

test('Mixpanel-style data=<base64 JSON> query', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'jane@x.com');
  const data = Buffer.from(JSON.stringify({ event: 'Signup', properties: { $email: 'jane@x.com', token: 't' } })).toString('base64');
  const r = matchEgress(capture(`https://api.mixpanel.com/track?ip=1&data=${encodeURIComponent(data)}`, {}), reg, OPTS);
  const layers = encodeURIComponent(data) === data ? 'base64' : 'base64+urlencoded';
  assert.deepEqual(summary(r.matches), [`E query.data>body.properties.$email ${layers}`]);
});

test('LLM prompt: email, phone written for humans, and an amount in one sentence', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane.doe@example.com')
    .index('phone', 'P', 'E', 'normalized', '+16505551212')
    .index('income', 'I', 'E', 'normalized', '87500');
  const prompt = 'Write a follow-up to jane.doe@example.com: she earns $87,500 a year, call +1 (650) 555-1212 if needed. Thanks jane.doe@example.com!';
  const r = matchEgress(jsonCall('https://api.openai.com/v1/chat/completions',
    { model: 'gpt-4o', messages: [{ role: 'system', content: 'You are helpful' }, { role: 'user', content: prompt }] }), reg, OPTS);
  assert.deepEqual(summary(r.matches), [
    'E body.messages[1].content plain', 'I body.messages[1].content normalized', 'P body.messages[1].content normalized',
  ]);
});

test('income: bare amount in prose without a strong id is dropped, under an income key it is kept', () => {
  const reg = new TestRegistry().index('income', 'I', 'S', 'normalized', '87500');
  const prose = [{ path: 'body.prompt', key: 'prompt', value: 'The budget is $87,500 for this quarter overall', layers: [] }];
  assert.deepEqual(matchLeaves(prose, reg, OPTS).matches, []);
  const keyed = [{ path: 'body.traits.annual_income', key: 'annual_income', value: '87500', layers: [] }];
  assert.deepEqual(summary(matchLeaves(keyed, reg, OPTS).matches), ['I body.traits.annual_income normalized']);
});

test('a hash of a value that was never registered matches nothing', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'jane@x.com');
  const r = matchEgress(jsonCall('https://graph.facebook.com/v21.0/1/events',
    { data: [{ user_data: { em: [hash('sha256', 'someone.else@x.com')], ph: [hash('md5', '+15550000000')] } }] }), reg, OPTS);
  assert.deepEqual(r.matches, []);
});

test('low-entropy city: alone no match; next to the subject\'s email hash a match', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'lowercase', 'jane@x.com')
    .index('city', 'C', 'E', 'normalized', 'sanfrancisco')
    .index('postal_code', 'Z', 'E', 'normalized', '94105');
  const city = hash('sha256', 'sanfrancisco');
  assert.deepEqual(matchEgress(jsonCall('https://x.example/e', { props: { v: city, note: '94105' } }), reg, OPTS).matches, []);
  const r = matchEgress(jsonCall('https://x.example/e', { props: { v: city, note: '94105', h: hash('sha256', 'jane@x.com') } }), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['C body.props.v normalized+sha256', 'E body.props.h lowercase+sha256', 'Z body.props.note normalized']);
  // another subject's email does not vouch for this city
  const other = new TestRegistry().index('email', 'E2', 'E2', 'plain', 'bob@x.com').index('city', 'C', 'E', 'normalized', 'sanfrancisco');
  assert.deepEqual(summary(matchEgress(jsonCall('https://x.example/e', { v: city, e: 'bob@x.com' }), other, OPTS).matches), ['E2 body.e plain']);
  // a vendor field that expects the category is enough on its own (hashed_* forms too)
  assert.deepEqual(summary(matchEgress(jsonCall('https://x.example/e', { ct: city, hashed_zip_code: hash('sha256', '94105') }), reg, OPTS).matches),
    ['C body.ct normalized+sha256', 'Z body.hashed_zip_code normalized+sha256']);
  // … but only hashed: a plain city and zip sent alone (a weather lookup) are no share
  const plain = new TestRegistry().index('email', 'E', 'E', 'lowercase', 'jane@x.com')
    .index('city', 'C', 'E', 'plain', 'Springfield').index('postal_code', 'Z', 'E', 'plain', '62704');
  assert.deepEqual(matchEgress(jsonCall('https://api.weather.example/v1', { city: 'Springfield', zip: '62704' }), plain, OPTS).matches, []);
});

test('a bare first name in prose is weak; with the last name or a strong id it counts', () => {
  const reg = new TestRegistry()
    .index('name', 'F', 'S', 'lowercase', 'jane')
    .index('name', 'L', 'S', 'lowercase', 'doe')
    .index('email', 'E', 'S', 'plain', 'jane@x.com');
  const leaf = (value: string) => [{ path: 'body.prompt', key: 'prompt', value, layers: [] }];
  assert.deepEqual(matchLeaves(leaf('Please say hello to Jane from all of us'), reg, OPTS).matches, []);
  assert.deepEqual(summary(matchLeaves(leaf('Please say hello to Jane Doe from all of us'), reg, OPTS).matches),
    ['F body.prompt lowercase', 'L body.prompt lowercase']);
  assert.deepEqual(summary(matchLeaves(leaf('Please say hello to Jane, reply to jane@x.com'), reg, OPTS).matches),
    ['E body.prompt plain', 'F body.prompt lowercase']);
  // a name field holding just the name is not prose
  assert.deepEqual(summary(matchLeaves([{ path: 'body.first_name', key: 'first_name', value: 'Jane', layers: [] }], reg, OPTS).matches),
    ['F body.first_name lowercase']);
});

test('substring variants (an initial, five letters) count only next to the same person\'s identifier', () => {
  const reg = new TestRegistry()
    .index('name', 'F', 'S', 'substring', 'j')
    .index('email', 'S', 'S', 'plain', 'jane@x.com')
    .index('gender', 'G', 'S', 'plain', 'f')
    .index('name', 'I', 'T', 'substring', 'f');
  const m = (...kv: Array<[string, string]>) =>
    matchLeaves(kv.map(([key, value]) => ({ path: `body.${key}`, key, value, layers: [] })), reg, OPTS).matches;
  const em: [string, string] = ['em', 'jane@x.com'];
  // alone, a hashed initial is every J in the registry
  assert.deepEqual(m(['fi', 'j']), []);
  assert.deepEqual(m(['x', hash('sha256', 'j')]), []);
  assert.deepEqual(summary(m(['fi', 'j'], em)), ['F body.fi substring', 'S body.em plain']);
  assert.deepEqual(summary(m(['x', hash('sha256', 'j')], em)), ['F body.x substring+sha256', 'S body.em plain']);
  // a plain substring outside the name-part keys is prose
  assert.deepEqual(summary(m(['note', 'j'], em)), ['S body.em plain']);
  // `ge: sha256("f")` is Jane's gender, not the initial of another person (T) nor a name part
  assert.deepEqual(summary(m(['ge', hash('sha256', 'f')], em)), ['G body.ge sha256', 'S body.em plain']);
});

test('headers: authorization and cookies scanned, user-agent skipped unless shareUserAgent', () => {
  const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15';
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane@x.com')
    .index('user_id', 'U', 'E', 'plain', 'user-8842')
    .index('ad_click_id', 'A', 'E', 'plain', 'IwAR2xyzClickId123')
    .index('user_agent', 'UA', 'E', 'plain', ua);
  const headers: HeaderMap = {
    Authorization: `Basic ${Buffer.from('jane@x.com:secret').toString('base64')}`,
    'X-User': 'user-8842',
    Cookie: '_fbc=fb.1.1700000000000.IwAR2xyzClickId123; theme=dark',
    'User-Agent': ua,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };
  const r = matchEgress(capture('https://api.example.com/x', headers), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['A cookie._fbc plain', 'E header.authorization>body base64', 'U header.x-user plain']);
  const withUa = matchEgress(capture('https://api.example.com/x', headers), reg, { ...OPTS, shareUserAgent: true });
  assert.ok(withUa.matches.some((m) => m.fp === 'UA' && m.field === 'header.user-agent'));
  // a user agent in the body is also only a share when configured
  const body = jsonCall('https://api.example.com/x', { client_user_agent: ua });
  assert.deepEqual(matchEgress(body, reg, OPTS).matches, []);
  assert.equal(matchEgress(body, reg, { ...OPTS, shareUserAgent: true }).matches.length, 1);
});

test('one match per (fp, field); the same value in two fields is two matches', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'jane@x.com');
  const r = matchEgress(jsonCall('https://x.example/e', { a: 'jane@x.com', b: 'mail jane@x.com or JANE@X.COM', c: hash('sha256', 'jane@x.com') }), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['E body.a plain', 'E body.b plain', 'E body.c sha256']);
});

test('caps: token budget and a truncated capture set truncated; bad input does not throw', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'jane@x.com');
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ') + ' jane@x.com';
  const r = matchLeaves([{ path: 'body', key: '', value: long, layers: [] }], reg, { ...OPTS, maxTokens: 50 });
  assert.equal(r.truncated, true);
  const c = capture('https://x.example/e', { 'content-type': 'application/json' }, '{"a":"jane@x.com"');
  c.body.truncated = true;
  const t = matchEgress(c, reg, OPTS);
  assert.equal(t.truncated, true);
  assert.deepEqual(t.errors, ['malformed JSON body']);
  assert.deepEqual(summary(t.matches), ['E body plain']);
  assert.doesNotThrow(() => matchEgress({ kind: 'egress' } as unknown as EgressCapture, reg, OPTS));
  assert.doesNotThrow(() => matchLeaves(null as unknown as [], reg, OPTS));
});

test('findValueRanges: urlencoded email in path and query, + for space, hex digest; non-overlapping', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane@x.com')
    .index('name', 'N', 'E', 'lowercase', 'jane doe')
    .index('city', 'C', 'E', 'lowercase', 'paris');
  const h = hash('sha256', 'jane@x.com');
  const url = `https://track.customer.io/api/v1/customers/jane%40x.com/events?email=jane%40x.com&n=Jane+Doe&h=${h}&page=paris-guide&ct=paris`;
  const ranges = findValueRanges(url, reg, OPTS);
  assert.deepEqual(ranges.map((r) => [url.slice(r.start, r.end), r.hit.fp]), [
    ['jane%40x.com', 'E'], ['jane%40x.com', 'E'], ['Jane+Doe', 'N'], [h, 'E'], ['paris', 'C'],
  ]);
  for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i].start >= ranges[i - 1].end);
  // low-entropy alone in a URL (no strong id, key not expecting it) is left in place
  assert.deepEqual(findValueRanges('https://x.example/paris?ct2=paris', reg, OPTS), []);
  // … but under a parameter that expects a city it is scrubbed
  assert.deepEqual(findValueRanges('https://x.example/p?ct=paris', reg, OPTS).map((r) => [r.start, r.end]), [[23, 28]]);
  // whole attribute values (client.address) and free text
  const ip = new TestRegistry().index('ip', 'IP', 'IP', 'plain', '203.0.113.7');
  assert.deepEqual(findValueRanges('203.0.113.7', ip, OPTS).map((r) => [r.start, r.end]), [[0, 11]]);
  const stmt = "SELECT * FROM users WHERE email = 'jane@x.com'";
  assert.deepEqual(findValueRanges(stmt, reg, OPTS).map((r) => stmt.slice(r.start, r.end)), ['jane@x.com']);
});

/** The real registry keeps values under three characters only as digests; emulate that. */
function shortAsDigestsOnly(reg: TestRegistry): TestRegistry {
  const plain = reg.lookupPlain.bind(reg);
  reg.lookupPlain = (token: string) => (token.length < 3 ? undefined : plain(token));
  return reg;
}

test('one- and two-character values (country, gender, state codes) are found through their digest', () => {
  const reg = shortAsDigestsOnly(new TestRegistry()
    .index('email', 'E', 'E', 'lowercase', 'jane@x.com')
    .index('country', 'C', 'E', 'normalized', 'US')
    .index('gender', 'G', 'E', 'normalized', 'f'));
  const r = matchEgress(jsonCall('https://x.example/e', { email: 'jane@x.com', countryCode: 'US', $Gender: 'F', size: 'M' }), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['C body.countryCode normalized', 'E body.email lowercase', 'G body.$Gender normalized']);
  // alone, a plain short code is low entropy like any other
  assert.deepEqual(matchEgress(jsonCall('https://x.example/e', { countryCode: 'US' }), reg, OPTS).matches, []);
});

test('dates rewritten in prose are looked up as ISO', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane@x.com')
    .index('birthdate', 'B', 'E', 'normalized', '1976-10-16');
  for (const written of ['16.10.1976', '10/16/1976', '16 October 1976', 'October 16th, 1976', 'Oct. 16 1976']) {
    const r = matchLeaves([{ path: 'body.prompt', key: 'prompt', value: `Applicant jane@x.com, born ${written}, asks for a loan.`, layers: [] }], reg, OPTS);
    assert.deepEqual(summary(r.matches), ['B body.prompt normalized', 'E body.prompt plain'], written);
  }
  const other = matchLeaves([{ path: 'body.prompt', key: 'prompt', value: 'jane@x.com joined on 17 October 1976.', layers: [] }], reg, OPTS);
  assert.deepEqual(summary(other.matches), ['E body.prompt plain']);
});

test('multi-word values in prose: street addresses, alphanumeric postcodes', () => {
  const reg = new TestRegistry()
    .index('email', 'E', 'E', 'plain', 'jane@x.com')
    .index('address', 'A', 'E', 'lowercase', 'rua augusta, 1500')
    .index('postal_code', 'Z', 'E', 'lowercase', 'sw1a 1aa');
  const text = 'Ship the order of jane@x.com to Rua Augusta,  1500 today. Profile: {"zip":"SW1A 1AA"}';
  const r = matchLeaves([{ path: 'body.prompt', key: 'prompt', value: text, layers: [] }], reg, OPTS);
  assert.deepEqual(summary(r.matches), ['A body.prompt lowercase', 'E body.prompt plain', 'Z body.prompt lowercase']);
});

test('an address with letters beyond ASCII is found whole inside prose', () => {
  const reg = new TestRegistry().index('email', 'E', 'E', 'plain', 'María.García.2@example.com');
  const r = matchEgress(jsonCall('https://api.example-crm.com/notes', { note: 'Call María.García.2@example.com tomorrow' }), reg, OPTS);
  assert.deepEqual(summary(r.matches), ['E body.note plain']);
});
