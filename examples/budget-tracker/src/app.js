'use strict';
// The express application: JSON API under /api, operator API under /admin.
const express = require('express');
const cookieParser = require('cookie-parser');
const { authRoutes } = require('./routes/auth');
const { expenseRoutes } = require('./routes/expenses');
const { insightRoutes } = require('./routes/insights');
const { billingRoutes } = require('./routes/billing');
const { adminRoutes } = require('./routes/admin');

function createApp(repo) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));
  app.use(cookieParser());

  app.get('/health', (_req, res) => res.json({ ok: true, db: repo.kind }));
  app.use('/api', authRoutes(repo));
  app.use('/api/expenses', expenseRoutes(repo));
  app.use('/api/insights', insightRoutes(repo));
  app.use('/api/billing', billingRoutes(repo));
  app.use('/admin', adminRoutes(repo));

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  app.use((err, _req, res, _next) => {
    console.error('[http]', err.message);
    if (!res.headersSent) res.status(err.status || 500).json({ error: err.expose ? err.message : 'internal error' });
  });
  return app;
}

module.exports = { createApp };
