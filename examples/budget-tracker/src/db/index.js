'use strict';
// The repository the routes use. Two implementations with the same async methods:
//   users:    create(user) · byEmail(email) · byId(id) · setRiskTier(id, tier) · setPlan(id, plan) · all()
//   sessions: create(tokenHash, userId, expiresAt) · userIdFor(tokenHash, now) · delete(tokenHash)
//   expenses: add(userId, expense) · list(userId, limit) · totalsByCategory(userId, since)
//   close()
// PostgreSQL (pg) when PGURL is set, SQLite (better-sqlite3) otherwise.
const config = require('../config');

async function openRepository() {
  if (config.pgUrl) {
    const { openPostgres } = require('./postgres');
    return openPostgres(config.pgUrl);
  }
  const { openSqlite } = require('./sqlite');
  return openSqlite(config.sqliteFile);
}

module.exports = { openRepository };
