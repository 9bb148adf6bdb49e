import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultConfig } from './config';
import { createDetector } from './detect';
import { createRegistry } from './registry/registry';
import { createCatalog } from './catalog/catalog';
import { Engine } from './engine';
import type { EgressCapture, IngressCapture } from './types';

function engine(): Engine {
  const cfg = defaultConfig();
  const registry = createRegistry({ key: Buffer.alloc(32, 7), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 16 << 20 });
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  return new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
}
const body = (doc: unknown) => {
  const b = Buffer.from(JSON.stringify(doc));
  return { chunks: [b], bytes: b.length, truncated: false, complete: true };
};

test('a sign-up with an accented address reaches Meta as that address, hashed', () => {
  const e = engine();
  const email = 'María.García.2@example.com';
  const signup: IngressCapture = {
    kind: 'ingress', method: 'POST', target: '/signup', headers: { 'content-type': 'application/json' },
    body: body({ firstName: 'María', email }),
  };
  const collected = e.collect(signup);
  const tag = collected.tags.find((t) => t.category === 'email');
  assert.ok(tag, 'the address is tagged');
  assert.equal(tag.fp, e.registry.fingerprint('email', email)?.fp, 'the whole address is fingerprinted, not its ASCII tail');
  const em = createHash('sha256').update(email.toLowerCase()).digest('hex');
  const capi: EgressCapture = {
    kind: 'egress', method: 'POST', url: 'https://graph.facebook.com/v21.0/1/events', host: 'graph.facebook.com',
    headers: { 'content-type': 'application/json' }, body: body({ data: [{ event_name: 'Lead', user_data: { em: [em] } }] }),
  };
  const shared = e.share(capi);
  assert.deepEqual(shared?.matches.map((m) => [m.fp, m.category, m.transform]), [[tag.fp, 'email', 'lowercase+sha256']]);
});
