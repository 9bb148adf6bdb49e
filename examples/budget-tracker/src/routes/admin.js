'use strict';
// Operator endpoints, behind a bearer token (ADMIN_TOKEN; unset = no admin API).
const crypto = require('node:crypto');
const express = require('express');
const config = require('../config');
const { runCrmSync } = require('../jobs/crm-sync');

function allowed(req) {
  const given = Buffer.from(String(req.get('authorization') ?? ''));
  const wanted = Buffer.from(`Bearer ${config.adminToken}`);
  return config.adminToken !== '' && given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

function adminRoutes(repo) {
  const router = express.Router();
  router.use((req, res, next) => (allowed(req) ? next() : res.status(403).json({ error: 'forbidden' })));
  router.post('/jobs/crm-sync', async (_req, res) => {
    res.json(await runCrmSync(repo));
  });
  return router;
}

module.exports = { adminRoutes };
