import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldMatcher, keySegmentsFromEnd, lastKeySegment, normalizeFieldName } from './field-names';
import { builtinRules, parseRulesFile } from './rules-file';

test('normalizeFieldName: camelCase, separators, case, accents', () => {
  for (const v of ['firstName', 'first_name', 'First-Name', 'FIRST_NAME', 'first name', 'First.Name']) {
    assert.equal(normalizeFieldName(v), 'firstname', v);
  }
  assert.equal(normalizeFieldName('prénom'), 'prenom');
  assert.equal(normalizeFieldName('Straße'), 'strasse');
  assert.equal(normalizeFieldName('contraseña'), 'contrasena');
  assert.equal(normalizeFieldName('téléphone'), 'telephone');
  assert.equal(normalizeFieldName('XMLHttpRequest'), 'xmlhttprequest');
  assert.equal(normalizeFieldName('x-user-email'), 'useremail', 'x- header prefix dropped');
  assert.equal(normalizeFieldName('_fbp'), 'fbp');
  assert.equal(normalizeFieldName('ScCid'), 'sccid');
  assert.equal(normalizeFieldName('--'), '');
});

test('path segments: last named segment and its parent', () => {
  assert.deepEqual(keySegmentsFromEnd('body.user.emails[0]', 2), ['emails', 'user']);
  assert.deepEqual(keySegmentsFromEnd('query.customer[email]', 2), ['email', 'customer']);
  assert.deepEqual(keySegmentsFromEnd('query.data>body.properties.email', 3), ['email', 'properties', 'body']);
  assert.deepEqual(keySegmentsFromEnd('body["e-mail"]', 2), ['"e-mail"', 'body']);
  assert.deepEqual(keySegmentsFromEnd('email', 2), ['email']);
  assert.deepEqual(keySegmentsFromEnd('', 2), []);
  assert.equal(lastKeySegment('customer[email]'), 'email');
  assert.equal(lastKeySegment('userData.em'), 'em');
});

const builtin = builtinRules();
const matcher = compileFieldMatcher([builtin.rules], builtin.qualifiers);
const cat = (key: string, parent?: string): string | undefined => matcher.match(key, parent)[0];

test('built-in names in several languages', () => {
  const cases: Record<string, string[]> = {
    email: ['email', 'e-mail', 'E_Mail', 'courriel', 'correo', 'correo_electronico', 'mail', 'emailAddress'],
    phone: ['phone', 'phoneNumber', 'telefon', 'téléphone', 'teléfono', 'celular', 'mobile', 'Handy', 'tel', 'msisdn'],
    name: ['firstName', 'vorname', 'prénom', 'nombre', 'nome', 'lastName', 'nachname', 'nom', 'apellido', 'sobrenome',
      'surname', 'fullName', 'name'],
    birthdate: ['birthdate', 'dob', 'Geburtsdatum', 'date_de_naissance', 'fecha_de_nacimiento', 'dateOfBirth'],
    gender: ['gender', 'sex', 'Geschlecht', 'sexe', 'género'],
    income: ['income', 'salary', 'annual_income', 'annualIncome', 'gehalt', 'einkommen', 'salaire', 'revenu', 'ingresos',
      'salario', 'renda'],
    address: ['street', 'address', 'adresse', 'strasse', 'Straße', 'dirección', 'endereco', 'address_line_1', 'billingAddress'],
    city: ['city', 'stadt', 'ville', 'ciudad', 'cidade'],
    region: ['state', 'region', 'province', 'bundesland', 'estado', 'UF'],
    country: ['country', 'land', 'pays', 'país', 'countryCode'],
    postal_code: ['zip', 'postal_code', 'postcode', 'PLZ', 'cep', 'code_postal', 'zipCode', 'pincode', 'pin_code'],
    user_id: ['user_id', 'userId', 'customer_id', 'external_id', 'uid', 'account_id', 'username'],
    password: ['password', 'passwort', 'mot_de_passe', 'contraseña', 'senha', 'pwd', 'newPassword'],
    gov_id: ['ssn', 'social_security_number', 'steuer_id', 'nir', 'cpf', 'aadhaar', 'nino', 'tax_id', 'gov_id'],
    card: ['card_number', 'cardNumber', 'cc_number'],
    iban: ['iban', 'IBAN'],
    health: ['health', 'diagnosis', 'medical_condition', 'diagnostics'],
    ad_click_id: ['_fbp', '_fbc', 'fbclid', 'gclid', 'gbraid', 'wbraid', 'ttclid', '_ttp', 'ScCid', '_scid', '_epik',
      'rdt_cid', '_rdt_uuid', 'li_fat_id', 'msclkid'],
    device_id: ['idfa', 'gaid', 'adid', 'madid', 'device_id', 'deviceId'],
    ip: ['ip', 'ip_address', 'client_ip', 'ipAddress'],
  };
  for (const [category, keys] of Object.entries(cases)) {
    for (const k of keys) assert.equal(cat(k), category, `${k} → ${category}`);
  }
});

test('qualified names, nested keys, trailing digits', () => {
  assert.equal(cat('billing_email'), 'email');
  assert.equal(cat('customerFirstName'), 'name');
  assert.equal(cat('primaryContactEmail'), 'email', 'two qualifiers');
  assert.equal(cat('x-user-email'), 'email');
  assert.equal(cat('x-user-id'), 'user_id');
  assert.equal(cat('user.email'), 'email');
  assert.equal(cat('customer[email]'), 'email');
  assert.equal(cat('userData.em'), 'email');
  assert.equal(cat('phone2'), 'phone');
  assert.equal(cat('address_line1'), 'address');
});

test('non-personal look-alikes do not match', () => {
  for (const k of ['id', 'order_id', 'company_name', 'product_name', 'email_verified', 'emailOptIn', 'mac_address',
    'status', 'amount', 'x-forwarded-for', 'content-type', 'notes', '']) {
    assert.equal(cat(k), undefined, k);
  }
});

test('notUnder: a name under a product or company is not a person', () => {
  assert.equal(cat('name', 'items'), undefined);
  assert.equal(cat('name', 'product'), undefined);
  assert.equal(cat('name', 'Company'), undefined);
  assert.equal(cat('name', 'user'), 'name');
  assert.equal(cat('name'), 'name');
});

test('pan is a card first, then a gov id (value checks decide)', () => {
  assert.deepEqual(matcher.match('pan'), ['card', 'gov_id']);
});

test('config rules come first and may add categories', () => {
  const m = compileFieldMatcher([
    [{ category: 'loyalty_id', names: ['loyaltyNo'] }, { category: 'user_id', names: ['email'] },
      { category: 'pet_name', names: [], patterns: [/^pet.*name$/] }],
    builtin.rules,
  ], builtin.qualifiers);
  assert.deepEqual(m.match('loyalty_no'), ['loyalty_id']);
  assert.deepEqual(m.match('email'), ['user_id'], 'config wins over built-in');
  assert.deepEqual(m.match('petNickName'), ['pet_name']);
  assert.deepEqual(m.match('phone'), ['phone'], 'built-ins still apply');
});

test('parseRulesFile reads rules and value sets, rejects a broken file', () => {
  const r = parseRulesFile('qualifiers: [home]\nrules:\n  - category: phone\n    qualified: true\n    names: [tel]\nvalues:\n  gender: [Male]\n', 't.yaml');
  assert.equal(r.rules[0]!.category, 'phone');
  assert.ok(r.genderValues.has('male'));
  const m = compileFieldMatcher([r.rules], r.qualifiers);
  assert.deepEqual(m.match('homeTel'), ['phone']);
  assert.throws(() => parseRulesFile('rules: 3', 'bad.yaml'), /bad\.yaml/);
  assert.throws(() => parseRulesFile('rules:\n  - names: [a]', 'bad.yaml'), /category/);
});

test('the matcher caches per key and stays correct after the cache fills', () => {
  for (let i = 0; i < 5000; i++) matcher.match(`field${i}`);
  assert.equal(cat('email'), 'email');
  assert.equal(cat('field1'), undefined);
});
