// Flushing at the end of the process without changing how it ends. The app keeps its own signal
// handling and exit code: if it handles SIGTERM/SIGINT itself we only start a flush; if it does
// not, the default would be to die, so we flush (bounded) and re-raise the same signal.
import { diag, errorText } from './diag';
import { alreadyReported, exportFailing } from '../export/reported';

export interface Flushable {
  /** Asynchronous flush of everything pending (queue, exporters). */
  flush(): Promise<void>;
  /** Synchronous last resort at 'exit': drain the queue, write the spool. */
  flushSync(): void;
  /** Spans ended since the last flush began (beforeExit flushes only when there is something new). */
  pendingWork(): boolean;
  /** Whether an exporter sends over the network (default true). With the spool alone, flushSync()
   *  writes everything at exit and there is nothing to warn about. */
  networkExport?: boolean;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

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
  const flushOnce = (): Promise<boolean> => {
    if (!flushing) flushing = bounded(target.flush(), timeoutMs).finally(() => { flushing = undefined; });
    return flushing;
  };

  // The loop is empty: the app is done. If the export is still waiting on a slow or silent
  // collector when the bound runs out, only our socket keeps the process alive, so end it with
  // the exit code the app chose rather than hang until the exporter's own timeout.
  const onBeforeExit = () => {
    if (!target.pendingWork()) return;
    void flushOnce().then((done) => {
      if (done) return;
      // Once per fault: when the exporter already reported the collector failing, only exit.
      if (!exportFailing()) diag(`spans not exported within ${timeoutMs} ms at exit (collector slow or unreachable); exiting`);
      try { target.flushSync(); } catch { /* best effort */ }
      process.exit();
    });
  };
  const onExit = () => {
    // The app ended (process.exit, its own signal handler) while an export was still waiting on the
    // collector: say so once, since those spans are gone (there is no synchronous HTTP).
    if (flushing && target.networkExport !== false && !exportFailing()) diag('exiting before the pending spans were exported (collector slow or unreachable)');
    try { target.flushSync(); } catch (e) { diag(`final flush failed: ${errorText(e)}`); }
  };
  const handlers = new Map<string, () => void>();
  for (const sig of SIGNALS) {
    let received = 0;
    const h = () => {
      if (process.listenerCount(sig) > 1) { void flushOnce(); return; }
      // Nobody else handles it: the default action was to terminate. Flush, then terminate the same way.
      const terminate = () => {
        process.removeListener(sig, h);
        try { target.flushSync(); } catch { /* best effort */ }
        process.kill(process.pid, sig);
      };
      // A second Ctrl-C during the flush means "now": terminate without waiting for the collector.
      if (++received > 1) { terminate(); return; }
      void flushOnce().then((done) => {
        if (!done && !exportFailing()) diag(`spans not exported within ${timeoutMs} ms of ${sig} (collector slow or unreachable); exiting`);
        terminate();
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
