// Runs every compiled `*.test.js` under dist/ (or the folders given) with node's test runner.
// Node 20's directory mode would also run every .js under a `test/` folder (fixtures, apps), so
// the files are listed explicitly.
import { readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const dirs = args.filter((a) => !a.startsWith('--'));
const roots = dirs.length ? dirs : [join(root, 'dist')];
const files = [];
function walk(d) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    const st = statSync(p);
    if (st.isDirectory()) { if (n !== 'node_modules' && n !== 'fixtures' && n !== 'apps') walk(p); }
    else if (n.endsWith('.test.js')) files.push(p);
  }
}
for (const r of roots) { if (statSync(r).isDirectory()) walk(r); else files.push(r); }
files.sort();
if (!files.length) { console.error('no test files found under', roots.join(', ')); process.exit(1); }
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...flags, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
