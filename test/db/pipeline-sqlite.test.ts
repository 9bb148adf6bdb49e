// The lineage chain (collect → store → load → share) through better-sqlite3 on a file in a tmp dir,
// with the prepared-statement style of an express app.
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertChain, runChain, startSst, type DbAdapter } from './scenario';

test('better-sqlite3: collect, store, load and share carry the same fingerprints', async () => {
  const st = startSst();
  try {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const dir = mkdtempSync(join(tmpdir(), 'sst-db-sqlite-'));
    const db = new Database(join(dir, 'app.db'));
    const table = `users_${process.pid}`;
    let insert: import('better-sqlite3').Statement;
    const adapter: DbAdapter = {
      table,
      async setup() {
        db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, email TEXT, name TEXT, phone TEXT, email_sha256 TEXT)`);
        db.exec('CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT, price REAL)');
        db.prepare('INSERT INTO products (title, price) VALUES (?, ?)').run('Desk lamp', 39.5);
        insert = db.prepare(`INSERT INTO ${table} (email, name, phone, email_sha256) VALUES (@email, @name, @phone, @hash)`);
      },
      async insertUser(p, hash) { insert.run({ email: p.email, name: p.name, phone: p.phone, hash }); },
      async selectUsers() { return db.prepare(`SELECT u.email, u.name FROM ${table} AS u ORDER BY u.id`).all() as Array<{ email: string; name: string }>; },
      async selectProducts() { return db.prepare('SELECT id, title, price FROM products').all(); },
      async teardown() { db.close(); rmSync(dir, { recursive: true, force: true }); },
    };
    assertChain(await runChain(st, adapter), table);
  } finally {
    await st.handle.shutdown();
  }
});
