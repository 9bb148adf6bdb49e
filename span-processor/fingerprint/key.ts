// The HMAC key for fingerprint ids (semconv §3). Services that must correlate share one key through
// SST_FINGERPRINT_KEY; without it a random key is created once in `.sst/key`, so ids stay stable
// across restarts of this service. The key text itself is the key (file or env alike), so the file's
// content can be copied into SST_FINGERPRINT_KEY elsewhere to get the same ids.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_KEY_BYTES = 16;

export interface LoadedKey {
  key: Buffer;
  source: 'env' | 'file' | 'generated';
  warning?: string;
}

/** A concurrent process may have created the file (flag `wx`) but not written it yet. */
const EMPTY_FILE_RETRIES = 10;
const RETRY_WAIT_MS = 20;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function keyFromText(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'utf8');
  if (key.length < MIN_KEY_BYTES) {
    // The key is never echoed: only its length, which says enough to fix it.
    throw new Error(`sst: fingerprint key from ${where} is too short (${key.length} bytes); it must be at least ${MIN_KEY_BYTES} bytes`);
  }
  return key;
}

/** Undefined when the file does not exist; other read errors propagate. */
function readKeyFile(path: string): Buffer | undefined {
  for (let i = 0; ; i++) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const trimmed = text.trim();
    if (trimmed.length > 0 || i >= EMPTY_FILE_RETRIES) return keyFromText(trimmed, path);
    sleepSync(RETRY_WAIT_MS);
  }
}

function generatedWarning(path: string): string {
  return `sst: no SST_FINGERPRINT_KEY set; generated a random fingerprint key in ${path} (mode 0600). Services that must correlate need the same key.`;
}

function inMemoryKey(reason: string): LoadedKey {
  return {
    key: Buffer.from(randomBytes(32).toString('base64url'), 'utf8'),
    source: 'generated',
    warning: `sst: no SST_FINGERPRINT_KEY set and ${reason}; using an in-memory random fingerprint key, so fingerprints will not be stable across runs. Set SST_FINGERPRINT_KEY.`,
  };
}

/** Throws only for a key that is set but too short (env or file): that is a configuration error
 *  the operator must see, never silently replaced. */
export function loadKey(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LoadedKey {
  const fromEnv = env.SST_FINGERPRINT_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: keyFromText(fromEnv, 'SST_FINGERPRINT_KEY'), source: 'env' };

  const dir = join(cwd, '.sst');
  const path = join(dir, 'key');
  let existing: Buffer | undefined;
  try {
    existing = readKeyFile(path);
  } catch (e) {
    if (e instanceof Error && !(e as NodeJS.ErrnoException).code) throw e;
    return inMemoryKey(`the key file ${path} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  if (existing) return { key: existing, source: 'file' };

  const text = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, text + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // Another process won the race: use its key so both agree.
      try {
        const raced = readKeyFile(path);
        if (raced) return { key: raced, source: 'file' };
      } catch (e2) {
        if (e2 instanceof Error && !(e2 as NodeJS.ErrnoException).code) throw e2;
      }
    }
    return inMemoryKey(`${dir} is not writable (${code ?? 'error'})`);
  }
  return { key: Buffer.from(text, 'utf8'), source: 'generated', warning: generatedWarning(path) };
}
