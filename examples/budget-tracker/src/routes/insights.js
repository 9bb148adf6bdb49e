'use strict';
// "AI insights": the last 30 days of spending and the user's income, turned into tips by an LLM.
const express = require('express');
const { requireUser } = require('../auth/sessions');
const openai = require('../integrations/openai');
const segment = require('../integrations/segment');

function insightRoutes(repo) {
  const router = express.Router();
  router.post('/', requireUser(repo), async (req, res) => {
    const since = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    const [user, totals] = await Promise.all([repo.users.byId(req.userId), repo.expenses.totalsByCategory(req.userId, since)]);
    if (!totals.length) return res.json({ tips: 'Add a few expenses first, then ask again.' });
    const tips = await openai.budgetTips(user, totals);
    segment.track(req.userId, 'Insights Requested', { categories: totals.length });
    res.json({ tips });
  });
  return router;
}

module.exports = { insightRoutes };
