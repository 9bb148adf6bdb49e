'use strict';
// The nightly CRM sync: every user goes to HubSpot as a contact (sales and support work from it),
// with their marketing choice as a property. Runs inside the service process: on a daily timer
// (CRM_SYNC_HOUR) and on demand through POST /admin/jobs/crm-sync.
const hubspot = require('../integrations/hubspot');

const BATCH = 25;
let running;

async function syncAll(repo) {
  if (!hubspot.enabled()) return { exported: 0, batches: 0, skipped: 'HUBSPOT_TOKEN not set' };
  const users = await repo.users.all();
  let exported = 0;
  let batches = 0;
  for (let i = 0; i < users.length; i += BATCH) {
    exported += await hubspot.upsertContacts(users.slice(i, i + BATCH));
    batches++;
  }
  return { exported, batches };
}

/** One sync at a time: a second trigger while one runs gets the running one's result. */
function runCrmSync(repo) {
  running ??= syncAll(repo).finally(() => { running = undefined; });
  return running;
}

/** Schedules the sync daily at `hour`:00 UTC; returns a function that cancels it. */
function scheduleNightly(repo, hour) {
  let timer;
  const next = () => {
    const now = new Date();
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
    if (at <= now) at.setUTCDate(at.getUTCDate() + 1);
    timer = setTimeout(async () => {
      try {
        const r = await runCrmSync(repo);
        console.log(`[crm-sync] exported ${r.exported} contacts in ${r.batches} batches`);
      } catch (e) {
        console.error('[crm-sync] failed:', e.message);
      }
      next();
    }, at - now);
    timer.unref();
  };
  next();
  return () => clearTimeout(timer);
}

module.exports = { runCrmSync, scheduleNightly };
