// The lineage chain (collect → store → load → share) through mysql2 (promise pool, prepared
// statements for writes, text protocol for reads) on the real MariaDB server.
import { test } from 'node:test';
import { assertChain, runChain, startSst, type DbAdapter } from './scenario';
import { MYSQL_URL, unreachable } from './servers';

test('mysql2: collect, store, load and share carry the same fingerprints', async (t) => {
  const why = await unreachable(MYSQL_URL, 3306);
  if (why) { t.skip(`MariaDB/MySQL not reachable (MYSQL_URL): ${why}`); return; }
  const st = startSst();
  try {
    const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 2 });
    const table = `users_${process.pid}`;
    const products = `products_${process.pid}`;
    const adapter: DbAdapter = {
      table,
      async setup() {
        await pool.query(`CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200), name VARCHAR(200), phone VARCHAR(50), email_sha256 CHAR(64))`);
        await pool.query(`CREATE TABLE ${products} (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200), price DECIMAL(10,2))`);
        await pool.execute(`INSERT INTO ${products} (title, price) VALUES (?, ?)`, ['Desk lamp', 39.5]);
      },
      async insertUser(p, hash) {
        await pool.execute(`INSERT INTO ${table} (email, name, phone, email_sha256) VALUES (?, ?, ?, ?)`, [p.email, p.name, p.phone, hash]);
      },
      async selectUsers() {
        const [rows] = await pool.query(`SELECT u.email, u.name FROM ${table} AS u ORDER BY u.id`);
        return rows as Array<{ email: string; name: string }>;
      },
      async selectProducts() { return (await pool.query(`SELECT id, title, price FROM ${products} WHERE price > ?`, [1]))[0]; },
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
