'use strict';
// Everything the service reads from its environment, in one place. An integration whose key is
// missing is switched off (local development works without any vendor account).
const path = require('node:path');

const env = process.env;

function intFrom(name, fallback) {
  const n = Number.parseInt(env[name] ?? '', 10);
  return Number.isFinite(n) ? n : fallback;
}

module.exports = {
  port: intFrom('PORT', 3000),
  host: env.HOST || '127.0.0.1',
  /** PostgreSQL when set (postgres://user@host/db), else a SQLite file. */
  pgUrl: env.PGURL || '',
  sqliteFile: path.resolve(env.SQLITE_FILE || 'data/budget-tracker.db'),
  cookieSecure: env.COOKIE_SECURE === 'true',
  sessionDays: intFrom('SESSION_DAYS', 30),
  adminToken: env.ADMIN_TOKEN || '',
  /** Hour (UTC, 0-23) of the nightly CRM sync; unset = only on demand (POST /admin/jobs/crm-sync). */
  crmSyncHour: env.CRM_SYNC_HOUR === undefined ? undefined : intFrom('CRM_SYNC_HOUR', 2),

  meta: { accessToken: env.META_ACCESS_TOKEN || '', pixelId: env.META_PIXEL_ID || '' },
  segment: { writeKey: env.SEGMENT_WRITE_KEY || '' },
  sendgrid: { apiKey: env.SENDGRID_API_KEY || '', from: env.MAIL_FROM || 'hello@budget-tracker.example' },
  openai: { apiKey: env.OPENAI_API_KEY || '', model: env.OPENAI_MODEL || 'gpt-4o-mini' },
  hubspot: { token: env.HUBSPOT_TOKEN || '' },
  risk: { apiKey: env.RISK_API_KEY || '', url: env.RISK_API_URL || 'https://risk.partner-example.com/v2/score' },
};
