// Flushing at the end of the process without changing how it ends. The app keeps its own signal
// handling and exit code: if it handles SIGTERM/SIGINT itself we only start a flush; if it does
// not, the default would be to die, so we flush (bounded) and re-raise the same signal.
import { diag, errorText } from './diag';
import { alreadyReported, exportFailing } from '../export/reported';

export interface Flushable {
  /** Asynchronous flush of everything pending (queue, exporters). */
  flush(): Promise<void>;
  /** Synchronous last resort at 'exit': drain the queue, write the spool, waiting at most `waitMs`
   *  for an analysis thread (default: the flush bound). False when the thread did not finish. */
  flushSync(waitMs?: number): boolean | void;
  /** Spans ended since the last flush began (beforeExit flushes only when there is something new). */
  pendingWork(): boolean;
  /** Whether an exporter sends over the network (default true). With the spool alone, flushSync()
   *  writes everything at exit and there is nothing to warn about. */
  networkExport?: boolean;
  /** Called synchronously when an exit begins (before its flush), once or more. */
  exiting?(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** What the synchronous drain after a timed-out flush may still wait for the analysis thread: enough
 *  for an idle thread to answer, not a second flush bound (the exit bound is one bound). */
export const DRAIN_GRACE_MS = 250;
/** Why an analysis thread can be behind at exit, and the settings that help. */
const THREAD_BEHIND = 'a CPU-starved machine; SST_ANALYSIS_NICE, SST_FLUSH_TIMEOUT_MS';

/** The drain's wait once the flush that began at `startedAt` has ended: what is left of the flush
 *  bound, at least the grace. */
export function drainWaitMs(timeoutMs: number, startedAt: number, now: number): number {
  return Math.max(DRAIN_GRACE_MS, timeoutMs - (now - startedAt));
}

export function flushTimeoutMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SST_FLUSH_TIMEOUT_MS ?? 2000);
  return Number.isFinite(n) && n >= 0 ? n : 2000;
}

/** Resolves true when `p` settled within `ms`, false when the bound ran out first. */
function bounded(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    t.unref();
    p.then(() => { clearTimeout(t); resolve(true); }, (e) => {
      clearTimeout(t);
      // An export failure was already reported by the exporter (one line per fault, not two).
      if (!alreadyReported(e)) diag(`flush failed: ${errorText(e)}`);
      resolve(true);
    });
  });
}

/** Install exit hooks; returns a function that removes them. */
export function installLifecycle(target: Flushable, timeoutMs: number): () => void {
  let flushing: Promise<boolean> | undefined;
  let flushStartedAt = 0;
  const flushOnce = (): Promise<boolean> => {
    if (!flushing) {
      flushStartedAt = Date.now();
      flushing = bounded(target.flush(), timeoutMs).finally(() => { flushing = undefined; });
    }
    return flushing;
  };
  // After the bounded flush: the drain gets what is left of the same bound, so the exit stays
  // within SST_FLUSH_TIMEOUT_MS (plus the grace) however starved the analysis thread is.
  let drained = false;
  const drainAfterFlush = (): boolean => {
    drained = true;
    return drain(drainWaitMs(timeoutMs, flushStartedAt, Date.now()));
  };
  const exiting = (): void => {
    try { target.exiting?.(); } catch { /* never into the app */ }
  };
  const drain = (waitMs: number | undefined): boolean => {
    try {
      return target.flushSync(waitMs) !== false;
    } catch {
      return true; // best effort: nothing more to say than the drain's own failure
    }
  };
  // One line per exit for the spans it loses, none when the exporter already reported its
  // collector failing (one line per fault).
  let reported = false;
  const reportLoss = (when: string, flushed: boolean, analysed: boolean): void => {
    if (reported || exportFailing() || (flushed && analysed)) return;
    reported = true;
    diag(analysed
      ? `spans not exported within ${timeoutMs} ms ${when} (collector slow or unreachable); exiting`
      : `spans not exported within ${timeoutMs} ms ${when}: the analysis thread was still behind (${THREAD_BEHIND}) or the collector slow; exiting`);
  };

  // The loop is empty: the app is done. If the export is still waiting on a slow or silent
  // collector when the bound runs out, only our socket keeps the process alive, so end it with
  // the exit code the app chose rather than hang until the exporter's own timeout.
  const onBeforeExit = () => {
    if (!target.pendingWork()) return;
    exiting();
    void flushOnce().then((done) => {
      if (done) return;
      reportLoss('at exit', false, drainAfterFlush());
      process.exit();
    });
  };
  const onExit = () => {
    exiting();
    // The app ended (process.exit, its own signal handler) while an export was still waiting on the
    // collector: say so once, since those spans are gone (there is no synchronous HTTP).
    if (flushing && target.networkExport !== false && !exportFailing() && !reported) {
      reported = true;
      // Not necessarily the collector's fault: an app whose SIGTERM handler exits at once ends the
      // export a few ms after it started, however fast the collector.
      diag('exiting before the pending spans were exported: the app ended the process while they were on their way to the collector (an exit handler cannot send them; SST_SPOOL=true also keeps every span on disk)');
    }
    // After the drain of beforeExit only what ended since (nothing, usually): no second full wait.
    let analysed = true;
    try { analysed = target.flushSync(drained ? DRAIN_GRACE_MS : undefined) !== false; } catch (e) { diag(`final flush failed: ${errorText(e)}`); }
    if (!analysed && !reported && !exportFailing()) {
      reported = true;
      diag(`the analysis thread did not finish at exit (${THREAD_BEHIND}); spans still queued there are lost`);
    }
  };
  const handlers = new Map<string, () => void>();
  for (const sig of SIGNALS) {
    let received = 0;
    const h = () => {
      exiting();
      if (process.listenerCount(sig) > 1) { void flushOnce(); return; }
      // Nobody else handles it: the default action was to terminate. Flush, then terminate the same way.
      // A second Ctrl-C during the flush means "now": terminate without waiting for the collector.
      if (++received > 1) {
        process.removeListener(sig, h);
        drain(DRAIN_GRACE_MS);
        process.kill(process.pid, sig);
        return;
      }
      void flushOnce().then((done) => {
        process.removeListener(sig, h);
        reportLoss(`of ${sig}`, done, drainAfterFlush());
        process.kill(process.pid, sig);
      });
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  return () => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  };
}
