import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayLeaveIdle, parseNiceSetting } from './scheduling';

const status = (capEff: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapPrm:\t${capEff}\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;
const limits = (nice: string) =>
  'Limit                     Soft Limit           Hard Limit           Units     \n' +
  'Max open files            1048576              1048576              files     \n' +
  `Max nice priority         ${nice.padEnd(21)}${nice.padEnd(21)}\n` +
  'Max realtime priority     0                    0                    \n';

test('SST_ANALYSIS_NICE: auto by default, a number means nice steps only, idle forces the class', () => {
  assert.deepEqual(parseNiceSetting(undefined), { steps: 10, idle: 'auto' });
  assert.deepEqual(parseNiceSetting(' Auto '), { steps: 10, idle: 'auto' });
  assert.deepEqual(parseNiceSetting('idle'), { steps: 10, idle: 'on' });
  assert.deepEqual(parseNiceSetting('0'), { steps: 0, idle: 'off' });
  assert.deepEqual(parseNiceSetting('19'), { steps: 19, idle: 'off' });
  for (const bad of ['20', '-1', '2.5', 'low']) {
    const s = parseNiceSetting(bad);
    assert.equal(s.idle, 'auto');
    assert.equal(s.steps, 10);
    assert.match(s.warning ?? '', new RegExp(`SST_ANALYSIS_NICE="${bad.replace('.', '\\.')}" is neither`));
  }
});

test('a thread may leave SCHED_IDLE with CAP_SYS_NICE, or where RLIMIT_NICE allows its nice value', () => {
  // root in a VM: every capability
  assert.equal(mayLeaveIdle(status('000001ffffffffff'), limits('0'), 10), true);
  // Docker's default set (no CAP_SYS_NICE, bit 23) and the default limit 0
  assert.equal(mayLeaveIdle(status('00000000a80425fb'), limits('0'), 10), false);
  // only CAP_SYS_NICE
  assert.equal(mayLeaveIdle(status('0000000000800000'), limits('0'), 10), true);
  // RLIMIT_NICE 10 allows nice 10 and above (20 - 10), not nice 5
  assert.equal(mayLeaveIdle(status('0000000000000000'), limits('10'), 10), true);
  assert.equal(mayLeaveIdle(status('0000000000000000'), limits('10'), 5), false);
  assert.equal(mayLeaveIdle(status('0000000000000000'), limits('unlimited'), 0), true);
  // unreadable: no
  assert.equal(mayLeaveIdle('', '', 10), false);
});
