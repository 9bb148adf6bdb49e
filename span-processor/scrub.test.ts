import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from './registry/registry';
import { createScrubber, sqlHasLiterals } from './scrub';

function setup() {
  const registry = createRegistry({ key: Buffer.alloc(32, 3), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 8 << 20 });
  const email = registry.register({ category: 'email', value: 'jane.roe@example.com' })!.fp;
  const phone = registry.register({ category: 'phone', value: '+1 415 555 0199' })!.fp;
  return { scrubber: createScrubber(registry, { defaultPhoneRegion: 'US' }, false), email, phone };
}

test('sqlHasLiterals: only statements that can hold a value are scanned', () => {
  for (const sql of [
    'INSERT INTO signups (id, email, phone) VALUES (?, ?, ?)',
    'SELECT u.id, u2.name FROM users u JOIN users_v2 u2 ON u2.id = u.id WHERE u.email = $1 AND u.x = :p2',
    'UPDATE t SET a = $12::text',
  ]) assert.equal(sqlHasLiterals(sql), false, sql);
  for (const sql of [
    "SELECT * FROM users WHERE email = 'jane.roe@example.com'",
    'SELECT * FROM users WHERE phone = 14155550199',
    'SELECT * FROM users WHERE id = ? -- jane',
    'SELECT /* jane */ 1',
    'SELECT * FROM users LIMIT 10',
    'SELECT "Jane" FROM t',
    'SELECT * FROM t WHERE name = @name',
    'SELECT * FROM t # comment',
    'SELECT * FROM personnes WHERE nom = ?é',
    'SELECT * FROM users WHERE name = $$Jane$$',
    'SELECT * FROM users WHERE name = $n$Jane$n$',
  ]) assert.equal(sqlHasLiterals(sql), true, sql);
});

test('statements with values are scrubbed, parameterized ones are left as they are', () => {
  const { scrubber, email, phone } = setup();
  const params = 'INSERT INTO signups (email, phone) VALUES (?, ?)';
  assert.equal(scrubber.attributes({ 'db.query.text': params }, false), null);
  const out = scrubber.attributes({ 'db.query.text': "SELECT * FROM users WHERE email = 'jane.roe@example.com' OR phone = 14155550199" }, false);
  assert.equal(out?.['db.query.text'], `SELECT * FROM users WHERE email = '[sst:email:${email}]' OR phone = [sst:phone:${phone}]`);
});

test('url.path and url.query are scrubbed with url.full, and skipped only when the URL is clean', () => {
  const { scrubber, email } = setup();
  const dirty = scrubber.attributes({
    'url.full': 'https://api.example.net/v1/users/jane.roe@example.com?ref=jane.roe%40example.com',
    'url.path': '/v1/users/jane.roe@example.com', 'url.query': 'ref=jane.roe%40example.com',
  }, false);
  assert.equal(dirty?.['url.path'], `/v1/users/[sst:email:${email}]`);
  assert.equal(dirty?.['url.query'], `ref=[sst:email:${email}]`);
  assert.equal(String(dirty?.['url.full']).includes('jane'), false);
  // A clean URL: its parts are clean too (and a path that is not part of it is still scanned).
  const clean = scrubber.attributes({ 'url.full': 'https://api.example.net/v1/events', 'url.path': '/v1/events', 'http.target': '/users/jane.roe@example.com' }, false);
  assert.deepEqual(clean && { path: clean['url.path'], target: clean['http.target'] }, { path: '/v1/events', target: `/users/[sst:email:${email}]` });
});
