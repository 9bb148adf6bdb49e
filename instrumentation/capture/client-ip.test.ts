import { test } from 'node:test';
import { LIMIT } from './harness.test';
import assert from 'node:assert/strict';
import { cleanIp, resolveClientIp } from './client-ip';

test('cleanIp keeps valid addresses and strips ports, brackets and the IPv4-mapped prefix', LIMIT, () => {
  assert.equal(cleanIp(' 203.0.113.9 '), '203.0.113.9');
  assert.equal(cleanIp('203.0.113.9:4711'), '203.0.113.9');
  assert.equal(cleanIp('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(cleanIp('::FFFF:10.1.2.3'), '10.1.2.3');
  assert.equal(cleanIp('[2001:db8::1]:443'), '2001:db8::1');
  assert.equal(cleanIp('2001:db8::1'), '2001:db8::1');
  assert.equal(cleanIp('unknown'), undefined);
  assert.equal(cleanIp('999.1.1.1'), undefined);
  assert.equal(cleanIp(''), undefined);
  assert.equal(cleanIp(undefined), undefined);
});

test('resolveClientIp: first valid X-Forwarded-For hop, then X-Real-IP, then the socket', LIMIT, () => {
  assert.equal(resolveClientIp({ 'x-forwarded-for': '_hidden, 198.51.100.4, 10.0.0.1' }, '10.0.0.2'), '198.51.100.4');
  assert.equal(resolveClientIp({ 'x-forwarded-for': ['junk', '198.51.100.5'] }, '10.0.0.2'), '198.51.100.5');
  assert.equal(resolveClientIp({ 'x-forwarded-for': 'junk', 'x-real-ip': '198.51.100.6' }, '10.0.0.2'), '198.51.100.6');
  assert.equal(resolveClientIp({}, '::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(resolveClientIp({}, undefined), undefined);
  const hostile = 'x,'.repeat(100_000) + '192.0.2.77';
  assert.equal(resolveClientIp({ 'x-forwarded-for': hostile }, '10.9.9.9'), '10.9.9.9', 'only the head of a long list is read');
});
