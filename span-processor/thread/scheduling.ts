// The analysis thread's place in the CPU queue (Linux). The app's requests come first: the thread
// runs SST_ANALYSIS_NICE nice steps below the app (default 10) and, where it can come back out,
// in Linux's SCHED_IDLE class, which it leaves again while it is falling behind.
import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { diag, diagOnce, errorText } from '../../instrumentation/diag';
import { SLOT_CLASS, SLOT_TID } from './protocol';

export const DEFAULT_NICE_STEPS = 10;
const CHRT_TIMEOUT_MS = 5000;
const TICK_MS = 250;

/** `auto` (default): SCHED_IDLE only where the thread may leave it again; `on`: SCHED_IDLE even
 *  where it may not (explicit `idle`); `off`: nice steps only (an explicit number). */
export type IdleMode = 'auto' | 'on' | 'off';

export interface NiceSetting { steps: number; idle: IdleMode; warning?: string }

/** SST_ANALYSIS_NICE: empty or `auto`, a whole number of steps 0–19 (nice only), or `idle`. */
export function parseNiceSetting(raw: string | undefined): NiceSetting {
  const text = raw?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'auto') return { steps: DEFAULT_NICE_STEPS, idle: 'auto' };
  if (text === 'idle') return { steps: DEFAULT_NICE_STEPS, idle: 'on' };
  const steps = Number(text);
  if (Number.isInteger(steps) && steps >= 0 && steps <= 19) return { steps, idle: 'off' };
  return {
    steps: DEFAULT_NICE_STEPS, idle: 'auto',
    warning: `SST_ANALYSIS_NICE="${raw}" is neither a whole number from 0 to 19 nor "idle" or "auto"; using "auto"`,
  };
}

const CAP_SYS_NICE = 23n;

/**
 * Whether a thread at `nice` may leave SCHED_IDLE for SCHED_OTHER, from the texts of
 * /proc/self/status and /proc/self/limits: the kernel lets a thread out only with CAP_SYS_NICE or
 * when RLIMIT_NICE allows its nice value (20 - limit ≤ nice). Anything unreadable counts as no:
 * a thread that cannot come back out must not go in by default.
 */
export function mayLeaveIdle(status: string, limits: string, nice: number): boolean {
  const cap = /^CapEff:\s*([0-9a-f]+)\s*$/m.exec(status);
  if (cap && ((BigInt('0x' + cap[1]) >> CAP_SYS_NICE) & 1n) === 1n) return true;
  const lim = /^Max nice priority\s+(\d+|unlimited)\s/m.exec(limits);
  if (!lim) return false;
  return lim[1] === 'unlimited' || 20 - Number(lim[1]) <= nice;
}

/** When a thread in SCHED_IDLE counts as behind, and when as caught up again. */
export interface IdleEscape {
  /** Work waiting (items) at which the thread leaves SCHED_IDLE (default 5000: a few seconds of a
   *  busy service's spans, a tenth of what the hand-off holds before it drops). */
  behindItems: number;
  /** Work waiting at or below which the thread counts as caught up (default 500). */
  caughtUpItems: number;
  /** How long it must stay caught up before it goes back into SCHED_IDLE (default 30 s). */
  calmMs: number;
}

export const DEFAULT_IDLE_ESCAPE: IdleEscape = { behindItems: 5000, caughtUpItems: 500, calmMs: 30_000 };

/** SLOT_CLASS, read and written by both threads. */
const UNMANAGED = 0;
const IDLE = 1;
/** It left SCHED_IDLE while behind, and may go back. */
const ORDINARY = 2;

/** While the thread is behind, the app's thread makes sure it is out of SCHED_IDLE this often. */
const REASSERT_MS = 10_000;

/**
 * Puts the calling (analysis) thread at its place: nice steps at once (they stay in force whatever
 * happens to the class), then SCHED_IDLE where the setting wants it, and back into it once it has
 * been caught up for `escape.calmMs` after the app's thread moved it out (`IdleWatch`).
 * `backlog` is the work waiting for the thread.
 */
export function placeThread(raw: string | undefined, control: Int32Array, backlog: () => number, escape: IdleEscape = DEFAULT_IDLE_ESCAPE): void {
  const setting = parseNiceSetting(raw);
  if (setting.warning) diag(setting.warning);
  let tid = 0;
  try {
    // setpriority() on a thread id changes that thread only; /proc/thread-self names ours.
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch { /* no /proc/thread-self: not Linux */ }
  if (!(tid > 0)) return;
  let nice = 0;
  try {
    nice = Math.min(19, getPriority(tid) + setting.steps);
    if (setting.steps > 0) setPriority(tid, nice);
  } catch { /* not permitted: the app's priority */ }
  if (setting.idle === 'off') return;
  const canLeave = mayLeave(nice);
  if (setting.idle === 'auto' && !canLeave) return;
  Atomics.store(control, SLOT_TID, tid);
  // Only an explicit `idle` reports that it could not be had; `auto` just keeps the nice steps.
  const explicit = setting.idle === 'on';
  enterIdle(control, tid, explicit);
  if (!canLeave) return;
  let calmSince = -1;
  setInterval(() => {
    if (Atomics.load(control, SLOT_CLASS) !== ORDINARY) { calmSince = -1; return; }
    let waiting: number;
    try { waiting = backlog(); } catch { return; }
    const now = performance.now();
    if (waiting > escape.caughtUpItems) calmSince = -1;
    else if (calmSince < 0) calmSince = now;
    else if (now - calmSince >= escape.calmMs) {
      calmSince = -1;
      enterIdle(control, tid, explicit);
    }
  }, TICK_MS).unref();
}

function mayLeave(nice: number): boolean {
  try {
    return mayLeaveIdle(readFileSync('/proc/self/status', 'utf8'), readFileSync('/proc/self/limits', 'utf8'), nice);
  } catch {
    return false;
  }
}

/**
 * SCHED_IDLE: the thread runs only on a core nothing else wants, and any task that wakes up takes
 * the core at once. A nice value only shrinks the thread's share, so on a 2-core machine a
 * request's other steps (a sidecar, the database, a local service, the app's GC helpers) waited
 * behind its bursts. Node has no call for the scheduling class, so util-linux's `chrt` makes it.
 * The class is marked before `chrt` answers: a thread in SCHED_IDLE on a busy machine may not run
 * again for a long time, and the app's thread must be able to move it out meanwhile.
 */
function enterIdle(control: Int32Array, tid: number, explicit: boolean): void {
  Atomics.store(control, SLOT_CLASS, IDLE);
  chrt('--idle', tid, (why) => {
    // Unless the app's thread has moved it out meanwhile: then that is what holds.
    if (Atomics.compareExchange(control, SLOT_CLASS, IDLE, UNMANAGED) !== IDLE) return;
    if (explicit) diag(`SST_ANALYSIS_NICE=idle: ${why}; the analysis thread runs ${DEFAULT_NICE_STEPS} nice steps below the app instead`);
  });
}

/**
 * Kept by the app's thread. A thread in SCHED_IDLE on a machine that is never idle gets no CPU at
 * all, not even enough to notice that it is behind; the app's thread always runs, so it moves the
 * thread out (`chrt --other`, which keeps the nice steps). While the thread stays behind this is
 * repeated every 10 s: should the thread's own `chrt --idle` have landed after ours, the next one
 * undoes it. Nothing is awaited.
 */
export class IdleWatch {
  private lastLeave = -Infinity;

  constructor(private readonly control: Int32Array, private readonly escape: IdleEscape = DEFAULT_IDLE_ESCAPE) {}

  /** `backlog`: the work waiting for the thread (queued here, and posted but not taken off its port). */
  check(backlog: number): void {
    if (backlog < this.escape.behindItems) return;
    const state = Atomics.load(this.control, SLOT_CLASS);
    const now = performance.now();
    if (state === UNMANAGED || (state === ORDINARY && now - this.lastLeave < REASSERT_MS)) return;
    if (Atomics.compareExchange(this.control, SLOT_CLASS, state, ORDINARY) !== state) return;
    this.lastLeave = now;
    chrt('--other', Atomics.load(this.control, SLOT_TID), (why) => {
      Atomics.store(this.control, SLOT_CLASS, UNMANAGED);
      diagOnce('idle-leave', `the analysis thread is ${backlog} items behind in SCHED_IDLE and could not leave it: ${why}`);
    }, () => diagOnce('idle-behind', `the analysis thread fell ${backlog} items behind in SCHED_IDLE (a busy machine): it runs as an ordinary thread, still below the app's priority, until it has caught up`));
  }
}

/** `chrt <flag> --pid 0 <tid>`, not awaited and never what keeps the process alive. */
function chrt(flag: '--idle' | '--other', tid: number, failed: (why: string) => void, done?: () => void): void {
  const target = flag === '--idle' ? 'SCHED_IDLE' : 'SCHED_OTHER';
  try {
    const child = execFile('chrt', [flag, '--pid', '0', String(tid)], { timeout: CHRT_TIMEOUT_MS }, (err) => {
      if (err) failed(`chrt could not move it to ${target} (${errorText(err)})`);
      else done?.();
    });
    child.unref();
  } catch (e) {
    failed(`chrt could not be started (${errorText(e)})`);
  }
}
