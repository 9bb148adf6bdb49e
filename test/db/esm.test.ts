// An ESM app (`.mjs`, `import Database from 'better-sqlite3'`) started with `--import
// @sst/otel-auto`: the driver is instrumented through the ESM loader hooks and its INSERT is a
// store span in the spool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The compiled tree this test runs from (dist/ or an area build): it holds instrumentation/. */
const BUILD = resolve(__dirname, '..', '..');

/** A sandbox app dir whose node_modules has @sst/otel-auto (pointing at BUILD) and better-sqlite3. */
function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sst-db-esm-'));
  const pkg = join(dir, 'node_modules', '@sst', 'otel-auto');
  mkdirSync(pkg, { recursive: true });
  const manifest = [join(BUILD, 'package.json'), join(BUILD, '..', 'package.json')].find((p) => existsSync(p));
  assert.ok(manifest, 'package.json of the project');
  writeFileSync(join(pkg, 'package.json'), readFileSync(manifest));
  symlinkSync(BUILD, join(pkg, 'dist'), 'dir');
  symlinkSync(dirname(require.resolve('better-sqlite3/package.json')), join(dir, 'node_modules', 'better-sqlite3'), 'dir');
  return dir;
}

function run(dir: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, {
      cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: dir, SST_FINGERPRINT_KEY: 'db-esm-test-key-0123456789', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`timeout: ${stderr}`)); }, 30000);
    child.on('exit', (code) => { clearTimeout(timer); res({ code, stdout, stderr }); });
  });
}

interface OtlpSpan { name: string; kind: number; attributes: Array<{ key: string; value: { stringValue?: string; arrayValue?: { values: Array<{ stringValue?: string }> } } }> }

function spooled(dir: string): OtlpSpan[] {
  const spool = join(dir, 'spool');
  if (!existsSync(spool)) return [];
  const out: OtlpSpan[] = [];
  for (const f of readdirSync(spool)) {
    for (const line of readFileSync(join(spool, f), 'utf8').split('\n')) {
      if (!line) continue;
      const l = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      for (const rs of l.resourceSpans) for (const ss of rs.scopeSpans) out.push(...ss.spans);
    }
  }
  return out;
}
const attr = (s: OtlpSpan, k: string) => s.attributes.find((a) => a.key === k)?.value;

test('ESM app importing better-sqlite3 under --import gets store spans', async () => {
  const dir = sandbox();
  try {
    writeFileSync(join(dir, 'app.mjs'), `
      import Database from 'better-sqlite3';
      const db = new Database('app.db');
      db.exec('CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, phone TEXT)');
      db.prepare('INSERT INTO members (email, phone) VALUES (?, ?)').run('esm.member@example.com', '+1 617 555 0133');
      const rows = db.prepare('SELECT email FROM members').all();
      console.log('rows ' + rows.length);
      db.close();
    `);
    const r = await run(dir, ['--import', '@sst/otel-auto', 'app.mjs'], { SST_SPOOL_DIR: join(dir, 'spool') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rows 1/);
    const spans = spooled(dir);
    const store = spans.find((s) => attr(s, 'sst.flow')?.stringValue === 'store');
    assert.ok(store, `a store span among ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(store.name, 'INSERT members');
    assert.equal(attr(store, 'db.system.name')?.stringValue, 'sqlite');
    const fields = attr(store, 'sst.fields')?.arrayValue?.values.map((v) => v.stringValue);
    assert.deepEqual(fields, ['members.email', 'members.phone']);
    const load = spans.find((s) => attr(s, 'sst.flow')?.stringValue === 'load');
    assert.ok(load, 'and a load span');
    assert.equal(JSON.stringify(spans).includes('esm.member@example.com'), false, 'no raw value in the spool');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
