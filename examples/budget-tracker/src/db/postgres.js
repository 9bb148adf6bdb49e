'use strict';
// PostgreSQL through a pg Pool: the same repository API with $n parameters.
const { Pool } = require('pg');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id                TEXT PRIMARY KEY,
  email             TEXT NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  phone             TEXT,
  birthdate         DATE,
  gender            TEXT,
  annual_income     INTEGER,
  marketing_consent BOOLEAN NOT NULL DEFAULT FALSE,
  password_hash     TEXT NOT NULL,
  plan              TEXT NOT NULL DEFAULT 'free',
  risk_tier         TEXT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS expenses (
  id           BIGSERIAL PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id),
  amount_cents INTEGER NOT NULL,
  category     TEXT NOT NULL,
  note         TEXT,
  spent_on     DATE NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS expenses_user_spent ON expenses (user_id, spent_on);
`;

// DATE columns come back as text (YYYY-MM-DD), as SQLite stores them, not as local-midnight Dates.
const DATE_OID = 1082;
const types = { getTypeParser: (oid, format) => (oid === DATE_OID ? (v) => v : require('pg').types.getTypeParser(oid, format)) };

async function openPostgres(url) {
  const pool = new Pool({ connectionString: url, max: 5, types });
  await pool.query(SCHEMA);
  const one = async (sql, params) => (await pool.query(sql, params)).rows[0];
  const many = async (sql, params) => (await pool.query(sql, params)).rows;

  return {
    kind: 'postgres',
    users: {
      async create(u) {
        await pool.query(
          `INSERT INTO users (id, email, name, phone, birthdate, gender, annual_income, marketing_consent, password_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [u.id, u.email, u.name, u.phone, u.birthdate, u.gender, u.annual_income, u.marketing_consent, u.password_hash],
        );
      },
      byEmail: (email) => one('SELECT * FROM users WHERE email = $1', [email]),
      byId: (id) => one('SELECT * FROM users WHERE id = $1', [id]),
      async setRiskTier(id, tier) { await pool.query('UPDATE users SET risk_tier = $1 WHERE id = $2', [tier, id]); },
      async setPlan(id, plan) { await pool.query('UPDATE users SET plan = $1 WHERE id = $2', [plan, id]); },
      all: () => many('SELECT id, email, name, phone, plan, marketing_consent, created_at FROM users ORDER BY created_at, id'),
    },
    sessions: {
      async create(tokenHash, userId, expiresAt) {
        await pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt]);
      },
      async userIdFor(tokenHash, now) {
        return (await one('SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now]))?.user_id;
      },
      async delete(tokenHash) { await pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]); },
    },
    expenses: {
      async add(userId, e) {
        const row = await one(
          'INSERT INTO expenses (user_id, amount_cents, category, note, spent_on) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [userId, e.amount_cents, e.category, e.note ?? null, e.spent_on],
        );
        return Number(row.id);
      },
      list: (userId, limit) => many('SELECT id, amount_cents, category, note, spent_on FROM expenses WHERE user_id = $1 ORDER BY spent_on DESC, id DESC LIMIT $2', [userId, limit]),
      totalsByCategory: async (userId, since) => (await many(
        `SELECT category, SUM(amount_cents)::int AS total_cents, COUNT(*)::int AS count FROM expenses
         WHERE user_id = $1 AND spent_on >= $2 GROUP BY category ORDER BY total_cents DESC`,
        [userId, since],
      )),
    },
    async close() { await pool.end(); },
  };
}

module.exports = { openPostgres };
