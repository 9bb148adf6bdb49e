import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCategoryChecks, isAmount, isDeviceId, isPersonName, isPostalCode, isPlaceName } from './value-checks';
import { createPhoneValidator } from './phone';
import { builtinRules } from './rules-file';

const rules = builtinRules();
const check = createCategoryChecks({
  phone: createPhoneValidator('US'), genderValues: rules.genderValues, regionStopwords: rules.regionStopwords,
});

test('isPersonName: letters, ≤ 100 chars, not an email or number', () => {
  assert.equal(isPersonName('Jane'), true);
  assert.equal(isPersonName('Mary-Jane O\'Neil'), true);
  assert.equal(isPersonName('José María García López'), true);
  assert.equal(isPersonName(''), false);
  assert.equal(isPersonName('   '), false);
  assert.equal(isPersonName('12345'), false);
  assert.equal(isPersonName('jane@example.com'), false);
  assert.equal(isPersonName('x'.repeat(101)), false);
});

test('isAmount: numbers with currency and grouping', () => {
  for (const v of ['120000', '120000.00', '$120,000.00', '120.000 €', 'EUR 85000', '85 000', '-5', '75k', '1\'250\'000 CHF']) {
    assert.equal(isAmount(v), true, v);
  }
  for (const v of ['', 'high', 'n/a', '120,000 per year', '1e5', '$', '12-34']) assert.equal(isAmount(v), false, v);
});

test('isPostalCode: 1-10 chars with a digit, letters allowed', () => {
  for (const v of ['94105', '94105-1234', '10115', 'SW1A 1AA', 'K1A 0B1', '1012 AB', 'D02 X285']) assert.equal(isPostalCode(v), true, v);
  for (const v of ['', 'London', '12345678901', '941@05', '-9410']) assert.equal(isPostalCode(v), false, v);
});

test('isPlaceName and isDeviceId', () => {
  assert.equal(isPlaceName('Saint-Denis', 100), true);
  assert.equal(isPlaceName('Frankfurt am Main', 100), true);
  assert.equal(isPlaceName('us-east-1', 60), false);
  assert.equal(isDeviceId('5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25'), true);
  assert.equal(isDeviceId('00000000-0000-0000-0000-000000000000'), false);
  assert.equal(isDeviceId('38400000-8cf0-11bd-b23e-10b96e40000d'), true);
  assert.equal(isDeviceId('abc'), false);
});

test('category checks combine the field meaning with the value', () => {
  assert.equal(check('gender', 'Female', 'gender'), true);
  assert.equal(check('gender', 'weiblich', 'geschlecht'), true);
  assert.equal(check('gender', 'Féminin', 'sexe'), true);
  assert.equal(check('gender', 'm', 'sex'), true);
  assert.equal(check('gender', 'Non-binary', 'gender'), true);
  assert.equal(check('gender', 'rock', 'genre'), false);
  assert.equal(check('region', 'California', 'state'), true);
  assert.equal(check('region', 'pending', 'state'), false);
  assert.equal(check('region', 'xYz123', 'state'), false);
  assert.equal(check('ip', '203.0.113.9', 'ip'), true);
  assert.equal(check('ip', '127.0.0.1', 'ip'), false);
  assert.equal(check('card', '4111 1111 1111 1111', 'card_number'), true);
  assert.equal(check('card', '4111 1111 1111 1112', 'card_number'), false);
  assert.equal(check('gov_id', 'ABCDE1234F', 'pan'), true);
  assert.equal(check('gov_id', '12345678', 'pan'), false, 'a pan field must hold an Indian PAN to be a gov id');
  assert.equal(check('gov_id', '12345678', 'steuer_id'), true);
  assert.equal(check('user_id', 'anonymous', 'user_id'), false);
  assert.equal(check('user_id', 'u-42', 'user_id'), true);
  assert.equal(check('loyalty_id', 'LX-1', 'loyaltyNo'), true, 'custom categories need only a value');
  assert.equal(check('constructor', 'x', 'y'), true, 'custom names are not looked up on Object.prototype');
});
