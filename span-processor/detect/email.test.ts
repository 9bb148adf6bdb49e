import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEmails, isEmail } from './email';

test('isEmail accepts addresses with a real TLD', () => {
  for (const v of ['jane@example.com', 'Jane.Doe+news@Gmail.com', ' person@example.co.uk ', 'a_b-c%d@sub.domain.io', 'x@y.de']) {
    assert.equal(isEmail(v), true, v);
  }
});

test('isEmail rejects bad syntax and unknown TLDs', () => {
  for (const v of ['jane@example', 'jane@example.notatld', 'jane@@example.com', '@example.com', 'jane.@example.com',
    'ja..ne@example.com', 'jane@-example.com', 'jane@exa_mple.com', 'jane example@x.com', 'plain text', '']) {
    assert.equal(isEmail(v), false, v);
  }
});

test('findEmails extracts every address from prose, without trailing punctuation', () => {
  const text = 'Contact jane@example.com, or <bob.smith@corp.example.org>. Not: foo@bar, a@b.notatld. Last: z@y.fr.';
  assert.deepEqual(findEmails(text), ['jane@example.com', 'bob.smith@corp.example.org', 'z@y.fr']);
});

test('findEmails is linear on long runs without a valid address', () => {
  const evil = 'a'.repeat(200_000) + '@' + 'b'.repeat(200_000);
  const t0 = process.hrtime.bigint();
  assert.deepEqual(findEmails(evil), []);
  assert.deepEqual(findEmails('@'.repeat(50_000)), []);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < 500, `took ${ms} ms`);
});

test('findEmails caps the number of results', () => {
  const text = Array.from({ length: 100 }, (_, i) => `u${i}@example.com`).join(' ');
  assert.equal(findEmails(text, 5).length, 5);
  assert.equal(findEmails(text).length, 32);
});

test('addresses with letters beyond ASCII are read whole (RFC 6531 local parts, IDN domains)', () => {
  for (const v of ['María.García.2@example.com', 'jürgen.müller@exämple.de', 'zoë@example.ελ']) assert.equal(isEmail(v), true, v);
  // The ASCII tail alone ('a.2@example.com') is an address nobody has.
  assert.deepEqual(findEmails('Escribe a María.García.2@example.com, por favor.'), ['María.García.2@example.com']);
  assert.deepEqual(findEmails('Kontakt: jürgen.müller@exämple.de.'), ['jürgen.müller@exämple.de']);
  // Scripts written without spaces end the address: the sentence is not part of it.
  assert.deepEqual(findEmails('連絡先jane@example.com です'), ['jane@example.com']);
  assert.equal(isEmail('María García@example.com'), false);
});
