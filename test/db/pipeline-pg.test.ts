// The lineage chain (collect → store → load → share) through node-postgres on the real server.
import { test } from 'node:test';
import { assertChain, runChain, startSst, type DbAdapter } from './scenario';
import { PGURL, unreachable } from './servers';

test('pg: collect, store, load and share carry the same fingerprints', async (t) => {
  const why = await unreachable(PGURL, 5432);
  if (why) { t.skip(`PostgreSQL not reachable (PGURL): ${why}`); return; }
  const st = startSst();
  try {
    const pg = require('pg') as typeof import('pg');
    const pool = new pg.Pool({ connectionString: PGURL, max: 2 });
    const table = `users_${process.pid}`;
    const products = `products_${process.pid}`;
    const adapter: DbAdapter = {
      table,
      async setup() {
        await pool.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, email text, name text, phone text, email_sha256 text)`);
        await pool.query(`CREATE TABLE ${products} (id serial PRIMARY KEY, title text, price numeric)`);
        await pool.query(`INSERT INTO ${products} (title, price) VALUES ($1, $2)`, ['Desk lamp', 39.5]);
      },
      async insertUser(p, hash) {
        await pool.query(`INSERT INTO ${table} (email, name, phone, email_sha256) VALUES ($1, $2, $3, $4)`, [p.email, p.name, p.phone, hash]);
      },
      async selectUsers() { return (await pool.query(`SELECT u.email, u.name FROM ${table} u ORDER BY u.id`)).rows; },
      async selectProducts() { return (await pool.query(`SELECT id, title, price FROM ${products} WHERE price > $1`, [1])).rows; },
      async teardown() {
        await pool.query(`DROP TABLE IF EXISTS ${table}, ${products}`).catch(() => undefined);
        await pool.end();
      },
    };
    assertChain(await runChain(st, adapter), table);
  } finally {
    await st.handle.shutdown();
  }
});
