import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCardNumber, isGroupedCardNumber, isIban, luhnValid } from './financial';

test('luhnValid', () => {
  for (const v of ['4111111111111111', '5555555555554444', '378282246310005', '79927398713']) assert.equal(luhnValid(v), true, v);
  for (const v of ['4111111111111112', '79927398710', '12a4', '']) assert.equal(luhnValid(v), false, v);
});

test('isCardNumber: 13-19 Luhn-valid digits, spaces or dashes allowed', () => {
  assert.equal(isCardNumber('4111111111111111'), true);
  assert.equal(isCardNumber('4111-1111-1111-1111'), true);
  assert.equal(isCardNumber('3782 822463 10005'), true);
  assert.equal(isCardNumber('4111111111111112'), false, 'Luhn');
  assert.equal(isCardNumber('411111111111'), false, '12 digits');
  assert.equal(isCardNumber('41111111111111111111'), false, '20 digits');
  assert.equal(isCardNumber('0000000000000000'), false, 'all zeros');
  assert.equal(isCardNumber('4111--1111111111111'), false, 'double separator');
});

test('isGroupedCardNumber: only 4-digit groups with one separator', () => {
  assert.equal(isGroupedCardNumber('4111 1111 1111 1111'), true);
  assert.equal(isGroupedCardNumber('5555-5555-5555-4444'), true);
  assert.equal(isGroupedCardNumber('4111111111111111'), false, 'no separators');
  assert.equal(isGroupedCardNumber('4111 1111-1111 1111'), false, 'mixed separators');
  assert.equal(isGroupedCardNumber('4111 1111 1111 1112'), false, 'Luhn');
});

test('isIban: DE, GB, FR with country lengths and mod-97', () => {
  for (const v of ['DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432',
    'GB82 WEST 1234 5698 7654 32', 'FR1420041010050500013M02606', 'FR14 2004 1010 0505 0001 3M02 606', 'gb82west12345698765432']) {
    assert.equal(isIban(v), true, v);
  }
  for (const v of ['DE89370400440532013001', 'GB82WEST12345698765433', 'FR1420041010050500013M02607',
    'DE8937040044053201300', 'XX89370400440532013000', 'DE89 3704 0044 0532 0130 00 00', 'not an iban']) {
    assert.equal(isIban(v), false, v);
  }
});
