'use strict';
// Preload for every benchmark configuration (so all pay the same): the fake vendor's real host name
// (graph.facebook.com) resolves to loopback, so the app calls it by name and the distribution sees
// a third-party advertising destination, as in production. Other names resolve normally.
const dns = require('node:dns');

const host = process.env.BENCH_VENDOR_HOST || 'graph.facebook.com';
const realLookup = dns.lookup;
dns.lookup = function benchLookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (hostname !== host) return realLookup.call(dns, hostname, options, callback);
  const all = options && typeof options === 'object' && options.all;
  process.nextTick(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
  return undefined;
};
