import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHyphenatedSsn, isIndianPan, isSsn, looksLikeGovId } from './gov-id';

test('isHyphenatedSsn accepts possible SSNs', () => {
  for (const v of ['536-22-1234', '001-01-0001', '665-45-6789', ' 536-22-1234 ']) assert.equal(isHyphenatedSsn(v), true, v);
});

test('isHyphenatedSsn applies the invalidation rules', () => {
  for (const v of ['000-12-3456', '666-12-3456', '900-12-3456', '999-45-6789', '536-00-1234', '536-22-0000',
    '078-05-1120', '123-45-6789', '111-11-1111', '536221234', '536 22 1234', '536-221-234']) {
    assert.equal(isHyphenatedSsn(v), false, v);
  }
});

test('isSsn accepts other writings under an SSN field', () => {
  assert.equal(isSsn('536221234'), true);
  assert.equal(isSsn('536 22 1234'), true);
  assert.equal(isSsn('666221234'), false);
});

test('isIndianPan and looksLikeGovId', () => {
  assert.equal(isIndianPan('ABCDE1234F'), true);
  assert.equal(isIndianPan('4111111111111111'), false);
  assert.equal(looksLikeGovId('AB123456C'), true);
  assert.equal(looksLikeGovId('123.456.789-09'), true);
  assert.equal(looksLikeGovId('unknown'), false, 'no digit');
  assert.equal(looksLikeGovId('12'), false, 'too short');
});
