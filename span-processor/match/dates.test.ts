import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDates } from './dates';

const isoOf = (text: string): string[][] => findDates(text).map((d) => d.iso);

test('numeric dates: both readings when ambiguous, one when not', () => {
  assert.deepEqual(isoOf('born 16.10.1976 in Lyon'), [['1976-10-16']]);
  assert.deepEqual(isoOf('on 03/04/1990'), [['1990-04-03', '1990-03-04']]);
  assert.deepEqual(isoOf('ISO 1990-04-03 is read elsewhere; 1.2.3.2024 is a version'), []);
});

test('dates with English month names', () => {
  assert.deepEqual(isoOf('born 23 January 1991.'), [['1991-01-23']]);
  assert.deepEqual(isoOf('since September 14, 1989'), [['1989-09-14']]);
  assert.deepEqual(isoOf('the 2nd of Feb 2001'), [['2001-02-02']]);
  assert.deepEqual(isoOf('Room 12 Building 1990'), [], 'not a month');
});

test('spans point at the date text', () => {
  const text = 'x 23 January 1991 y';
  const [d] = findDates(text);
  assert.equal(text.slice(d.start, d.end), '23 January 1991');
});
