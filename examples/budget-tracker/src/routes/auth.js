'use strict';
// Sign-up, log-in and log-out.
const crypto = require('node:crypto');
const express = require('express');
const { hashPassword, verifyPassword } = require('../auth/passwords');
const { endSession, requireUser, startSession } = require('../auth/sessions');
const meta = require('../integrations/meta');
const risk = require('../integrations/risk');
const segment = require('../integrations/segment');
const sendgrid = require('../integrations/sendgrid');
const { normalizeEmail } = require('../lib/people');

const GENDERS = new Set(['female', 'male', 'nonbinary', 'undisclosed']);

function signupProblem(b) {
  if (typeof b.name !== 'string' || !b.name.trim()) return 'name is required';
  if (typeof b.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email.trim())) return 'a valid email is required';
  if (typeof b.password !== 'string' || b.password.length < 10) return 'the password needs at least 10 characters';
  if (b.birthdate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(b.birthdate)) return 'birthdate is YYYY-MM-DD';
  if (b.gender !== undefined && !GENDERS.has(b.gender)) return `gender is one of ${[...GENDERS].join(', ')}`;
  if (b.income !== undefined && !(Number.isFinite(Number(b.income)) && Number(b.income) >= 0)) return 'income is a yearly amount in dollars';
  return undefined;
}

/** Partners are told in parallel; one failing never fails the sign-up. */
async function announceSignup(repo, user, req) {
  const results = await Promise.allSettled([
    sendgrid.sendWelcome(user),
    meta.registration(user, req),
    risk.scoreSignup(user, req).then((tier) => tier && repo.users.setRiskTier(user.id, tier)),
  ]);
  segment.identify(user);
  segment.track(user.id, 'Signed Up', { plan: user.plan, marketing_consent: user.marketing_consent });
  const names = ['welcome mail', 'meta', 'risk scoring'];
  results.forEach((r, i) => { if (r.status === 'rejected') console.error(`[signup] ${names[i]} failed: ${r.reason?.message}`); });
}

function authRoutes(repo) {
  const router = express.Router();

  router.post('/register', async (req, res) => {
    const b = req.body ?? {};
    const problem = signupProblem(b);
    if (problem) return res.status(400).json({ error: problem });
    const email = normalizeEmail(b.email);
    if (await repo.users.byEmail(email)) return res.status(409).json({ error: 'an account with this email exists' });

    const user = {
      id: `usr_${crypto.randomBytes(8).toString('hex')}`,
      email,
      name: b.name.trim(),
      phone: b.phone ?? null,
      birthdate: b.birthdate ?? null,
      gender: b.gender ?? null,
      annual_income: b.income === undefined ? null : Math.round(Number(b.income)),
      marketing_consent: b.marketingConsent === true,
      password_hash: await hashPassword(b.password),
      plan: 'free',
    };
    await repo.users.create(user);
    await startSession(repo, res, user.id);
    await announceSignup(repo, user, req);
    res.status(201).json({ id: user.id, plan: user.plan });
  });

  router.post('/login', async (req, res) => {
    const { email, password } = req.body ?? {};
    if (typeof email !== 'string' || typeof password !== 'string') return res.status(400).json({ error: 'email and password are required' });
    const user = await repo.users.byEmail(normalizeEmail(email));
    if (!user || !(await verifyPassword(password, user.password_hash))) return res.status(401).json({ error: 'wrong email or password' });
    await startSession(repo, res, user.id);
    segment.track(user.id, 'Signed In', {});
    res.json({ id: user.id, plan: user.plan });
  });

  router.post('/logout', async (req, res) => {
    await endSession(repo, req, res);
    res.status(204).end();
  });

  router.get('/me', requireUser(repo), async (req, res) => {
    const u = await repo.users.byId(req.userId);
    res.json({ id: u.id, name: u.name, email: u.email, plan: u.plan, marketingConsent: u.marketing_consent });
  });

  return router;
}

module.exports = { authRoutes };
