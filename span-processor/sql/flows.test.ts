// The store and load flows on plain captures with the real detector and registry: which fields,
// which subjects, what enters the registry, and when nothing is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultConfig } from '../config';
import { createDetector } from '../detect';
import { createCatalog } from '../catalog/catalog';
import { Engine } from '../engine';
import { createRegistry } from '../registry/registry';
import type { DbCapture, EgressCapture } from '../types';
import { clearSqlCache, parseCount } from './index';

function engine(): Engine {
  const cfg = defaultConfig();
  const registry = createRegistry({ key: Buffer.from('flows-test-key-0123456789'), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 64 * 2 ** 20 });
  const catalog = createCatalog({ firstPartyHosts: [], ignoredHosts: [], destinations: [] });
  return new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
}

const db = (system: string, statement: string, more: Partial<DbCapture> = {}): DbCapture => ({ kind: 'db', system, statement, params: [], truncated: false, ...more });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function egress(body: unknown): EgressCapture {
  const b = Buffer.from(JSON.stringify(body));
  return { kind: 'egress', method: 'POST', url: 'https://api.example-crm.com/v1/contacts', host: 'api.example-crm.com', headers: { 'content-type': 'application/json' }, body: { chunks: [b], bytes: b.length, truncated: false, complete: true } };
}

test('store: values never seen at ingress are tagged by column rules, registered, and caught at egress', () => {
  const e = engine();
  const r = e.db(db('postgresql', 'INSERT INTO customers (email, phone, full_name, plan) VALUES ($1, $2, $3, $4)', {
    params: ['mia.wong@example.com', '(415) 555-0199', 'Mia Wong', 'pro'],
  }));
  assert.ok(r && r.flow === 'store');
  const fields = [...new Set(r.matches.map((m) => m.field))].sort();
  assert.deepEqual(fields, ['customers.email', 'customers.full_name', 'customers.phone']);
  const emailFp = r.matches.find((m) => m.category === 'email')!.fp;
  assert.ok(r.matches.every((m) => m.subject === emailFp), 'one subject: the row\'s email');
  const share = e.share(egress({ contact: { email: 'mia.wong@example.com' } }));
  assert.ok(share!.matches.some((m) => m.fp === emailFp), 'registered at store, found at egress');
});

test('store: multi-row INSERT gives each row its own subject; a sha256 column reports the transform', () => {
  const e = engine();
  const r = e.db(db('mysql', 'INSERT INTO users (email, email_hash) VALUES (?, ?), (?, ?)', {
    params: ['a.one@example.com', sha256('a.one@example.com'), 'b.two@example.com', sha256('b.two@example.com')],
  }));
  assert.ok(r && r.flow === 'store');
  const subjects = new Set(r.matches.map((m) => m.subject));
  assert.equal(subjects.size, 2);
  const hashed = r.matches.filter((m) => m.field === 'users.email_hash');
  assert.equal(hashed.length, 2);
  assert.deepEqual([...new Set(hashed.map((m) => m.transform))], ['sha256']);
  for (const h of hashed) assert.ok(r.matches.some((m) => m.field === 'users.email' && m.fp === h.fp), 'the hash is the same person as the email');
});

test('store: SQL literals, named parameters, JSON documents and unparsed statements', () => {
  const e = engine();
  const lit = e.db(db('sqlite', "INSERT INTO people (email, note) VALUES ('lit.eral@example.com', 'hello')"));
  assert.ok(lit && lit.flow === 'store');
  assert.deepEqual(lit.matches.map((m) => m.field), ['people.email']);

  const named = e.db(db('sqlite', 'INSERT INTO people (email, profile) VALUES (@email, @profile)', {
    named: { email: 'nam.ed@example.com', profile: JSON.stringify({ phone: '+1 650 555 0111', city: 'Oakland' }) },
  }));
  assert.ok(named && named.flow === 'store');
  const f = named.matches.map((m) => m.field);
  assert.ok(f.includes('people.email'));
  assert.ok(f.includes('people.profile.phone'), f.join());

  // mysql2 `INSERT … SET ?` with an object: not parseable, the object keys are the columns.
  const setObj = e.db(db('mysql', 'INSERT INTO people SET ?', { named: { email: 'set.obj@example.com', age: '41' } }));
  assert.ok(setObj && setObj.flow === 'store');
  assert.deepEqual(setObj.matches.map((m) => m.field), ['people.email']);

  // Unparseable with positional values: column-less fields.
  const odd = e.db(db('postgresql', 'INSERT INTO people (email) VALUES ($1) ON CONFLICT ON CONSTRAINT p_pk DO NOTHING', { params: ['odd.one@example.com'] }));
  assert.ok(odd && odd.flow === 'store');
  assert.deepEqual(odd.matches.map((m) => m.field), ['people.?']);
  const none = e.db(db('postgresql', 'CALL add_person($1)', { params: ['proc.call@example.com'] }));
  assert.equal(none, null, 'a CALL is no write the parser or fallback knows');
});

test('load: rows tagged under table.column through aliases; loaded values enter the registry', () => {
  const e = engine();
  const r = e.db(db('postgresql', 'SELECT u.email AS mail, u.phone, o.total FROM users u JOIN orders o ON o.user_id = u.id', {
    columns: ['mail', 'phone', 'total'],
    rows: [['kai.lee@example.com', '+14155550123', '12.50'], ['noa.ray@example.com', null, '8.00']],
    rowCount: 2,
  }));
  assert.ok(r && r.flow === 'load');
  assert.deepEqual([...new Set(r.tags.map((t) => t.field))].sort(), ['users.email', 'users.phone']);
  assert.equal(new Set(r.tags.map((t) => t.subject)).size, 2, 'one subject per row');
  assert.equal(r.truncated, false);
  const kai = r.tags.find((t) => t.category === 'email')!;
  const share = e.share(egress({ to: 'kai.lee@example.com' }));
  assert.ok(share!.matches.some((m) => m.fp === kai.fp));

  // `*`, a column the parser cannot map, and rows beyond the capture.
  const star = e.db(db('sqlite', 'SELECT * FROM members', { columns: ['id', 'email'], rows: [['1', 'star.row@example.com']], rowCount: 5 }));
  assert.ok(star && star.flow === 'load');
  assert.deepEqual(star.tags.map((t) => t.field).sort(), ['members.email', 'members.id'], 'the id of a people table is a user id');
  assert.equal(star.truncated, true, 'rowCount beyond the captured rows');
});

test('nothing personal: no result, and no parse when there is nothing to inspect', () => {
  const e = engine();
  clearSqlCache();
  const before = parseCount();
  assert.equal(e.db(db('postgresql', 'BEGIN')), null);
  assert.equal(e.db(db('postgresql', 'CREATE TABLE t (id int)')), null);
  assert.equal(parseCount(), before, 'statements without values are not parsed');
  assert.equal(e.db(db('postgresql', 'INSERT INTO products (title, price) VALUES ($1, $2)', { params: ['Desk lamp', '39.5'] })), null);
  assert.equal(e.db(db('mysql', 'SELECT id, title FROM products', { columns: ['id', 'title'], rows: [['1', 'Desk lamp'], ['2', 'Chair']] })), null);
  assert.equal(e.db(db('sqlite', 'SELECT count(*) AS n FROM users', { columns: ['n'], rows: [['42']] })), null);
});

test('rows keep the registry\'s attribution: a known user id keeps its person, common low-entropy values are not re-indexed', () => {
  const e = engine();
  const users = e.db(db('sqlite', 'INSERT INTO users (id, email, gender) VALUES (?, ?, ?)', { params: ['usr_41', 'pia.k@example.com', 'female'] }));
  assert.ok(users && users.flow === 'store');
  const pia = users.matches.find((m) => m.category === 'email')!.fp;
  assert.ok(users.matches.some((m) => m.category === 'user_id' && m.subject === pia));
  // A sessions row holds only the user id: it is still Pia's.
  const session = e.db(db('sqlite', 'INSERT INTO sessions (token_hash, user_id) VALUES (?, ?)', { params: ['0f1e2d', 'usr_41'] }));
  assert.ok(session && session.flow === 'store');
  assert.deepEqual(session.matches.map((m) => [m.field, m.subject]), [['sessions.user_id', pia]]);
  // Another person's row with the same gender does not take the value over.
  e.db(db('sqlite', 'SELECT email, gender FROM users', { columns: ['email', 'gender'], rows: [['quin.r@example.com', 'female']] }));
  const hits = e.registry.lookupPlain('female');
  assert.ok(hits && hits.some((h) => h.subject === pia), 'still attributed to the person it was first indexed for');
});
