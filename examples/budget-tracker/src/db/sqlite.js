'use strict';
// SQLite through better-sqlite3: synchronous prepared statements behind the async repository API.
const fs = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id                TEXT PRIMARY KEY,
  email             TEXT NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  phone             TEXT,
  birthdate         TEXT,
  gender            TEXT,
  annual_income     INTEGER,
  marketing_consent INTEGER NOT NULL DEFAULT 0,
  password_hash     TEXT NOT NULL,
  plan              TEXT NOT NULL DEFAULT 'free',
  risk_tier         TEXT,
  created_at        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS expenses (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      TEXT NOT NULL REFERENCES users(id),
  amount_cents INTEGER NOT NULL,
  category     TEXT NOT NULL,
  note         TEXT,
  spent_on     TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS expenses_user_spent ON expenses (user_id, spent_on);
`;

const toUser = (row) => row && { ...row, marketing_consent: row.marketing_consent === 1 };

function openSqlite(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const q = {
    insertUser: db.prepare(`INSERT INTO users (id, email, name, phone, birthdate, gender, annual_income, marketing_consent, password_hash, created_at)
      VALUES (@id, @email, @name, @phone, @birthdate, @gender, @annual_income, @marketing_consent, @password_hash, @created_at)`),
    userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    setRiskTier: db.prepare('UPDATE users SET risk_tier = ? WHERE id = ?'),
    setPlan: db.prepare('UPDATE users SET plan = ? WHERE id = ?'),
    allUsers: db.prepare('SELECT id, email, name, phone, plan, marketing_consent, created_at FROM users ORDER BY created_at, id'),
    insertSession: db.prepare('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)'),
    sessionUser: db.prepare('SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    insertExpense: db.prepare(`INSERT INTO expenses (user_id, amount_cents, category, note, spent_on, created_at)
      VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
    listExpenses: db.prepare('SELECT id, amount_cents, category, note, spent_on FROM expenses WHERE user_id = ? ORDER BY spent_on DESC, id DESC LIMIT ?'),
    totals: db.prepare(`SELECT category, SUM(amount_cents) AS total_cents, COUNT(*) AS count FROM expenses
      WHERE user_id = ? AND spent_on >= ? GROUP BY category ORDER BY total_cents DESC`),
  };

  return {
    kind: 'sqlite',
    users: {
      async create(u) {
        q.insertUser.run({ ...u, marketing_consent: u.marketing_consent ? 1 : 0, created_at: new Date().toISOString() });
      },
      async byEmail(email) { return toUser(q.userByEmail.get(email)); },
      async byId(id) { return toUser(q.userById.get(id)); },
      async setRiskTier(id, tier) { q.setRiskTier.run(tier, id); },
      async setPlan(id, plan) { q.setPlan.run(plan, id); },
      async all() { return q.allUsers.all().map(toUser); },
    },
    sessions: {
      async create(tokenHash, userId, expiresAt) { q.insertSession.run(tokenHash, userId, expiresAt.toISOString()); },
      async userIdFor(tokenHash, now) { return q.sessionUser.get(tokenHash, now.toISOString())?.user_id; },
      async delete(tokenHash) { q.deleteSession.run(tokenHash); },
    },
    expenses: {
      async add(userId, e) {
        return q.insertExpense.get(userId, e.amount_cents, e.category, e.note ?? null, e.spent_on, new Date().toISOString()).id;
      },
      async list(userId, limit) { return q.listExpenses.all(userId, limit); },
      async totalsByCategory(userId, since) { return q.totals.all(userId, since); },
    },
    async close() { db.close(); },
  };
}

module.exports = { openSqlite };
