'use strict';
// Preload for the app process (`node --require <this> --import @sst/otel-auto app`).
// Every hostname except localhost and IP literals resolves to SST_TEST_FAKE_ADDR, so unmodified
// vendor SDKs reach the loopback fakes through their normal https://<vendor host> URLs.
// Only dns.lookup and dns.promises.lookup are replaced; nothing else in the process is touched.
const dns = require('node:dns');
const net = require('node:net');

const fakeAddr = process.env.SST_TEST_FAKE_ADDR;

function keepsRealResolution(hostname) {
  if (typeof hostname !== 'string' || hostname === '') return true;
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || net.isIP(h) !== 0;
}

function normalizeOptions(options) {
  if (typeof options === 'number') return { family: options };
  return options && typeof options === 'object' ? options : {};
}

if (fakeAddr && net.isIPv4(fakeAddr)) {
  const realLookup = dns.lookup;
  dns.lookup = function lookupToFakes(hostname, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    if (keepsRealResolution(hostname)) return realLookup.call(dns, hostname, options, callback);
    const opts = normalizeOptions(options);
    process.nextTick(() => {
      if (opts.all) callback(null, [{ address: fakeAddr, family: 4 }]);
      else callback(null, fakeAddr, 4);
    });
    return undefined;
  };

  const promises = dns.promises;
  const realPromiseLookup = promises.lookup;
  promises.lookup = async function lookupToFakes(hostname, options) {
    if (keepsRealResolution(hostname)) return realPromiseLookup.call(promises, hostname, options);
    const opts = normalizeOptions(options);
    return opts.all ? [{ address: fakeAddr, family: 4 }] : { address: fakeAddr, family: 4 };
  };
}
