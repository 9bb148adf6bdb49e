'use strict';
// The app's surroundings, in their own process: the OTLP/HTTP sink (accepts and drops, counting
// requests and bytes, sst.* attribute keys and DB spans; it also answers the Datadog agent's trace
// intake for configuration g) and the fake Meta Conversions API.
const http = require('node:http');

const stats = { requests: 0, bytes: 0, sstAttributes: 0, dbSpans: 0, iastSpans: 0 };
const SST = Buffer.from('sst.');
// Every DB span carries the query text (the SQLite insert); no HTTP span does.
const DB_QUERY = Buffer.from('db.query.text');
// dd-trace tags each request IAST analysed (configuration g shows it really taint-tracked them).
const IAST = Buffer.from('_dd.iast.enabled');

const sink = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
    return;
  }
  if (req.method === 'POST' && req.url === '/stats/reset') {
    stats.requests = 0; stats.bytes = 0; stats.sstAttributes = 0; stats.dbSpans = 0; stats.iastSpans = 0;
    res.end('{}');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    stats.requests++;
    stats.bytes += body.length;
    // Count sst.* attribute keys (capped scan) to show the distribution really annotated spans.
    for (let i = body.indexOf(SST), n = 0; i >= 0 && n < 10000; i = body.indexOf(SST, i + 4), n++) stats.sstAttributes++;
    // Shows which configurations export DB spans: (c) must, (b) and (e) must not.
    for (let i = body.indexOf(DB_QUERY), n = 0; i >= 0 && n < 10000; i = body.indexOf(DB_QUERY, i + 13), n++) stats.dbSpans++;
    for (let i = body.indexOf(IAST), n = 0; i >= 0 && n < 10000; i = body.indexOf(IAST, i + 16), n++) stats.iastSpans++;
    // The Datadog agent's trace intake (configuration g): the answer its tracer expects.
    if (req.url.startsWith('/v0.4/traces') || req.url.startsWith('/v0.5/traces')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"rate_by_service":{}}');
      return;
    }
    // Agent discovery (GET /info) and anything else a tracer may try: not an OTLP endpoint.
    if (req.method === 'GET') {
      res.writeHead(404);
      res.end();
      return;
    }
    // An empty ExportTraceServiceResponse, in the encoding that was sent.
    const json = (req.headers['content-type'] || '').includes('json');
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : '');
  });
});

const vendor = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"events_received":1,"messages":[],"fbtrace_id":"AbCdEfGhIjKlMnOp"}');
  });
});

sink.listen(0, '127.0.0.1', () => vendor.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${sink.address().port} ${vendor.address().port}\n`);
}));
process.on('SIGTERM', () => process.exit(0));
