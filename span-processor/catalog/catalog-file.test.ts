import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError, DESTINATION_KINDS, KIND_OF_CATALOG_KIND, listCatalog, loadCatalogFile, validateCatalog } from './catalog-file';

const good = { hosts: ['api.example.com'], vendor: 'example', kind: 'analytics', catalogKind: 'analytics' };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CatalogError, 'expected a CatalogError');
    return e.message;
  }
  assert.fail('expected an error');
}

test('the built-in catalog loads, validates and is frozen', () => {
  const entries = listCatalog();
  assert.ok(entries.length > 50);
  assert.ok(Object.isFrozen(entries) && Object.isFrozen(entries[0]));
  for (const e of entries) assert.equal(e.kind, KIND_OF_CATALOG_KIND[e.catalogKind]);
  const vendors = new Set(entries.map((e) => e.vendor));
  for (const v of ['meta', 'google-ads', 'google-data-manager', 'ga4', 'segment', 'posthog', 'sendgrid', 'openai', 'stripe', 'zendesk', 'redactpii', 'sentry', 'datadog']) {
    assert.ok(vendors.has(v), `missing vendor ${v}`);
  }
  assert.equal(DESTINATION_KINDS.length, 12);
});

test('a malformed entry names its index and key', () => {
  const msg = errorOf(() => validateCatalog({ version: 1, destinations: [good, { ...good, vendor: 'bad', hosts: ['ok.example', 'no spaces.com'] }] }, 'test.yaml'));
  assert.match(msg, /test\.yaml/);
  assert.match(msg, /entry 1 \(vendor "bad"\) key "hosts\[1\]"/);
});

test('missing keys, unknown keys, bad kinds and broken path regexes are errors', () => {
  assert.match(errorOf(() => validateCatalog({ version: 1, destinations: [{ hosts: ['a.com'], kind: 'cdp', catalogKind: 'cdp' }] })), /entry 0 key "vendor"/);
  assert.match(errorOf(() => validateCatalog({ version: 1, destinations: [good, good, { ...good, typo: 1 }] })), /entry 2 \(vendor "example"\) key "typo": unknown key/);
  assert.match(errorOf(() => validateCatalog({ version: 1, destinations: [{ ...good, kind: 'advertising' }] })), /entry 0 .*key "kind".*catalogKind "analytics"/);
  assert.match(errorOf(() => validateCatalog({ version: 1, destinations: [{ ...good, path: '(' }] })), /entry 0 .*key "path": path is not a valid regular expression/);
  assert.match(errorOf(() => validateCatalog({ version: 1, destinations: [{ ...good, hosts: [] }] })), /entry 0 .*key "hosts"/);
  assert.match(errorOf(() => validateCatalog({ destinations: [good] })), /key "version"/);
  assert.match(errorOf(() => validateCatalog(null)), /invalid destination catalog/);
  assert.equal(validateCatalog({ version: 1, destinations: [good] }).length, 1);
});

test('loadCatalogFile reports unreadable and unparsable files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-catalog-'));
  assert.match(errorOf(() => loadCatalogFile(join(dir, 'missing.yaml'))), /cannot read destination catalog .*ENOENT/);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'version: 1\ndestinations: [\n');
  assert.match(errorOf(() => loadCatalogFile(bad)), /cannot parse destination catalog/);
  const wrong = join(dir, 'wrong.yaml');
  writeFileSync(wrong, 'version: 1\ndestinations:\n  - hosts: ["*"]\n    vendor: x\n    kind: cdp\n    catalogKind: cdp\n');
  assert.match(errorOf(() => loadCatalogFile(wrong)), /entry 0 \(vendor "x"\) key "hosts\[0\]".*too much/);
});
