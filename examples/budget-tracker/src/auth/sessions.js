'use strict';
// Cookie sessions: the browser holds a random token, the database only its SHA-256, so a leaked
// sessions table cannot be replayed.
const crypto = require('node:crypto');
const config = require('../config');

const COOKIE = 'bt_session';
const tokenHash = (token) => crypto.createHash('sha256').update(token).digest('hex');

async function startSession(repo, res, userId) {
  const token = crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + config.sessionDays * 86400_000);
  await repo.sessions.create(tokenHash(token), userId, expiresAt);
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, expires: expiresAt });
}

async function endSession(repo, req, res) {
  const token = req.cookies[COOKIE];
  if (token) await repo.sessions.delete(tokenHash(token));
  res.clearCookie(COOKIE);
}

/** Middleware: req.userId for a live session, else 401. */
function requireUser(repo) {
  return async (req, res, next) => {
    const token = req.cookies[COOKIE];
    const userId = token ? await repo.sessions.userIdFor(tokenHash(token), new Date()) : undefined;
    if (!userId) return res.status(401).json({ error: 'not signed in' });
    req.userId = userId;
    next();
  };
}

module.exports = { startSession, endSession, requireUser };
