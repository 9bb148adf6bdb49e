// SQL → (operation, table, table.column per written value and per result column) for the three
// driver dialects, their placeholder styles, upserts, aliases and joins, RETURNING, and statements
// the parser cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSqlCache, fallbackShape, normalizePlaceholders, parseCount, sqlShape, Lru, type SqlShape } from './index';

/** slot → "table.column" (or "table.?"), with the driver value each slot takes. */
function written(s: SqlShape): string[] {
  return s.written.map((w) => {
    const where = `${w.table ?? '-'}.${w.column ?? '?'}`;
    if (w.literal !== undefined) return `${where}='${w.literal}'@${w.row}`;
    const ref = s.slots[w.slot!];
    const from = ref && 'index' in ref ? `[${ref.index}]` : ref ? `:${ref.name}` : '?';
    return `${where}=${from}@${w.row}`;
  });
}
const outputs = (s: SqlShape) => s.output.map((o) => `${o.name}<-${o.table ?? '-'}.${o.column ?? '-'}`);

test('placeholders are renumbered to $n outside strings, quoted names and comments', () => {
  const a = normalizePlaceholders("SELECT '?' AS q, `?` FROM t WHERE a = ? AND b = ? -- ?\n AND c = '@x' /* :y */", 'mysql');
  assert.equal(a.text, "SELECT '?' AS q, `?` FROM t WHERE a = $1 AND b = $2 -- ?\n AND c = '@x' /* :y */");
  assert.deepEqual(a.slots.slice(1), [{ index: 0 }, { index: 1 }]);
  const b = normalizePlaceholders('INSERT INTO t (a, b, c, d) VALUES (@a, :b, $c, ?4)', 'sqlite');
  assert.equal(b.text, 'INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)');
  assert.deepEqual(b.slots.slice(1), [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { index: 3 }]);
  // pg keeps its own numbers; casts, dollar quotes and jsonb `?` are not placeholders.
  const c = normalizePlaceholders("SELECT $2::text, $$ it's $1 $$, data ? 'k' FROM t WHERE id = $1", 'postgresql');
  assert.equal(c.text, "SELECT ($2)::text, $$ it's $1 $$, data ? 'k' FROM t WHERE id = $1", 'casts of a placeholder parenthesized for the grammar');
  assert.deepEqual(c.slots, [undefined, { index: 0 }, { index: 1 }]);
  // mysql2 `??` takes a value but names an identifier.
  const d = normalizePlaceholders('SELECT ?? FROM t WHERE email = ?', 'mysql');
  assert.deepEqual(d.slots.slice(1), [{ index: 1 }]);
  // backslash escapes in MySQL strings
  assert.deepEqual(normalizePlaceholders("SELECT 'it\\'s ?' , ?", 'mysql').slots.slice(1), [{ index: 0 }]);
});

test('PostgreSQL: multi-row INSERT … ON CONFLICT DO UPDATE … RETURNING', () => {
  const s = sqlShape('INSERT INTO public.users (email, name) VALUES ($1, $2), ($3, lower($4)) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, seen = $5 RETURNING id, email AS e', 'postgresql');
  assert.equal(s.operation, 'upsert');
  assert.equal(s.write, true);
  assert.equal(s.table, 'users');
  assert.deepEqual(written(s), [
    'users.email=[0]@0', 'users.name=[1]@0', 'users.email=[2]@1', 'users.name=[3]@1', 'users.seen=[4]@0',
  ]);
  assert.deepEqual(outputs(s), ['id<-users.id', 'e<-users.email']);
  assert.equal(s.parsed, true);
});

test('PostgreSQL: casts on placeholders keep their columns', () => {
  const s = sqlShape('INSERT INTO people (email, born, tags) VALUES ($1::text, $2::date, $3::text[])', 'postgresql');
  assert.equal(s.parsed, true);
  assert.deepEqual(written(s), ['people.email=[0]@0', 'people.born=[1]@0', 'people.tags=[2]@0']);
});

test('PostgreSQL: UPDATE … SET with a literal, WHERE values are not written', () => {
  const s = sqlShape("UPDATE users SET email = $1, name = 'Jane Roe' WHERE id = $2", 'postgresql');
  assert.equal(s.operation, 'update');
  assert.deepEqual(written(s), ['users.email=[0]@0', "users.name='Jane Roe'@0"]);
});

test('PostgreSQL: SELECT with aliases, joins, expressions and stars', () => {
  const s = sqlShape('SELECT u.email AS mail, u.name, o.total, lower(u.city) AS town, count(*) AS n FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1', 'postgresql');
  assert.equal(s.operation, 'select');
  assert.equal(s.write, false);
  assert.deepEqual(outputs(s), ['mail<-users.email', 'name<-users.name', 'total<-orders.total', 'town<-users.city', 'n<--.-']);
  const star = sqlShape('select "users".* from "users" where "id" = $1 limit $2', 'postgresql');
  assert.deepEqual(star.starTables, ['users']);
  const cte = sqlShape('WITH recent AS (SELECT email FROM users) SELECT * FROM recent', 'postgresql');
  assert.deepEqual(outputs(cte), ['email<-users.email']);
});

test('MySQL: ? placeholders, backticks, ON DUPLICATE KEY UPDATE, string literals', () => {
  const s = sqlShape('INSERT INTO `users` (`email`, name) VALUES (?, ?), (?, "x@example.com") ON DUPLICATE KEY UPDATE name = VALUES(name)', 'mysql');
  assert.equal(s.operation, 'upsert');
  assert.deepEqual(written(s), ['users.email=[0]@0', 'users.name=[1]@0', 'users.email=[2]@1', "users.name='x@example.com'@1"]);
  const sel = sqlShape('SELECT id, email FROM users WHERE email = ? LIMIT 10', 'mysql');
  assert.deepEqual(outputs(sel), ['id<-users.id', 'email<-users.email']);
  const set = sqlShape('INSERT INTO users SET email = ?, name = ?', 'mysql');
  assert.deepEqual(written(set), ['users.email=[0]@0', 'users.name=[1]@0']);
});

test('SQLite: named parameters, upserts and RETURNING (through the PostgreSQL grammar)', () => {
  const s = sqlShape('INSERT INTO users (email, name) VALUES (@email, :name) RETURNING id', 'sqlite');
  assert.deepEqual(written(s), ['users.email=:email@0', 'users.name=:name@0']);
  assert.deepEqual(outputs(s), ['id<-users.id']);
  const up = sqlShape('INSERT INTO users (email, name) VALUES (?, ?) ON CONFLICT(email) DO UPDATE SET name=excluded.name', 'sqlite');
  assert.equal(up.operation, 'upsert');
  assert.deepEqual(written(up), ['users.email=[0]@0', 'users.name=[1]@0']);
  const rep = sqlShape('INSERT OR REPLACE INTO users (email, name) VALUES ($email, ?2)', 'sqlite');
  assert.equal(rep.write, true);
  assert.deepEqual(written(rep), ['users.email=:email@0', 'users.name=[1]@0']);
  const upd = sqlShape('UPDATE users SET phone = ? WHERE id = ? RETURNING email', 'sqlite');
  assert.equal(upd.operation, 'update');
  assert.deepEqual(outputs(upd), ['email<-users.email']);
});

test('statements the parser cannot read fall back to operation and table, never throw', () => {
  const bad = sqlShape('INSERT INTO users SET ?', 'mysql');
  assert.equal(bad.parsed, false);
  assert.equal(bad.operation, 'insert');
  assert.equal(bad.table, 'users');
  assert.deepEqual(bad.written, []);
  const junk = sqlShape('this is not sql', 'sqlite');
  assert.equal(junk.operation, 'other');
  assert.equal(junk.write, false);
  assert.equal(fallbackShape("/* app */ INSERT INTO \"app\".\"people\" (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = 1", []).operation, 'upsert');
  assert.equal(fallbackShape('UPDATE `people` SET a = 1', []).table, 'people');
  const long = 'INSERT INTO bulk (a) VALUES ' + Array.from({ length: 3000 }, (_, i) => `($${i + 1})`).join(', ');
  const ls = sqlShape(long, 'postgresql');
  assert.equal(ls.parsed, false, 'statements over the parse limit are not parsed');
  assert.equal(ls.table, 'bulk');
  assert.equal(ls.write, true);
  for (const s of ['', ';', "SELECT '", 'SELECT $', '/*', '?'.repeat(1000)]) assert.doesNotThrow(() => sqlShape(s, 'mysql'));
});

test('parses are cached by statement text (bounded LRU)', () => {
  clearSqlCache();
  const sql = 'SELECT email FROM users WHERE id = $1';
  const before = parseCount();
  for (let i = 0; i < 50; i++) sqlShape(sql, 'postgresql');
  assert.equal(parseCount() - before, 1);
  const lru = new Lru<number>(2);
  lru.set('a', 1); lru.set('b', 2); lru.get('a'); lru.set('c', 3);
  assert.equal(lru.get('b'), undefined, 'least recently used dropped');
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.size, 2);
});
