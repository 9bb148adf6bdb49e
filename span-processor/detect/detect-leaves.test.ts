import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Leaf, TaggedValue } from '../types';
import { createDetector } from './index';

const cfg = { fieldRules: [], defaultPhoneRegion: 'US', captureHeaders: [], captureLimit: 1024 * 1024 };
const detector = createDetector(cfg);

function leaf(path: string, value: string): Leaf {
  const segs = path.split(/[.[\]]/).filter((s) => s && !/^\d+$/.test(s));
  return { path, key: (segs[segs.length - 1] ?? '').toLowerCase(), value, layers: [] };
}
function detect(...leaves: [string, string][]): TaggedValue[] {
  return detector.detectLeaves(leaves.map(([p, v]) => leaf(p, v)));
}
function one(path: string, value: string, d = detector): string | undefined {
  const out = d.detectLeaves([leaf(path, value)]);
  assert.ok(out.length <= 1, `one value expected for ${path}: ${out.map((t) => t.category).join(',')}`);
  return out[0]?.category;
}

test('signup form: each field tagged with its category, value as written, field = path', () => {
  const out = detect(
    ['body.email', ' Jane.Doe+news@Gmail.com '], ['body.firstName', 'Mary-Jane'], ['body.lastName', "O'Neil"],
    ['body.phone', '+1 (650) 555-1212'], ['body.dob', '1990-01-15'], ['body.gender', 'Female'],
    ['body.address.city', 'San Francisco'], ['body.address.state', 'California'], ['body.address.zip', '94105-1234'],
    ['body.address.country', 'United States'], ['body.userId', ' User-123 '], ['body.password', 'hunter2'],
    ['body.plan', 'pro'], ['body.accepted', 'true'],
  );
  assert.deepEqual(out, [
    { category: 'email', field: 'body.email', value: ' Jane.Doe+news@Gmail.com ' },
    { category: 'name', field: 'body.firstName', value: 'Mary-Jane' },
    { category: 'name', field: 'body.lastName', value: "O'Neil" },
    { category: 'phone', field: 'body.phone', value: '+1 (650) 555-1212' },
    { category: 'birthdate', field: 'body.dob', value: '1990-01-15' },
    { category: 'gender', field: 'body.gender', value: 'Female' },
    { category: 'city', field: 'body.address.city', value: 'San Francisco' },
    { category: 'region', field: 'body.address.state', value: 'California' },
    { category: 'postal_code', field: 'body.address.zip', value: '94105-1234' },
    { category: 'country', field: 'body.address.country', value: 'United States' },
    { category: 'user_id', field: 'body.userId', value: ' User-123 ' },
    { category: 'password', field: 'body.password', value: 'hunter2' },
  ]);
});

test('multilingual field names', () => {
  assert.equal(one('body.courriel', 'marie@exemple.fr'), 'email');
  assert.equal(one('body.telefon', '+49 151 23456789'), 'phone');
  assert.equal(one('body.vorname', 'Jürgen'), 'name');
  assert.equal(one('body.apellido', 'García'), 'name');
  assert.equal(one('body.geburtsdatum', '15.01.1990'), 'birthdate');
  assert.equal(one('body.fecha_de_nacimiento', '15/01/1990'), 'birthdate');
  assert.equal(one('body.sexe', 'homme'), 'gender');
  assert.equal(one('body.einkommen', '85.000 €'), 'income');
  assert.equal(one('form.Straße', 'Hauptstraße 5'), 'address');
  assert.equal(one('body.ville', 'Lyon'), 'city');
  assert.equal(one('body.plz', '10115'), 'postal_code');
  assert.equal(one('body.pays', 'France'), 'country');
  assert.equal(one('body.senha', 's3cret'), 'password');
  assert.equal(one('body.steuer_id', '12345678901'), 'gov_id');
  assert.equal(one('body.cpf', '123.456.789-09'), 'gov_id');
  assert.equal(one('body.diagnosis', 'Type 2 diabetes'), 'health');
  assert.equal(one('query.customer[email]', 'a@example.com'), 'email');
  assert.equal(one('body.userData.em', 'a@example.com'), 'email');
});

test('income only with a field name', () => {
  assert.equal(one('body.income', '120000'), 'income');
  assert.equal(one('body.annualSalary', '$120,000.00'), 'income', 'qualifier + income name');
  assert.equal(one('body.annual_income', '$120,000.00'), 'income');
  assert.equal(one('body.amount', '120000'), undefined);
  assert.equal(one('body.total', '$120,000.00'), undefined);
  assert.equal(one('body.income', 'high'), undefined, 'not numeric');
});

test('low-entropy values need their field name', () => {
  assert.equal(one('body.zip', '61348'), 'postal_code');
  assert.equal(one('body.code', '61348'), undefined, '"61348" alone is not a postal code');
  assert.equal(one('body.quantity', '61348'), undefined);
  assert.equal(one('body.size', 'm'), undefined, '"m" alone is not a gender');
  assert.equal(one('body.gender', 'm'), 'gender');
  assert.equal(one('body.state', 'pending'), undefined, 'a status word in a state field');
  assert.equal(one('body.estado', 'SP'), 'region');
  assert.equal(one('body.estado', 'pendente'), undefined, 'estado is also a status field');
  assert.equal(one('body.pincode', '560001'), 'postal_code');
  assert.equal(one('body.zip', 'London'), undefined, 'postal code needs a digit');
});

test('phone: an order number that looks like a phone is not a phone without a phone field', () => {
  assert.equal(one('body.orderNumber', '2015550123'), undefined);
  assert.equal(one('body.id', '6505551212'), undefined);
  assert.equal(one('body.phone', '6505551212'), 'phone', 'a phone field accepts bare digits');
  assert.equal(one('body.contact', '+1 650-555-1212'), 'phone', 'written like a phone: tagged without a field name');
  assert.equal(one('body.ref', '(650) 555-1212'), 'phone');
  assert.equal(one('body.phone', '123-456-7890'), undefined, 'invalid number');
  assert.equal(one('body.created', '2021-03-04'), undefined, 'dates have separators too');
});

test('values that identify themselves are tagged under any field name', () => {
  assert.equal(one('body.contact', 'jane@example.com'), 'email');
  assert.equal(one('body.phone', 'jane@example.com'), 'email', 'a failed field check falls back to the value');
  assert.equal(one('body.note', '4111 1111 1111 1111'), 'card');
  assert.equal(one('body.note', '4111111111111111'), undefined, 'ungrouped digits need a card field');
  assert.equal(one('body.cardNumber', '4111111111111111'), 'card');
  assert.equal(one('body.cardNumber', '4111111111111112'), undefined, 'Luhn');
  assert.equal(one('body.ref', 'DE89 3704 0044 0532 0130 00'), 'iban');
  assert.equal(one('body.ref', 'GB82WEST12345698765432'), 'iban');
  assert.equal(one('body.ref', 'GB82WEST12345698765433'), undefined);
  assert.equal(one('body.ref', '536-22-1234'), 'gov_id');
  assert.equal(one('body.ref', '666-22-1234'), undefined, 'invalid SSN area');
  assert.equal(one('body.ref', '536221234'), undefined, 'SSN by value only when hyphenated');
  assert.equal(one('body.ssn', '536221234'), 'gov_id');
});

test('names: by field name only, one value for several words', () => {
  assert.deepEqual(detect(['body.name', 'Jane van der Berg']), [{ category: 'name', field: 'body.name', value: 'Jane van der Berg' }]);
  assert.equal(one('body.comment', 'Jane Doe'), undefined);
  assert.equal(one('body.name', '12345'), undefined);
  assert.equal(one('body.name', 'x'.repeat(101)), undefined);
  assert.equal(one('body.name', ''), undefined);
  assert.equal(one('body.items[0].name', 'Running shoes'), undefined, 'product name');
  assert.equal(one('body.name', 'jane@example.com'), 'email');
});

test('ids: click ids, device ids, ip by field name', () => {
  assert.equal(one('cookie._fbp', 'fb.1.1596403881668.1116446470'), 'ad_click_id');
  assert.equal(one('query.gclid', 'EAIaIQobChMI3dLk'), 'ad_click_id');
  assert.equal(one('query.ttclid', 'E.C.P.abc123'), 'ad_click_id');
  assert.equal(one('body.idfa', '5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25'), 'device_id');
  assert.equal(one('body.idfa', '00000000-0000-0000-0000-000000000000'), undefined);
  assert.equal(one('body.ip_address', '203.0.113.9'), 'ip');
  assert.equal(one('body.ip_address', '127.0.0.1'), undefined);
  assert.equal(one('body.server', '203.0.113.9'), undefined, 'ip only by field name or client address');
});

test('user agent only from the user-agent header', () => {
  assert.equal(one('header.user-agent', 'Mozilla/5.0 (X11)'), 'user_agent');
  assert.equal(one('body.user_agent', 'Mozilla/5.0 (X11)'), undefined);
});

test('free text: every email and phone inside', () => {
  const out = detect(['body.message', 'Hi, I am jane@example.com (or j.doe@work.example.org), call +1 650-555-1212. Order 2015550123.']);
  assert.deepEqual(out.map((t) => [t.category, t.value]), [
    ['email', 'jane@example.com'], ['email', 'j.doe@work.example.org'], ['phone', '+1 650-555-1212'],
  ]);
  assert.ok(out.every((t) => t.field === 'body.message'));
});

test('long values: only free-text search, capped', () => {
  const long = 'lorem ipsum '.repeat(1500) + ' reach me at long@example.com ' + '+1 650-555-1212';
  assert.ok(long.length > 4096);
  const out = detector.detectLeaves([leaf('body.email', long)]);
  assert.deepEqual(out.map((t) => [t.category, t.value]), [['email', 'long@example.com']], 'phone past the phone-search window');
  const huge = 'x'.repeat(70 * 1024) + ' late@example.com';
  assert.deepEqual(detector.detectLeaves([leaf('body.text', huge)]), [], 'beyond the free-text window');
});

test('booleans, empty strings, nulls are never tagged', () => {
  assert.deepEqual(detect(['body.email', 'true'], ['body.name', 'false'], ['body.name', ''], ['body.name', 'null'], ['body.gender', 'True']), []);
});

test('dedupe by (category, field, value); cap per request', () => {
  const out = detect(['body.email', 'a@example.com'], ['body.email', 'a@example.com'], ['body.other', 'a@example.com']);
  assert.equal(out.length, 2);
  const many = Array.from({ length: 400 }, (_, i) => leaf(`body.users[${i}].email`, `u${i}@example.com`));
  assert.equal(detector.detectLeaves(many).length, 256);
});

test('custom fieldRules from config add categories and win over built-ins', () => {
  const d = createDetector({ ...cfg, fieldRules: [
    { category: 'loyalty_id', names: ['loyaltyNumber', 'bonuskarte'] },
    { category: 'pet_name', names: [], pattern: '^pet.*name$' },
    { category: 'user_id', names: ['nickname'] },
  ] });
  assert.equal(one('body.loyalty_number', 'LX-0042', d), 'loyalty_id');
  assert.equal(one('body.Bonuskarte', '991-2', d), 'loyalty_id');
  assert.equal(one('body.petName', 'Rex', d), 'pet_name');
  assert.equal(one('body.nickname', 'jdoe', d), 'user_id');
  assert.equal(one('body.loyalty_number', 'LX-0042'), undefined, 'not without the config rule');
  assert.throws(() => createDetector({ ...cfg, fieldRules: [{ category: 'x', names: [], pattern: '(' }] }), /fieldRules\.0\.pattern/);
});

test('default phone region from config', () => {
  const de = createDetector({ ...cfg, defaultPhoneRegion: 'DE' });
  assert.equal(one('body.handy', '0151 23456789', de), 'phone');
  assert.equal(one('body.handy', '0151 23456789'), undefined, 'not a valid US number');
});

test('never throws on hostile input', () => {
  const bad = [null, undefined, 42, { path: 'body.x' }, { path: 'body.email', key: 'email', value: 7, layers: [] },
    { value: 'a@example.com' }, leaf('body.email', 'ok@example.com')] as unknown as Leaf[];
  assert.deepEqual(detector.detectLeaves(bad), [{ category: 'email', field: 'body.email', value: 'ok@example.com' }], 'bad leaves skipped, not fatal');
  assert.deepEqual(detector.detectLeaves(null as unknown as Leaf[]), []);
});

test('performance: 5000 leaves in well under a second', () => {
  const leaves: Leaf[] = [];
  for (let i = 0; i < 5000; i++) {
    leaves.push(leaf(`body.rows[${i}].${['email', 'note', 'phone', 'sku', 'qty'][i % 5]}`,
      [`u${i}@example.com`, 'some free text with words', '+1 650-555-1212', 'SKU-123456', '42'][i % 5]!));
  }
  const t0 = process.hrtime.bigint();
  detector.detectLeaves(leaves);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < 1000, `took ${ms} ms`);
});

test('a national phone number is read in the country the request names', () => {
  // "347 123 4567" is not a valid US number; next to country IT it is +39 347 123 4567.
  const out = detect(['body.mobile', '347 123 4567'], ['body.country', 'IT']);
  assert.deepEqual(out.find((t) => t.category === 'phone'), { category: 'phone', field: 'body.mobile', value: '347 123 4567', region: 'IT' });
  const alone = detect(['body.mobile', '347 123 4567']);
  assert.equal(alone.find((t) => t.category === 'phone'), undefined, 'without the hint it is not a phone');
});

test('a field name counts the same on every request, short paths and long ones alike', () => {
  // Paths' field names are remembered for short paths and cut afresh for long ones: both must
  // read the field and its parent the same way every time (notUnder rules need the parent).
  const deep = `body.${'wrapper.'.repeat(40)}contact`;
  assert.ok(deep.length > 256);
  for (const prefix of ['body.contact', deep]) {
    for (let i = 0; i < 3; i++) {
      assert.equal(one(`${prefix}.first_name`, 'Mary-Jane'), 'name');
      assert.equal(one(`${prefix}.zip`, '94105'), 'postal_code');
      assert.equal(one(`${prefix}.plan`, 'pro'), undefined);
    }
  }
});
