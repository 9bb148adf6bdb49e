// The analysis thread's place in the CPU queue (Linux). The app's requests come first: the thread
// runs SST_ANALYSIS_NICE nice steps below the app (default 10) and, where it can come back out,
// in Linux's SCHED_IDLE class, which it leaves again while it is falling behind.
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { diag, diagOnce, errorText } from '../../instrumentation/diag';
import { SLOT_CLASS, SLOT_TID } from './protocol';

const DEFAULT_NICE_STEPS = 10;
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

/** SLOT_CLASS. The analysis thread only asks to enter SCHED_IDLE; the app's thread makes every
 *  change. A thread in that class on a busy machine may not run again for a long time, not even
 *  to notice it is behind or to see its own `chrt` through, and the app's thread, which always
 *  runs, must be able to move it out; with one thread making every change, no two race. */
const UNMANAGED = 0;
/** Asked for by the analysis thread (`auto`, or back after it caught up): a refusal is quiet. */
const WANT_IDLE = 1;
/** Asked for with an explicit `idle`: a refusal is reported. */
const WANT_IDLE_EXPLICIT = 2;
const IDLE = 3;
/** It left SCHED_IDLE while behind, and may go back. */
const ORDINARY = 4;
/** A `chrt` of the app's thread has not answered yet. */
const SWITCHING = 5;

/**
 * Puts the calling (analysis) thread at its place: nice steps at once (they stay in force whatever
 * happens to the class), then asks for SCHED_IDLE where the setting wants it, at start and again
 * once it has been caught up for `escape.calmMs` after the app's thread moved it out (IdleWatch).
 * `backlog` is the work waiting for the thread; `ask` tells the app's thread that it asked.
 */
export function placeThread(raw: string | undefined, control: Int32Array, backlog: () => number, ask: () => void, escape: IdleEscape = DEFAULT_IDLE_ESCAPE): void {
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
  Atomics.store(control, SLOT_CLASS, setting.idle === 'on' ? WANT_IDLE_EXPLICIT : WANT_IDLE);
  // Now, not at the first spans: right after the app's start-up its process is small and the
  // fork of `chrt` cheap (it grows with the process: 3–6 ms at 260 MB, ~40 ms at 1 GB).
  ask();
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
      if (Atomics.compareExchange(control, SLOT_CLASS, ORDINARY, WANT_IDLE) === ORDINARY) ask();
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
 * Kept by the app's thread, which makes every change of the analysis thread's class.
 *
 * SCHED_IDLE: the thread runs only on a core nothing else wants, and any task that wakes up takes
 * the core at once. A nice value only shrinks the thread's share, so on a 2-core machine a
 * request's other steps (a sidecar, the database, a local service, the app's GC helpers) waited
 * behind its bursts. On a machine that is never idle the class gets the thread no CPU at all, so
 * while `escape.behindItems` wait for it, it runs as an ordinary thread (its nice steps kept).
 * Node has no call for the scheduling class: util-linux's `chrt` makes each change, one at a time,
 * never awaited (a fork of the process, which blocks this thread for longer the larger the process:
 * 3–6 ms at 260 MB, ~40 ms at 1 GB).
 */
export class IdleWatch {
  private child: ChildProcess | undefined;

  constructor(private readonly control: Int32Array, private readonly escape: IdleEscape = DEFAULT_IDLE_ESCAPE) {}

  /** Called whenever work is handed over or the thread reports. `backlog`: the work waiting for the
   *  thread (queued here, and posted but not taken off its port). */
  check(backlog: number): void {
    const state = Atomics.load(this.control, SLOT_CLASS);
    if (state === WANT_IDLE || state === WANT_IDLE_EXPLICIT) {
      this.chrt(state, IDLE, (why) => {
        if (state === WANT_IDLE_EXPLICIT) diag(`SST_ANALYSIS_NICE=idle: ${why}; the analysis thread runs ${DEFAULT_NICE_STEPS} nice steps below the app instead`);
      });
    } else if (state === IDLE && backlog >= this.escape.behindItems) {
      this.chrt(state, ORDINARY, (why) => diagOnce('idle-leave', `the analysis thread is ${backlog} items behind in SCHED_IDLE and could not leave it: ${why}`),
        () => diagOnce('idle-behind', `the analysis thread fell ${backlog} items behind in SCHED_IDLE (a busy machine): it runs as an ordinary thread, still below the app's priority, until it has caught up`));
    }
  }

  /**
   * The process is ending: out of SCHED_IDLE now, synchronously (an 'exit' handler cannot wait).
   * On a busy machine a thread in that class might not get a core again, neither to finish the
   * last flush nor to stop, and Node's exit waits for every thread to stop: measured with both
   * cores busy, an exit took 8.3 s instead of 2.4. A change still on its way is stopped first.
   */
  leaveNow(): void {
    const state = Atomics.load(this.control, SLOT_CLASS);
    if (state !== IDLE && state !== SWITCHING) return;
    try { this.child?.kill('SIGKILL'); } catch { /* already gone */ }
    this.child = undefined;
    Atomics.store(this.control, SLOT_CLASS, ORDINARY);
    try {
      execFileSync('chrt', this.chrtArgs(ORDINARY), { timeout: CHRT_TIMEOUT_MS, stdio: 'ignore' });
    } catch {
      // Refused or missing: the thread stays where it is; the exit is bounded as before.
      Atomics.store(this.control, SLOT_CLASS, UNMANAGED);
    }
  }

  /** `chrt --idle|--other --pid 0 <the analysis thread>` */
  private chrtArgs(to: typeof IDLE | typeof ORDINARY): string[] {
    return [to === IDLE ? '--idle' : '--other', '--pid', '0', String(Atomics.load(this.control, SLOT_TID))];
  }

  /** `chrt` from `from` to `to`; SWITCHING until it answers, UNMANAGED if it fails. */
  private chrt(from: number, to: typeof IDLE | typeof ORDINARY, failed: (why: string) => void, done?: () => void): void {
    if (this.child || Atomics.compareExchange(this.control, SLOT_CLASS, from, SWITCHING) !== from) return;
    const target = to === IDLE ? 'SCHED_IDLE' : 'SCHED_OTHER';
    const unmanaged = (why: string): void => { Atomics.store(this.control, SLOT_CLASS, UNMANAGED); failed(why); };
    try {
      const child = execFile('chrt', this.chrtArgs(to), { timeout: CHRT_TIMEOUT_MS }, (err) => {
        if (this.child !== child) return; // stopped by leaveNow(), which decided instead
        this.child = undefined;
        if (err) { unmanaged(`chrt could not move it to ${target} (${errorText(err)})`); return; }
        Atomics.store(this.control, SLOT_CLASS, to);
        done?.();
      });
      // Never what keeps the app's process alive.
      child.unref();
      this.child = child;
    } catch (e) {
      unmanaged(`chrt could not be started (${errorText(e)})`);
    }
  }
}
