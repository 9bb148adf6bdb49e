// tsc copies no data files: the destination catalog and the field-name rules are YAML beside the code.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['instrumentation', 'span-processor', 'export', 'clickhouse', 'cli', 'collector-config', 'dashboards', 'test'];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules') walk(p); continue; }
    if (/\.(ya?ml|json|sql|cjs|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) {
      const out = join(root, 'dist', p.slice(root.length + 1));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
for (const d of dirs) { try { walk(join(root, d)); } catch (e) { if (e.code !== 'ENOENT') throw e; } }
