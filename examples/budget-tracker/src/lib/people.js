'use strict';
// Small helpers for the personal details users give us.

const normalizeEmail = (email) => String(email).trim().toLowerCase();

/** The sign-up form takes US numbers as typed; vendors want E.164. */
function toE164(phone) {
  const typed = String(phone).trim();
  const digits = typed.replace(/\D/g, '');
  if (typed.startsWith('+')) return `+${digits}`;
  return digits.length === 10 ? `+1${digits}` : `+${digits}`;
}

function splitName(name) {
  const parts = String(name).trim().split(/\s+/);
  return { first: parts[0] || '', last: parts.length > 1 ? parts.slice(1).join(' ') : '' };
}

/** The risk partner only needs a coarse bracket, never the figure. */
function incomeBracket(income) {
  const n = Number(income);
  if (!Number.isFinite(n) || n <= 0) return 'unknown';
  if (n < 40000) return 'under-40k';
  if (n < 80000) return '40k-80k';
  if (n < 150000) return '80k-150k';
  return '150k-plus';
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
/** `$120,000` */
const usd = (amount) => dollars.format(amount);
/** `$412.50` from 41250 */
const usdCents = (amountCents) => cents.format(amountCents / 100);

module.exports = { normalizeEmail, toE164, splitName, incomeBracket, usd, usdCents };
