import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKey, MIN_KEY_BYTES } from './key';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sst-key-'));
}

test('SST_FINGERPRINT_KEY is used as the key bytes', () => {
  const dir = tempDir();
  try {
    const k = loadKey({ SST_FINGERPRINT_KEY: 'a-long-enough-secret-key' }, dir);
    assert.equal(k.source, 'env');
    assert.equal(k.key.toString('utf8'), 'a-long-enough-secret-key');
    assert.equal(k.warning, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short key is rejected without echoing it', () => {
  const secret = 'tooShort123';
  assert.throws(() => loadKey({ SST_FINGERPRINT_KEY: secret }, tempDir()), (e: Error) => {
    assert.match(e.message, /too short/);
    assert.match(e.message, new RegExp(`at least ${MIN_KEY_BYTES} bytes`));
    assert.ok(!e.message.includes(secret));
    return true;
  });
});

test('without a key, one is generated into .sst/key with mode 0600 and reused', () => {
  const dir = tempDir();
  try {
    const first = loadKey({}, dir);
    assert.equal(first.source, 'generated');
    assert.ok(first.key.length >= 32);
    const path = join(dir, '.sst', 'key');
    assert.equal(first.warning, `sst: no SST_FINGERPRINT_KEY set; generated a random fingerprint key in ${path} (mode 0600). Services that must correlate need the same key.`);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8').trim(), first.key.toString('utf8'));

    const second = loadKey({}, dir);
    assert.equal(second.source, 'file');
    assert.equal(second.warning, undefined);
    assert.deepEqual(second.key, first.key);
    // The file's text works as SST_FINGERPRINT_KEY elsewhere and gives the same key.
    const viaEnv = loadKey({ SST_FINGERPRINT_KEY: readFileSync(path, 'utf8').trim() }, dir);
    assert.deepEqual(viaEnv.key, first.key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short key file is an error', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, '.sst'));
    writeFileSync(join(dir, '.sst', 'key'), 'short\n');
    assert.throws(() => loadKey({}, dir), /too short/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable directory falls back to an in-memory key with a warning', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, () => {
  const dir = tempDir();
  try {
    chmodSync(dir, 0o500);
    const a = loadKey({}, dir);
    const b = loadKey({}, dir);
    assert.equal(a.source, 'generated');
    assert.match(a.warning ?? '', /not be stable across runs/);
    assert.notDeepEqual(a.key, b.key);
  } finally {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty SST_FINGERPRINT_KEY counts as unset', () => {
  const dir = tempDir();
  try {
    assert.equal(loadKey({ SST_FINGERPRINT_KEY: '' }, dir).source, 'generated');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .sst that is not a directory also falls back to an in-memory key', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, '.sst'), 'not a directory');
    const a = loadKey({}, dir);
    const b = loadKey({}, dir);
    assert.equal(a.source, 'generated');
    assert.match(a.warning ?? '', /will not be stable across runs/);
    assert.notDeepEqual(a.key, b.key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
