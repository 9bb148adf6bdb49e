'use strict';
// The soaked service: an express sign-up endpoint that knows nothing about instrumentation. Every
// request carries a new person (unique email, phone, name); every tenth one is forwarded to a
// loopback "vendor" as the SHA-256 of the email, so the egress matcher works too. The parent talks
// to it over IPC: the app reports RSS, heap, event-loop delay and (when instrumented) the registry
// size once a second; nothing of that goes through HTTP, so the measurement adds no spans.
const crypto = require('node:crypto');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const express = require('express');

const vendorUrl = process.env.SOAK_VENDOR_URL;
let handled = 0;

const app = express();
app.use(express.json({ limit: '100kb' }));
app.post('/signup', async (req, res, next) => {
  try {
    const p = req.body;
    handled++;
    if (vendorUrl && handled % 10 === 0) {
      const em = crypto.createHash('sha256').update(String(p.email).trim().toLowerCase()).digest('hex');
      const r = await fetch(vendorUrl, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: [{ event_name: 'Lead', user_data: { em: [em] } }] }),
      });
      await r.arrayBuffer();
    }
    res.json({ ok: true, n: handled });
  } catch (e) { next(e); }
});

// Event-loop delay per 1 s window (p99, max) and over the whole run.
const whole = monitorEventLoopDelay({ resolution: 5 });
const window = monitorEventLoopDelay({ resolution: 5 });
whole.enable();
window.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;

/** Registry size and queue, from the analysis thread when it runs there (the default). */
async function registryStats() {
  const s = globalThis[Symbol.for('@sst/otel-auto')];
  const h = s && s.handle;
  if (!h) return null;
  const st = await h.processor.stats();
  return { ...st.registry, maxBytes: h.config.registry.maxBytes, queue: st.pending, dropped: st.dropped };
}

const server = app.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
  const timer = setInterval(async () => {
    const mem = process.memoryUsage();
    const eld = { p99: ms(window.percentile(99)), max: ms(window.max), mean: ms(window.mean) };
    window.reset();
    const registry = await registryStats();
    // the stats reply can come after the runner has stopped and disconnected
    if (process.connected) process.send({ type: 'sample', t: Date.now(), handled, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, eld, registry });
  }, 1000);
  timer.unref();
});

process.on('message', async (m) => {
  if (m && m.type === 'stop') {
    const eld = { p50: ms(whole.percentile(50)), p99: ms(whole.percentile(99)), p999: ms(whole.percentile(99.9)), max: ms(whole.max) };
    process.send({ type: 'final', handled, eld, registry: await registryStats() });
    server.close();
    process.disconnect();
  }
});
