import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { VariantTransform } from '../types';
import { canonicalize } from './canonical';
import { variants } from './variants';

function all(category: string, raw: string, region = 'US'): Map<string, VariantTransform> {
  const canonical = canonicalize(category, raw, region);
  assert.ok(canonical !== null, `${category} ${raw} should be valid`);
  const out = new Map<string, VariantTransform>();
  for (const v of variants(category, raw, canonical, region)) {
    assert.ok(!out.has(v.value), `duplicate variant ${v.value}`);
    out.set(v.value, v.variant);
  }
  return out;
}

const hex = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest('hex');

function hasDigest(vs: Map<string, VariantTransform>, alg: string, hexDigest: string): boolean {
  for (const v of vs.keys()) if (hex(alg, v).startsWith(hexDigest)) return true;
  return false;
}

test('known-answer vectors of semconv §5 and vendors.md are produced by some variant', () => {
  const cases: Array<[string, string, string, string]> = [
    ['email', 'Person@Example.com', 'sha256', '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345'],
    ['email', 'JaneDoe@Gmail.com', 'sha256', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['email', 'Jane.Doe+work@gmail.com', 'sha256', 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69'],
    ['phone', '+44 844 412 4653', 'sha256', 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383'],
    ['phone', '+37493828222', 'sha256', '65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4'],
    ['phone', '123-456-7890', 'md5', '2813448ce6316cb70b38fa29c8c64130'],
    ['device_id', '5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25', 'sha256', '83dc3f5f32b9472613b0f038d36f22585a609d018af6f6067f50da318bf354bd'],
  ];
  for (const [category, raw, alg, digest] of cases) {
    assert.ok(hasDigest(all(category, raw), alg, digest), `${category} ${raw} → ${alg} ${digest.slice(0, 8)}`);
  }
  // The hex digests of the known normalized strings themselves (guards the test helper).
  assert.equal(hex('sha256', 'person@example.com'), '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345');
  assert.equal(hex('md5', '123-456-7890'), '2813448ce6316cb70b38fa29c8c64130');
});

test('Meta persona: every vendor form of vendors.md is among the variants', () => {
  const email = all('email', ' Jane.Doe+news@Gmail.com ');
  assert.equal(email.get(' Jane.Doe+news@Gmail.com '), 'plain');
  assert.equal(email.get('Jane.Doe+news@Gmail.com'), 'lowercase');
  assert.equal(email.get('jane.doe+news@gmail.com'), 'lowercase');
  assert.equal(email.get('janedoe+news@gmail.com'), 'normalized'); // Google: dots removed, plus kept
  assert.equal(email.get('janedoe@gmail.com'), 'normalized'); // Data Manager: dots and +tag removed
  assert.ok(hasDigest(email, 'sha256', 'f41439c9'));

  const phone = all('phone', '+1 (650) 555-1212');
  assert.equal(phone.get('+1 (650) 555-1212'), 'plain');
  assert.equal(phone.get('+16505551212'), 'normalized');
  assert.equal(phone.get('16505551212'), 'normalized');
  assert.equal(phone.get('6505551212'), 'normalized');
  assert.ok(hasDigest(phone, 'sha256', 'e323ec62')); // Meta
  assert.ok(hasDigest(phone, 'sha256', '1e231c66')); // Google

  const fn = all('name', 'Mary-Jane');
  assert.equal(fn.get('mary-jane'), 'lowercase');
  assert.equal(fn.get('maryjane'), 'normalized');
  assert.ok(hasDigest(fn, 'sha256', '11853b05'));
  assert.ok(hasDigest(fn, 'sha256', 'f08f448a'));
  const ln = all('name', "O'Neil");
  assert.ok(hasDigest(ln, 'sha256', 'eb1aed4f'));
  assert.ok(hasDigest(ln, 'sha256', '67a42a84'));

  assert.equal(all('birthdate', '1990-01-15').get('19900115'), 'normalized');
  assert.equal(all('birthdate', '15/01/1990', 'DE').get('19900115'), 'normalized');
  assert.equal(all('gender', 'Female').get('f'), 'normalized');
  assert.equal(all('city', 'San Francisco').get('sanfrancisco'), 'normalized');
  assert.equal(all('region', 'California').get('ca'), 'normalized');
  assert.equal(all('postal_code', '94105-1234').get('94105'), 'normalized');
  assert.equal(all('country', 'United States').get('us'), 'normalized');
  const ext = all('user_id', ' User-123 ');
  assert.equal(ext.get(' User-123 '), 'plain');
  assert.ok(hasDigest(ext, 'sha256', 'fcdec6df'));
});

test('email variants: whitespace, Gmail dots, first dot only, +tag on all domains', () => {
  const g = all('email', 'Ann.Lee.Smith+x@googlemail.com');
  assert.equal(g.get('annleesmith+x@googlemail.com'), 'normalized');
  assert.equal(g.get('annleesmith@googlemail.com'), 'normalized');
  assert.equal(g.get('annlee.smith+x@googlemail.com'), 'normalized'); // Segment: first dot only
  const other = all('email', 'ann.lee+x@example.org');
  assert.equal(other.get('annlee@example.org'), 'normalized'); // Reddit via Segment, any domain
  assert.equal(other.get('ann.lee@example.org'), 'normalized');
  assert.equal(other.has('annlee+x@example.org'), false); // Gmail-only rule
  const spaced = all('email', ' Ann.Lee @Example.org'.replace(' @', '@'));
  assert.equal(spaced.get('ann.lee@example.org'), 'lowercase');
});

test('phone variants: E.164, with country code, national, trunk-prefixed national, typed digits', () => {
  const de = all('phone', '0157 72345678', 'DE');
  for (const v of ['+4915772345678', '4915772345678', '15772345678', '015772345678']) assert.equal(de.get(v), 'normalized', v);
  assert.equal(de.get('0157 72345678'), 'plain');
  const it = all('phone', '+39 06 1234 5678', 'US');
  assert.ok(it.has('390612345678'));
  assert.ok(it.has('0612345678'));
  const zeros = all('phone', '0049 157 72345678', 'US');
  assert.equal(zeros.get('004915772345678'), 'normalized');
  assert.ok(zeros.has('4915772345678'));
});

test('full names yield variants of the whole and of each word; parts and cuts are substrings', () => {
  const v = all('name', "Mary-Jane O'Neil");
  assert.equal(v.get("Mary-Jane O'Neil"), 'plain');
  assert.equal(v.get("mary-jane o'neil"), 'lowercase');
  assert.equal(v.get("mary-janeo'neil"), 'normalized');
  assert.equal(v.get('maryjaneoneil'), 'normalized');
  assert.equal(v.get('mary-jane'), 'lowercase');
  assert.equal(v.get('maryjane'), 'normalized');
  assert.equal(v.get("o'neil"), 'lowercase');
  assert.equal(v.get('oneil'), 'normalized');
  assert.equal(v.get('maryj'), 'substring'); // f5first
  assert.equal(v.get('m'), 'substring'); // fi
  assert.equal(v.get('mary'), 'substring');
  assert.equal(v.get('jane'), 'substring');
  const accented = all('name', 'José');
  assert.equal(accented.get('jose'), 'normalized'); // [a-z] only
  assert.equal(accented.get('josé'), 'lowercase');
});

test('date variants and parts', () => {
  const v = all('birthdate', '15.01.1990', 'DE');
  assert.equal(v.get('15.01.1990'), 'plain');
  for (const s of ['19900115', '1990-01-15', '15/01/1990', '01/15/1990']) assert.equal(v.get(s), 'normalized', s);
  for (const s of ['1990', '01', '15']) assert.equal(v.get(s), 'substring', s);
});

test('place, income and id variants', () => {
  const zip = all('postal_code', '94105 1234');
  assert.equal(zip.get('94105'), 'normalized');
  assert.equal(zip.get('941051234'), 'normalized');
  const country = all('country', 'Deutschland');
  assert.equal(country.get('de'), 'normalized');
  assert.equal(country.get('DE'), 'normalized');
  const income = all('income', '$120,000.00');
  for (const s of ['120000', '120000.0', '120000.00', '120,000']) assert.equal(income.get(s), 'normalized', s);
  const frac = all('income', '87500.5');
  assert.ok(frac.has('87500.50'));
  const maid = all('device_id', '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25');
  assert.equal(maid.get('5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25'), 'lowercase');
  const ext = all('user_id', 'Ab Cd');
  assert.equal(ext.get('abcd'), 'normalized');
  assert.deepEqual([...all('password', ' pw with space ').keys()], [' pw with space ']);
});

test('variants are deduplicated, keeping the first name', () => {
  const v = variants('email', 'a@b.co', 'a@b.co', 'US');
  assert.deepEqual(v, [{ value: 'a@b.co', variant: 'plain' }]);
});
