// Round trip: a tiny app runs instrumented in a child process (spool on, first-party hosts empty),
// receives an email, forwards sha256(email) to a "partner" host resolved to loopback; then
// `sst ingest` and `sst lineage --value` show the email collected and then shared.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const SST = join(__dirname, 'sst.js');
const KEY = 'roundtrip-test-key-0123456789';

/** The project root: two levels up from dist/cli, or where an area build's node_modules link points. */
function projectRoot(): string {
  const candidates = [resolve(__dirname, '..', '..')];
  try { candidates.unshift(dirname(realpathSync(join(__dirname, '..', 'node_modules')))); } catch { /* not an area build */ }
  const found = candidates.find((c) => existsSync(join(c, 'dist', 'instrumentation', 'index.js')));
  if (!found) throw new Error(`no built distribution (dist/instrumentation/index.js) under ${candidates.join(' or ')}; run npm run build`);
  return found;
}

const DNS_PRELOAD = `'use strict';
// Resolves *.partner-example.com to loopback; everything else resolves normally.
const dns = require('node:dns');
const real = dns.lookup;
dns.lookup = function (host, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  if (typeof host === 'string' && host.endsWith('.partner-example.com')) {
    const all = options && typeof options === 'object' && options.all;
    process.nextTick(() => all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
    return undefined;
  }
  return real.call(dns, host, options, cb);
};
`;

const APP = `'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const partner = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"score":1}')); });
partner.listen(0, '127.0.0.1', () => {
  const partnerPort = partner.address().port;
  const app = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const { email } = JSON.parse(body);
      const hashed = crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
      const out = http.request({ host: 'risk.partner-example.com', port: partnerPort, path: '/v1/score', method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
        r.resume();
        r.on('end', () => { res.writeHead(201); res.end('ok'); });
      });
      out.end(JSON.stringify({ em: hashed, plan: 'pro' }));
    });
  });
  app.listen(0, '127.0.0.1', () => {
    const req = http.request({ host: '127.0.0.1', port: app.address().port, path: '/signup', method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
      r.resume();
      r.on('end', () => { app.close(); partner.close(); });
    });
    req.end(JSON.stringify({ email: 'Round.Trip@Example.org', name: 'Round Trip' }));
  });
});
`;

const dir = mkdtempSync(join(tmpdir(), 'sst-roundtrip-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('instrumented app → spool → sst ingest → sst lineage shows collect then a third-party share', () => {
  const root = projectRoot();
  writeFileSync(join(dir, 'dns-partner.cjs'), DNS_PRELOAD);
  writeFileSync(join(dir, 'app.cjs'), APP);
  writeFileSync(join(dir, 'sst.yaml'), 'firstPartyHosts: []\n');
  const env = {
    PATH: process.env.PATH ?? '', HOME: dir, SST_FINGERPRINT_KEY: KEY, SST_SPOOL_DIR: join(dir, 'spool'),
    SST_CONFIG: join(dir, 'sst.yaml'), OTEL_SERVICE_NAME: 'roundtrip-app', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
  const app = spawnSync(process.execPath, ['--require', join(dir, 'dns-partner.cjs'), '--require', join(root, 'dist', 'instrumentation', 'index.js'), 'app.cjs'], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(app.status, 0, app.stderr);
  assert.ok(readdirSync(join(dir, 'spool')).some((f) => f.endsWith('.jsonl')), 'the app wrote a spool file');

  const ingest = spawnSync(process.execPath, [SST, 'ingest'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(ingest.status, 0, ingest.stderr);
  assert.match(ingest.stdout, /loaded [1-9]\d* spans/);

  const lin = spawnSync(process.execPath, [SST, 'lineage', '--value', 'round.trip@example.org', '--json'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(lin.status, 0, lin.stderr);
  const l = JSON.parse(lin.stdout) as { category: string; steps: Array<{ flow: string; target: string; service: string; thirdParty: boolean; transforms: string[]; firstSeen: string }> };
  assert.equal(l.category, 'email');
  const collect = l.steps.find((s) => s.flow === 'collect');
  const share = l.steps.find((s) => s.flow === 'share' && s.target === 'risk.partner-example.com');
  assert.ok(collect, JSON.stringify(l.steps));
  assert.ok(share, JSON.stringify(l.steps));
  assert.equal(collect.service, 'roundtrip-app');
  assert.match(collect.target, /POST/);
  assert.equal(share.thirdParty, true);
  assert.ok(share.transforms.some((t) => t.includes('sha256')), share.transforms.join(','));
  assert.ok(l.steps.indexOf(collect) < l.steps.indexOf(share), 'collect comes before the share');
  assert.ok(share.firstSeen >= collect.firstSeen);
  assert.doesNotMatch(lin.stdout.toLowerCase(), /round\.trip/);

  const gate = spawnSync(process.execPath, [SST, 'report', '--fail-on', 'third-party-share'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(gate.status, 1, gate.stderr);
  assert.match(gate.stdout, /risk\.partner-example\.com\s+yes/);
});
