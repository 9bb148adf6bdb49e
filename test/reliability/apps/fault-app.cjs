'use strict';
// The service the fault tests run: plain node:http, knows nothing about instrumentation.
//   POST /signup   reads the JSON body, answers {"ok":true,"n":<count>}
//   GET  /mem      {"rss":…, "heapUsed":…, "pending":<sst detection queue or null>}
//   GET  /settled  {"pending":<items the analysis has not processed yet, or null without sst>}
// FAULT_APP_SIGNALS=exit:<code> installs SIGTERM/SIGINT handlers that close and exit with <code>;
// without it the default signal action (die by the signal) applies.
const http = require('node:http');

let n = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/mem') {
    const m = process.memoryUsage();
    const s = globalThis[Symbol.for('@sst/otel-auto')];
    const pending = s && s.handle ? s.handle.processor.pending() : null;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, pending }));
    return;
  }
  if (req.method === 'GET' && req.url === '/settled') {
    const s = globalThis[Symbol.for('@sst/otel-auto')];
    const stats = s && s.handle ? s.handle.processor.stats().then((st) => st.pending, () => null) : Promise.resolve(null);
    void stats.then((pending) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ pending }));
    });
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    n++;
    let ok = true;
    try { JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { ok = false; }
    res.setHeader('content-type', 'application/json');
    res.statusCode = ok ? 200 : 400;
    res.end(JSON.stringify({ ok, n }));
  });
});
server.keepAliveTimeout = 1000;

const mode = process.env.FAULT_APP_SIGNALS || '';
if (mode.startsWith('exit:')) {
  const code = Number(mode.slice(5));
  const stop = () => { server.close(); server.closeAllConnections(); setTimeout(() => process.exit(code), 20); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

server.listen(0, '127.0.0.1', () => { process.stdout.write(`READY ${server.address().port}\n`); });
