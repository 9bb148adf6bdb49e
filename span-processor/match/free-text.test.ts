// Personal values inside LLM prompts, written differently than they were typed, through the real
// registry (its normalizations and variants) and the real matcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../registry/registry';
import { matchLeaves, type MatchOptions } from './index';
import { anchoredBefore } from './anchors';
import type { Leaf, Registry } from '../types';

const OPTS: MatchOptions = { defaultPhoneRegion: 'US' };

/** One person as a sign-up form typed them; `withEmail` false leaves no strong identifier. */
function person(withEmail = true): { reg: Registry; fp: Record<string, string> } {
  const reg = createRegistry({ key: Buffer.from('free-text-test-key'), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 8 << 20 });
  const fp: Record<string, string> = {};
  const subject = withEmail ? reg.register({ category: 'email', value: 'Jane.Doe@Example.com' })!.fp : undefined;
  if (subject) fp.email = subject;
  const add = (category: string, value: string) => { fp[category] = reg.register({ category, value, subject })!.fp; };
  add('name', 'Jane Doe');
  add('phone', '(650) 555-1212');
  add('income', '120000');
  add('birthdate', '1988-03-05');
  return { reg, fp };
}

const prompt = (value: string): Leaf[] => [{ path: 'llm.messages[1].content', key: 'content', value, layers: [] }];
function found(reg: Registry, text: string): string[] {
  return matchLeaves(prompt(text), reg, OPTS).matches.map((m) => m.category).sort();
}

test('an email, a name and a phone written for humans are found in a prompt', () => {
  const { reg } = person();
  assert.deepEqual(found(reg, 'Draft a reply to JANE.DOE@example.com about her order.'), ['email']);
  assert.deepEqual(found(reg, 'Please call Jane Doe back at +1 650-555-1212 today.'), ['name', 'phone']);
  assert.deepEqual(found(reg, 'Her number is 650.555.1212, her email jane.doe@example.com.'), ['email', 'phone']);
});

test('income typed 120000 is found as "$120,000", "120,000.00 USD", "120.000 €" next to the email', () => {
  const { reg } = person();
  for (const written of ['$120,000', '120,000.00 USD', '120.000 €', '$120000']) {
    assert.deepEqual(found(reg, `Budget plan for jane.doe@example.com, who has ${written} to work with.`), ['email', 'income'], written);
  }
});

test('without any identifier, the words before the amount anchor it: "my annual income is $120,000"', () => {
  const { reg } = person(false);
  // The budget-tracker demo's prompt: first name and income, no email.
  assert.deepEqual(found(reg, "Hi, I'm Jane. My annual income is $120,000, about $10,000 a month before tax."), ['income', 'name']);
  assert.deepEqual(found(reg, 'She earns $120,000 a year and wants to retire early.'), ['income']);
  // no anchor: an amount that happens to be equal is not a share
  assert.deepEqual(found(reg, 'The marketing budget is $120,000 for this quarter overall.'), []);
  // a lone first name in prose stays weak unless introduced
  assert.deepEqual(found(reg, 'Please say hello to Jane from all of us here.'), []);
});

test('a birthdate typed 1988-03-05 is found as "March 5, 1988", "5 March 1988", "03/05/1988", "05.03.1988"', () => {
  const { reg } = person();
  for (const written of ['March 5, 1988', '5 March 1988', '03/05/1988', '05.03.1988', '1988-03-05']) {
    assert.deepEqual(found(reg, `Customer jane.doe@example.com was born ${written} and wants a plan.`), ['birthdate', 'email'], written);
  }
});

test('anchors look only at the few words right before the value', () => {
  const t = 'My salary is $85,000.';
  assert.equal(anchoredBefore(t, t.indexOf('85'), 'income'), true);
  const far = 'My salary was discussed. Then we bought a car for $85,000.';
  assert.equal(anchoredBefore(far, far.indexOf('85'), 'income'), false);
  const n = "Hello, I'm Jane";
  assert.equal(anchoredBefore(n, n.indexOf('Jane'), 'name'), true);
  assert.equal(anchoredBefore(n, n.indexOf('Jane'), 'email'), false);
});

test('dates in prose are looked for whenever a registered key has the ISO date shape, whatever its category', () => {
  const reg = createRegistry({ key: Buffer.from('free-text-test-key'), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 8 << 20 });
  const subject = reg.register({ category: 'email', value: 'jane.doe@example.com' })!.fp;
  // Nothing date-shaped registered: the matcher skips the date scan (and finds nothing there).
  assert.equal(reg.mayHaveDates?.(), false);
  assert.deepEqual(found(reg, 'Customer jane.doe@example.com joined on March 5, 2021 and wants a plan.'), ['email']);
  // A custom category holding an ISO date turns the scan on: the date written in words is found.
  reg.register({ category: 'signup_date', value: '2021-03-05', subject });
  assert.equal(reg.mayHaveDates?.(), true);
  assert.deepEqual(found(reg, 'Customer jane.doe@example.com joined on March 5, 2021 and wants a plan.'), ['email', 'signup_date']);
  reg.clear();
  assert.equal(reg.mayHaveDates?.(), false);
});
