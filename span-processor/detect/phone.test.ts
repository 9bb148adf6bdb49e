import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPhoneValidator } from './phone';

const us = createPhoneValidator('US');
const de = createPhoneValidator('DE');

test('isValid parses national numbers with the default region and international ones anywhere', () => {
  assert.equal(us.isValid('(650) 555-1212'), true);
  assert.equal(us.isValid('6505551212'), true);
  assert.equal(us.isValid('+44 844 412 4653'), true);
  assert.equal(de.isValid('0151 23456789'), true);
  assert.equal(us.isValid('0151 23456789'), false);
  assert.equal(us.isValid('123-456-7890'), false, 'area code 123 does not exist');
  assert.equal(us.isValid('12345'), false);
  assert.equal(us.isValid('call me'), false);
  // `00` as international prefix, whatever the default region's own prefix is (011 in NANP)
  assert.equal(us.isValid('0049 151 23456789'), true);
  assert.equal(us.isValid('0049 151'), false);
});

test('isWrittenLikePhone needs a + or separators', () => {
  assert.equal(us.isWrittenLikePhone('+16505551212'), true);
  assert.equal(us.isWrittenLikePhone('650-555-1212'), true);
  assert.equal(us.isWrittenLikePhone('(650) 555 1212'), true);
  assert.equal(us.isWrittenLikePhone('6505551212'), false, 'bare digits look like an order number');
  assert.equal(us.isWrittenLikePhone('2021-03-04'), false);
  assert.equal(de.isWrittenLikePhone('12.03.2021'), false);
  assert.equal(us.isWrittenLikePhone('4111 1111 1111 1111'), false);
  assert.equal(us.isWrittenLikePhone('+1 650 555 1212 and more text'), false);
});

test('findInText returns numbers written like phones, as written', () => {
  const text = 'Call +1 650-555-1212 or (415) 555-2671; order 2015550123 ships 2021-03-04.';
  assert.deepEqual(us.findInText(text), ['+1 650-555-1212', '(415) 555-2671']);
  assert.deepEqual(us.findInText('no digits here at all'), []);
  assert.deepEqual(de.findInText('Ruf an: 0151 23456789 bitte'), ['0151 23456789']);
});
