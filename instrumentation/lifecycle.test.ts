// The exit bound is one bound: after a flush that ran out of SST_FLUSH_TIMEOUT_MS (a collector that
// never answers), the synchronous drain must not wait another full bound for a starved analysis
// thread. A child process installs the lifecycle over a fake whose flush never settles and whose
// drain uses all the time it is given, as a thread starved of CPU would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DRAIN_GRACE_MS, drainWaitMs } from './lifecycle';

const BOUND_MS = 600;
/** Process start-up is not timed; this covers teardown on a loaded 2-core machine. */
const SLACK_MS = 1500;

function child(mode: 'signal' | 'beforeExit'): string {
  return `
const { writeSync } = require('node:fs');
const { installLifecycle } = require(${JSON.stringify(join(__dirname, 'lifecycle.js'))});
installLifecycle({
  // a collector that never answers; in beforeExit mode the export's socket keeps the loop alive
  flush: () => { ${mode === 'beforeExit' ? 'setTimeout(() => {}, 20000);' : ''} return new Promise(() => {}); },
  // a starved analysis thread: it takes all the time it is given (5 s when given no bound)
  flushSync: (waitMs) => {
    const w = waitMs === undefined ? 5000 : waitMs;
    writeSync(1, 'drain ' + w + '\\n');
    const end = Date.now() + w;
    while (Date.now() < end);
  },
  pendingWork: () => true,
  // an analysis thread is given a core before the flush (it may be in SCHED_IDLE)
  exiting: () => writeSync(1, 'exiting\\n'),
}, ${BOUND_MS});
${mode === 'signal' ? 'setTimeout(() => {}, 20000);' : ''}
writeSync(1, 'READY\\n');
`;
}

interface Exit { code: number | null; signal: NodeJS.Signals | null; ms: number; drains: number[]; exitingFirst: boolean }

function run(mode: 'signal' | 'beforeExit'): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', child(mode)], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    let from = 0;
    const killer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`${mode}: no exit within 30 s`)); }, 30_000);
    p.stdout.on('data', (d) => {
      const before = out;
      out += d;
      if (!before.includes('READY') && out.includes('READY')) {
        from = Date.now();
        if (mode === 'signal') p.kill('SIGTERM');
      }
    });
    p.on('exit', (code, signal) => {
      clearTimeout(killer);
      const drains = [...out.matchAll(/drain (\d+)/g)].map((m) => Number(m[1]));
      const exiting = out.indexOf('exiting');
      resolve({ code, signal, ms: Date.now() - from, drains, exitingFirst: exiting >= 0 && exiting < out.indexOf('drain') });
    });
  });
}

test('SIGTERM with a silent collector and a starved thread: exit within one flush bound plus the grace', async () => {
  const r = await run('signal');
  assert.equal(r.signal, 'SIGTERM');
  assert.deepEqual(r.drains, [DRAIN_GRACE_MS], 'the drain after the timed-out flush gets the grace, not another bound');
  assert.ok(r.exitingFirst, 'exiting() before the flush');
  assert.ok(r.ms < BOUND_MS + DRAIN_GRACE_MS + SLACK_MS, `exit took ${r.ms} ms`);
});

test('empty loop with a silent collector and a starved thread: exit within one flush bound plus the graces', async () => {
  const r = await run('beforeExit');
  assert.equal(r.code, 0);
  // beforeExit's drain, then the 'exit' handler's, which must not wait a full bound again
  assert.deepEqual(r.drains, [DRAIN_GRACE_MS, DRAIN_GRACE_MS]);
  assert.ok(r.exitingFirst, 'exiting() before the flush');
  assert.ok(r.ms < BOUND_MS + 2 * DRAIN_GRACE_MS + SLACK_MS, `exit took ${r.ms} ms`);
});

test('the drain gets what is left of the bound, at least the grace', () => {
  assert.equal(drainWaitMs(2000, 1000, 1300), 1700);
  assert.equal(drainWaitMs(2000, 1000, 3000), DRAIN_GRACE_MS);
  assert.equal(drainWaitMs(2000, 1000, 9000), DRAIN_GRACE_MS);
});
