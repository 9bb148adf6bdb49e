'use strict';
// Fraud/risk scoring at sign-up. The partner matches on a SHA-256 of the normalized email and gets
// an income bracket, never the figure.
const crypto = require('node:crypto');
const config = require('../config');
const { incomeBracket, normalizeEmail } = require('../lib/people');

const sha256 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** The partner's tier (`low` / `medium` / `high`), or undefined when scoring is off or fails. */
async function scoreSignup(user, request) {
  if (!config.risk.apiKey) return undefined;
  const res = await fetch(config.risk.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.risk.apiKey}` },
    body: JSON.stringify({
      customer_ref: sha256(normalizeEmail(user.email)),
      income_bracket: incomeBracket(user.annual_income),
      account_age_days: 0,
      channel: request.get('user-agent')?.includes('Mobile') ? 'mobile' : 'web',
    }),
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) throw new Error(`risk partner answered ${res.status}`);
  const body = await res.json();
  return typeof body.tier === 'string' ? body.tier : undefined;
}

module.exports = { scoreSignup };
