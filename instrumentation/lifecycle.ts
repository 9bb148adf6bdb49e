// Flushing at the end of the process without changing how it ends. The app keeps its own signal
// handling and exit code: if it handles SIGTERM/SIGINT itself we only start a flush; if it does
// not, the default would be to die, so we flush (bounded) and re-raise the same signal.
import { diag, errorText } from './diag';

export interface Flushable {
  /** Asynchronous flush of everything pending (queue, exporters). */
  flush(): Promise<void>;
  /** Synchronous last resort at 'exit': drain the queue, write the spool. */
  flushSync(): void;
  /** Spans ended since the last flush began (beforeExit flushes only when there is something new). */
  pendingWork(): boolean;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function flushTimeoutMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SST_FLUSH_TIMEOUT_MS ?? 2000);
  return Number.isFinite(n) && n >= 0 ? n : 2000;
}

function bounded(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    p.then(() => { clearTimeout(t); resolve(); }, (e) => { clearTimeout(t); diag(`flush failed: ${errorText(e)}`); resolve(); });
  });
}

/** Install exit hooks; returns a function that removes them. */
export function installLifecycle(target: Flushable, timeoutMs: number): () => void {
  let flushing: Promise<void> | undefined;
  const flushOnce = (): Promise<void> => {
    if (!flushing) flushing = bounded(target.flush(), timeoutMs).finally(() => { flushing = undefined; });
    return flushing;
  };

  const onBeforeExit = () => { if (target.pendingWork()) void flushOnce(); };
  const onExit = () => { try { target.flushSync(); } catch (e) { diag(`final flush failed: ${errorText(e)}`); } };
  const handlers = new Map<string, () => void>();
  for (const sig of SIGNALS) {
    const h = () => {
      if (process.listenerCount(sig) > 1) { void flushOnce(); return; }
      // Nobody else handles it: the default action was to terminate. Flush, then terminate the same way.
      void flushOnce().then(() => {
        process.removeListener(sig, h);
        try { target.flushSync(); } catch { /* best effort */ }
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
