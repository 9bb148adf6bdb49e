'use strict';
// Upgrading to Premium (payment is handled by the app store; we only record the plan).
const express = require('express');
const { requireUser } = require('../auth/sessions');
const meta = require('../integrations/meta');
const segment = require('../integrations/segment');

const PREMIUM_PRICE = 4.99;

function billingRoutes(repo) {
  const router = express.Router();
  router.post('/upgrade', requireUser(repo), async (req, res) => {
    await repo.users.setPlan(req.userId, 'premium');
    const user = await repo.users.byId(req.userId);
    segment.track(user.id, 'Subscription Started', { plan: 'premium', price: PREMIUM_PRICE });
    try {
      await meta.purchase(user, req, PREMIUM_PRICE);
    } catch (e) {
      console.error('[billing] meta purchase event failed:', e.message);
    }
    res.json({ plan: user.plan });
  });
  return router;
}

module.exports = { billingRoutes };
