import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, ConfigError, configFromEnv, defaultConfig, loadConfigFile, parseConfig } from './config';
import { configSchema } from './config-schema';

test('the plain defaults are exactly the schema defaults', () => {
  assert.deepEqual(DEFAULTS, configSchema.parse({}));
  const a = defaultConfig();
  a.firstPartyHosts.push('x');
  assert.deepEqual(defaultConfig().firstPartyHosts, [], 'each call returns a fresh copy');
});

test('a bad file names the file, every bad key and what was expected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-cfg-'));
  const f = join(dir, 'sst.yaml');
  writeFileSync(f, 'firstPartyHosts: one.example\ndefaultPhoneRegion: germany\nfieldRules:\n  - { category: Bad Name, names: [x] }\nunknownKey: 1\n');
  assert.throws(() => loadConfigFile(f), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const m = (e as Error).message;
    assert.ok(m.includes(f));
    for (const k of ['firstPartyHosts', 'defaultPhoneRegion', 'fieldRules.0.category']) assert.ok(m.includes(`"${k}"`), `${k} in ${m}`);
    assert.match(m, /unknownKey/);
    return true;
  });
});

test('YAML is data only: tags that would build objects are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sst-cfg-'));
  const f = join(dir, 'sst.yaml');
  writeFileSync(f, 'firstPartyHosts: !!js/function "function () { process.exit(9) }"\n');
  assert.throws(() => loadConfigFile(f), ConfigError);
});

test('regexes in rules are checked when the config loads', () => {
  assert.throws(() => parseConfig({ fieldRules: [{ category: 'x', pattern: '(' }] }, 'inline'), /fieldRules\.0\.pattern/);
  assert.throws(() => parseConfig({ destinations: [{ hosts: ['a.example'], path: '[', vendor: 'a', kind: 'crm' }] }, 'inline'), /destinations\.0\.path/);
});

test('SST_CAPTURE_LIMIT overrides, and a bad value is a clear error', () => {
  assert.equal(configFromEnv({ SST_CAPTURE_LIMIT: '4096' }).captureLimit, 4096);
  assert.throws(() => configFromEnv({ SST_CAPTURE_LIMIT: '-1' }), /SST_CAPTURE_LIMIT "-1"/);
});

test('db row capture: defaults, config keys and SST_DB_CAPTURE_ROWS', () => {
  assert.deepEqual(defaultConfig().db, { captureRows: true, maxRows: 1000, maxRowBytes: 262144 });
  assert.equal(parseConfig({ db: { maxRows: 10 } }, 'inline').db.maxRows, 10);
  assert.throws(() => parseConfig({ db: { maxRows: -1 } }, 'inline'), /db\.maxRows/);
  assert.equal(configFromEnv({ SST_DB_CAPTURE_ROWS: 'false' }).db.captureRows, false);
  assert.throws(() => configFromEnv({ SST_DB_CAPTURE_ROWS: 'sometimes' }), /SST_DB_CAPTURE_ROWS "sometimes"/);
});
