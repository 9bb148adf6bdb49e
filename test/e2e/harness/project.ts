// Where things are: the project root (the package @sst/otel-auto), the apps and the DNS preload,
// found from this file's location whether the harness runs from dist/ or from an area build.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const PACKAGE_NAME = '@sst/otel-auto';
const MAX_LEVELS = 12;

function isProjectRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The project root: SST_E2E_PROJECT_DIR if set; else the nearest ancestor that is the package;
 * else the package that owns the nearest node_modules (an area build in /tmp links it there).
 */
export function projectRoot(): string {
  const override = process.env.SST_E2E_PROJECT_DIR;
  if (override) return resolve(override);
  let dir = __dirname;
  for (let i = 0; i < MAX_LEVELS; i++) {
    if (isProjectRoot(dir)) return dir;
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      const owner = dirname(realpathSync(modules));
      if (isProjectRoot(owner)) return owner;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} project root above ${__dirname}; set SST_E2E_PROJECT_DIR`);
}

/** test/e2e/ in the build output that holds this file (apps/ and harness/ are beside each other). */
export const E2E_DIR = resolve(__dirname, '..');
export const APPS_DIR = join(E2E_DIR, 'apps');
export const DNS_PRELOAD = join(__dirname, 'dns-to-fakes.cjs');
