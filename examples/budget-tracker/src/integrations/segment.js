'use strict';
// Product analytics in Segment. Everyone's events go by user id; profile traits (email, name) only
// for users who accepted marketing, since Segment forwards them to our marketing tools.
const { Analytics } = require('@segment/analytics-node');
const config = require('../config');
const { splitName } = require('../lib/people');

const analytics = config.segment.writeKey
  ? new Analytics({ writeKey: config.segment.writeKey, flushAt: 15, flushInterval: 2000, maxRetries: 2 })
  : undefined;
analytics?.on('error', (e) => console.error('[segment] delivery failed:', e?.code || e?.message));

function identify(user) {
  if (!analytics) return;
  if (!user.marketing_consent) {
    analytics.identify({ userId: user.id, traits: { plan: user.plan } });
    return;
  }
  const { first, last } = splitName(user.name);
  analytics.identify({ userId: user.id, traits: { email: user.email, firstName: first, lastName: last, plan: user.plan } });
}

function track(userId, event, properties) {
  analytics?.track({ userId, event, properties });
}

/** Sends what is still queued; called at shutdown. */
const flush = () => analytics?.closeAndFlush({ timeout: 5000 });

module.exports = { identify, track, flush };
