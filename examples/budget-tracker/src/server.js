'use strict';
// Starts Budget Tracker: opens the database, serves HTTP, schedules the nightly CRM sync, and on
// SIGTERM/SIGINT stops taking requests, flushes analytics and closes the database.
const config = require('./config');
const { createApp } = require('./app');
const { openRepository } = require('./db');
const { scheduleNightly } = require('./jobs/crm-sync');
const segment = require('./integrations/segment');

async function main() {
  const repo = await openRepository();
  const app = createApp(repo);
  const server = app.listen(config.port, config.host, () => {
    const { address, port } = server.address();
    console.log(`budget-tracker listening on http://${address}:${port} (${repo.kind})`);
  });
  const cancelNightly = config.crmSyncHour === undefined ? () => {} : scheduleNightly(repo, config.crmSyncHour);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`budget-tracker: ${signal}, shutting down`);
    cancelNightly();
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeIdleConnections();
    });
    try {
      await segment.flush();
    } catch (e) {
      console.error('[shutdown] analytics flush failed:', e.message);
    }
    await repo.close();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error('budget-tracker failed to start:', e);
  process.exitCode = 1;
});
