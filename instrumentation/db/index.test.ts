// The DB instrumentations are created only for drivers the app can load, and only when selected:
// the upstream pg / mysql2 packages are not even loaded otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbInstrumentations, driverAvailable } from './index';

const loaded = (part: string) => Object.keys(require.cache).some((k) => k.includes(part));

test('no driver: no instrumentation and no upstream module loaded', () => {
  const made = dbInstrumentations({}, () => false);
  assert.deepEqual(Object.keys(made), []);
  assert.equal(loaded('instrumentation-pg'), false);
  assert.equal(loaded('instrumentation-mysql2'), false);
});

test('available drivers get a factory; the upstream module loads when the factory runs', () => {
  const made = dbInstrumentations({ maxRows: 5 }, (n) => n === 'pg' || n === 'better-sqlite3');
  assert.deepEqual(Object.keys(made).sort(), ['better-sqlite3', 'pg']);
  assert.equal(loaded('instrumentation-pg'), false, 'not loaded before it is selected');
  const pg = made.pg();
  assert.equal(pg.instrumentationName, '@opentelemetry/instrumentation-pg');
  assert.equal(loaded('instrumentation-pg'), true);
  const names = (pg as unknown as { getModuleDefinitions(): Array<{ name: string }> }).getModuleDefinitions().map((d) => d.name);
  assert.ok(names.includes('pg'));
  pg.disable();
  const sqlite = made['better-sqlite3']();
  assert.deepEqual((sqlite as unknown as { getModuleDefinitions(): Array<{ name: string }> }).getModuleDefinitions().map((d) => d.name), ['better-sqlite3']);
  sqlite.disable();
});

test('driverAvailable resolves from the working directory', () => {
  assert.equal(driverAvailable('better-sqlite3'), true, 'installed in this project');
  assert.equal(driverAvailable('surely-not-an-installed-driver-xyz'), false);
});
