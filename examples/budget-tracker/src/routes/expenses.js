'use strict';
// The user's expenses.
const express = require('express');
const { requireUser } = require('../auth/sessions');
const segment = require('../integrations/segment');

const CATEGORIES = new Set(['rent', 'groceries', 'dining', 'transport', 'utilities', 'health', 'entertainment', 'travel', 'shopping', 'other']);

function expenseRoutes(repo) {
  const router = express.Router();
  router.use(requireUser(repo));

  router.post('/', async (req, res) => {
    const { amount, category, note, spentOn } = req.body ?? {};
    const cents = Math.round(Number(amount) * 100);
    if (!Number.isFinite(cents) || cents <= 0) return res.status(400).json({ error: 'amount is a positive number of dollars' });
    if (!CATEGORIES.has(category)) return res.status(400).json({ error: `category is one of ${[...CATEGORIES].join(', ')}` });
    const day = typeof spentOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(spentOn) ? spentOn : new Date().toISOString().slice(0, 10);
    const id = await repo.expenses.add(req.userId, { amount_cents: cents, category, note: typeof note === 'string' ? note.slice(0, 200) : null, spent_on: day });
    segment.track(req.userId, 'Expense Added', { category, amount: cents / 100 });
    res.status(201).json({ id });
  });

  router.get('/', async (req, res) => {
    const rows = await repo.expenses.list(req.userId, 100);
    res.json(rows.map((r) => ({ id: Number(r.id), amount: r.amount_cents / 100, category: r.category, note: r.note, spentOn: r.spent_on })));
  });

  return router;
}

module.exports = { expenseRoutes };
