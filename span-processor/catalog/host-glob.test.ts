import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileHostGlob, isLoopback, matchHost, normalizeHost, type HostMatcher } from './host-glob';

function glob(p: string): HostMatcher {
  const r = compileHostGlob(p);
  assert.ok(r.ok, `expected "${p}" to compile`);
  return r.matcher;
}

test('normalizeHost lowercases and drops port, brackets and a trailing dot', () => {
  assert.equal(normalizeHost('API.OpenAI.com'), 'api.openai.com');
  assert.equal(normalizeHost('api.openai.com:443'), 'api.openai.com');
  assert.equal(normalizeHost('api.openai.com.'), 'api.openai.com');
  assert.equal(normalizeHost('api.openai.com.:8443'), 'api.openai.com');
  assert.equal(normalizeHost('[::1]:8080'), '::1');
  assert.equal(normalizeHost('::1'), '::1');
  assert.equal(normalizeHost(''), '');
  assert.equal(normalizeHost('a'.repeat(300)), '');
  assert.equal(normalizeHost(undefined as unknown as string), '');
});

test('"*" as a whole label matches one or more labels, never the bare suffix', () => {
  const m = glob('*.zendesk.com');
  assert.equal(m.type, 'suffix');
  assert.ok(matchHost(m, 'acme.zendesk.com'));
  assert.ok(matchHost(m, 'a.b.zendesk.com'));
  assert.ok(!matchHost(m, 'zendesk.com'));
  assert.ok(!matchHost(m, 'evilzendesk.com'));
  assert.ok(!matchHost(m, 'zendesk.com.evil.example'));
});

test('"*" in the middle and inside a label', () => {
  const braze = glob('rest.*.braze.com');
  assert.equal(braze.type, 'regex');
  assert.ok(matchHost(braze, 'rest.iad-01.braze.com'));
  assert.ok(matchHost(braze, 'rest.a.b.braze.com'));
  assert.ok(!matchHost(braze, 'rest.braze.com'));
  assert.ok(!matchHost(braze, 'xrest.iad-01.braze.com'));
  const adyen = glob('*-checkout-live.adyenpayments.com');
  assert.ok(matchHost(adyen, '1797a841fbb37ca7-acme-checkout-live.adyenpayments.com'));
  assert.ok(!matchHost(adyen, '-checkout-live.adyenpayments.com'));
  assert.ok(!matchHost(adyen, 'a.b-checkout-live.adyenpayments.com'), 'an in-label * does not cross dots');
});

test('exact globs are case-insensitive and ignore a trailing dot', () => {
  const m = glob('API.Segment.IO.');
  assert.deepEqual(m, { type: 'exact', host: 'api.segment.io' });
});

test('bad globs are rejected with a reason', () => {
  for (const bad of ['*', '*.*', 'a..b', 'a b.com', 'host:8080', '*.*.*.com', 'x/y.com', '']) {
    const r = compileHostGlob(bad);
    assert.equal(r.ok, false, `"${bad}" should be rejected`);
    if (!r.ok) assert.ok(r.error.length > 0);
  }
  assert.ok(compileHostGlob('[::1]').ok);
});

test('isLoopback covers 127.0.0.0/8, ::1 and mapped IPv4, not look-alikes', () => {
  assert.ok(isLoopback('127.0.0.1'));
  assert.ok(isLoopback('127.0.0.5'));
  assert.ok(isLoopback('127.255.1.2'));
  assert.ok(isLoopback('::1'));
  assert.ok(isLoopback('::ffff:127.0.0.1'));
  assert.ok(!isLoopback('128.0.0.1'));
  assert.ok(!isLoopback('10.0.0.1'));
  assert.ok(!isLoopback('127.0.0.1.nip.io'));
  assert.ok(!isLoopback('127.1'));
  assert.ok(!isLoopback('localhost'));
  assert.ok(!isLoopback('127.0.0.256'));
  assert.ok(!isLoopback('1.2.3.4'));
  assert.ok(!isLoopback('::2'));
});
