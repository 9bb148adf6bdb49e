import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBirthdate } from './birthdate';

const now = new Date(Date.UTC(2025, 5, 15));

test('parseBirthdate reads the common writings', () => {
  const jan15 = { year: 1990, month: 1, day: 15 };
  assert.deepEqual(parseBirthdate('1990-01-15', now), jan15);
  assert.deepEqual(parseBirthdate('1990-01-15T00:00:00.000Z', now), jan15);
  assert.deepEqual(parseBirthdate('19900115', now), jan15);
  assert.deepEqual(parseBirthdate('15/01/1990', now), jan15);
  assert.deepEqual(parseBirthdate('01/15/1990', now), jan15);
  assert.deepEqual(parseBirthdate('15.01.1990', now), jan15);
  assert.deepEqual(parseBirthdate('1990/01/15', now), jan15);
  assert.deepEqual(parseBirthdate('03/04/1990', now), { year: 1990, month: 4, day: 3 }, 'day first when ambiguous');
});

test('parseBirthdate rejects impossible or implausible dates', () => {
  for (const v of ['1899-12-31', '2025-06-16', '2030-01-01', '1990-02-30', '1991-02-29', '13/13/1990', '19901315',
    '1990-1-1x', '15.01.90', 'yesterday', '12345678', '']) {
    assert.equal(parseBirthdate(v, now), null, v);
  }
  assert.deepEqual(parseBirthdate('2000-02-29', now), { year: 2000, month: 2, day: 29 });
  assert.deepEqual(parseBirthdate('2025-06-15', now), { year: 2025, month: 6, day: 15 });
});
