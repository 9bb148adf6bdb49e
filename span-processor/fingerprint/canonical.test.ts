import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, canonicalAmount } from './canonical';

const c = (category: string, raw: string, region = 'US') => canonicalize(category, raw, region);

test('email: trimmed and lowercased; non-emails are null', () => {
  assert.equal(c('email', ' Jane.Doe+news@Gmail.com '), 'jane.doe+news@gmail.com');
  assert.equal(c('email', 'Person@Example.com'), 'person@example.com');
  assert.equal(c('email', 'not an email'), null);
  assert.equal(c('email', 'a@b'), null);
  assert.equal(c('email', 'a b@c.de'), null);
  assert.equal(c('email', 'a@@c.de'), null);
});

test('phone: E.164 from national and international input in several regions', () => {
  const cases: Array<[string, string, string]> = [
    ['+1 (650) 555-1212', 'US', '+16505551212'],
    ['(650) 555-1212', 'US', '+16505551212'],
    ['650.555.1212', 'US', '+16505551212'],
    ['0157 72345678', 'DE', '+4915772345678'],
    ['0049 157 72345678', 'US', '+4915772345678'],
    ['+49 (0)157 72345678', 'US', '+4915772345678'],
    ['06 1234 5678', 'IT', '+390612345678'],
    ['312 345 6789', 'IT', '+393123456789'],
    ['090-1234-5678', 'JP', '+819012345678'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['98765 43210', 'IN', '+919876543210'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 844 412 4653', 'DE', '+448444124653'],
  ];
  for (const [raw, region, want] of cases) assert.equal(c('phone', raw, region), want, `${raw} in ${region}`);
});

test('phone: bare digits valid only with a country code get a leading +', () => {
  assert.equal(c('phone', '448444124653', 'US'), '+448444124653');
  assert.equal(c('phone', '37493828222', 'US'), '+37493828222');
  assert.equal(c('phone', '16505551212', 'DE'), '+16505551212');
});

test('phone: impossible numbers and junk are null; a bad region does not throw', () => {
  assert.equal(c('phone', '12'), null);
  assert.equal(c('phone', 'abc'), null);
  assert.equal(c('phone', ''), null);
  assert.equal(c('phone', '1'.repeat(80)), null);
  assert.equal(c('phone', '5551212', 'not-a-region'), null);
  assert.equal(c('phone', '+1 650 555 1212', 'zz'), '+16505551212');
});

test('names, cities, addresses: trimmed, lowercased, inner whitespace collapsed', () => {
  assert.equal(c('name', '  Mary-Jane   O\'Neil '), "mary-jane o'neil");
  assert.equal(c('city', ' San  Francisco'), 'san francisco');
  assert.equal(c('address', ' 1 Main   St.\n Apt 2 '), '1 main st. apt 2');
  assert.equal(c('name', '   '), null);
});

test('dates: ISO, compact, day-first and month-first forms to YYYY-MM-DD', () => {
  assert.equal(c('birthdate', '1990-01-15'), '1990-01-15');
  assert.equal(c('birthdate', '1990-01-15T00:00:00Z'), '1990-01-15');
  assert.equal(c('birthdate', '19900115'), '1990-01-15');
  assert.equal(c('birthdate', '15.01.1990'), '1990-01-15');
  assert.equal(c('birthdate', '15/01/1990', 'US'), '1990-01-15');
  assert.equal(c('birthdate', '01/15/1990', 'DE'), '1990-01-15');
  // Ambiguous: month-first in the US, day-first elsewhere.
  assert.equal(c('birthdate', '02/03/1990', 'US'), '1990-02-03');
  assert.equal(c('birthdate', '02/03/1990', 'DE'), '1990-03-02');
  assert.equal(c('birthdate', '1990-02-30'), null);
  assert.equal(c('birthdate', '1991-02-29'), null);
  assert.equal(c('birthdate', '2000-02-29'), '2000-02-29');
  assert.equal(c('birthdate', 'yesterday'), null);
});

test('gender words in several languages map to f / m / n', () => {
  const f = ['F', 'female', 'Woman', 'weiblich', 'w', 'Femme', 'mujer', 'feminino', 'Féminin'];
  const m = ['M', 'Male', 'man', 'männlich', 'maennlich', 'homme', 'hombre', 'masculino'];
  const n = ['non-binary', 'Non Binary', 'nonbinary', 'divers', 'd', 'x', 'other'];
  for (const w of f) assert.equal(c('gender', w), 'f', w);
  for (const w of m) assert.equal(c('gender', w), 'm', w);
  for (const w of n) assert.equal(c('gender', w), 'n', w);
  assert.equal(c('gender', ' Prefer Not To Say '), 'prefer not to say');
});

test('country names and codes map to ISO alpha-2 lowercase', () => {
  const cases: Array<[string, string]> = [
    ['United States', 'us'], ['USA', 'us'], ['U.S.A.', 'us'], ['Vereinigte Staaten', 'us'], ['États-Unis', 'us'],
    ['Germany', 'de'], ['Deutschland', 'de'], ['Allemagne', 'de'], ['DE', 'de'], ['deu', 'de'],
    ['United Kingdom', 'gb'], ['UK', 'gb'], ['Royaume-Uni', 'gb'], ['Großbritannien', 'gb'],
    ['Österreich', 'at'], ['Schweiz', 'ch'], ['Suisse', 'ch'], ['Espagne', 'es'], ['Japan', 'jp'], ['Brasil', 'br'],
  ];
  for (const [raw, want] of cases) assert.equal(c('country', raw), want, raw);
  assert.equal(c('country', ' Atlantis '), 'atlantis');
});

test('US/CA regions become 2-letter codes; others are lowercased', () => {
  assert.equal(c('region', 'California'), 'ca');
  assert.equal(c('region', 'CA'), 'ca');
  assert.equal(c('region', 'new york'), 'ny');
  assert.equal(c('region', 'Québec'), 'qc');
  assert.equal(c('region', 'British Columbia'), 'bc');
  assert.equal(c('region', ' Bavaria '), 'bavaria');
});

test('postal codes, ip, ids, card, iban, password', () => {
  assert.equal(c('postal_code', ' SW1A 1AA '), 'sw1a 1aa');
  assert.equal(c('ip', ' 203.0.113.7 '), '203.0.113.7');
  assert.equal(c('ip', '::1'), '::1');
  assert.equal(c('ip', '999.1.1.1'), null);
  assert.equal(c('user_id', ' User-123 '), 'User-123');
  assert.equal(c('card', '4111 1111-1111 1111'), '4111111111111111');
  assert.equal(c('iban', 'de89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
  assert.equal(c('password', ' secret '), ' secret ');
  assert.equal(c('user_agent', 'Mozilla/5.0 (X11) '), 'Mozilla/5.0 (X11) ');
  assert.equal(c('loyalty_id', '  L-77 '), 'L-77');
});

test('income: decimal string without grouping or trailing zeros', () => {
  const cases: Array<[string, string | null]> = [
    ['120000', '120000'], ['120000.00', '120000'], ['$120,000.00', '120000'], ['120,000', '120000'],
    ['87500.50', '87500.5'], ['87500.5', '87500.5'], ['EUR 1.234,50', '1234.5'], ['1 234,5 €', '1234.5'],
    ['0.0', '0'], ['-42.10', '-42.1'], ['007', '7'], ['abc', null], ['12 apples', null], ['', null],
    ['₹1,34,000', '134000'], ['12,34,56,789', '123456789'], ['R$ 120.000', '120000'], ['US$ 95,000', '95000'],
  ];
  for (const [raw, want] of cases) assert.equal(canonicalAmount(raw), want, raw);
  assert.equal(c('income', '$120,000'), '120000');
});

test('bad input types and oversized values are null, never thrown', () => {
  assert.equal(canonicalize('email', undefined as unknown as string, 'US'), null);
  assert.equal(canonicalize('name', 'x'.repeat(5000), 'US'), null);
});
