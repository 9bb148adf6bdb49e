// Programmatic API, free of side effects on import: `start(options)` and `shutdown()`.
// The zero-code entries (`--import` / `--require @sst/otel-auto`) call `autoStart()`.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ConfigError, configFromEnv, parseConfig, loadConfigFile, type SstConfig } from '../span-processor/config';
import type { Engine } from '../span-processor/engine';
import type { SstProcessor } from '../span-processor/processor';
import { installLifecycle, flushTimeoutMs } from './lifecycle';
import { diag, errorText } from './diag';

export interface StartOptions {
  /** Config object (same keys as the SST_CONFIG file) or a path to a YAML/JSON file. Default: SST_CONFIG. */
  config?: Record<string, unknown> | string;
  /** Environment to read (default process.env). */
  env?: NodeJS.ProcessEnv;
  serviceName?: string;
  /** Extra span processors after ours (e.g. an in-memory exporter in tests). */
  spanProcessors?: SpanProcessor[];
  /** Replace the export chosen from OTEL_* / SST_SPOOL_DIR. */
  exportProcessors?: SpanProcessor[];
  /** More instrumentations to run with http and undici. */
  instrumentations?: Instrumentation[];
  /** Flush on beforeExit/exit/SIGTERM/SIGINT (default true). */
  handleExit?: boolean;
  /** Register the ESM loader hooks for ESM apps (default true). */
  esmHooks?: boolean;
}

export interface SstHandle {
  readonly config: SstConfig;
  /** The app thread's engine. With the analysis thread (the default) the registry that matching
   *  uses is the thread's: read its size with `processor.stats()`. */
  readonly engine: Engine;
  readonly processor: SstProcessor;
  /** Where spans go, in words (for the startup line). */
  readonly exportDescription: string;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface GlobalState { handle?: SstHandle; starting?: boolean; version: string }
const STATE_KEY = Symbol.for('@sst/otel-auto');
const g = globalThis as unknown as Record<symbol, GlobalState | undefined>;
const VERSION: string = (() => { try { return require('../../package.json').version as string; } catch { return '0.0.0'; } })();

export function isDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const on = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());
  return on(env.SST_DISABLED) || on(env.OTEL_SDK_DISABLED);
}

function resolveConfig(o: StartOptions, env: NodeJS.ProcessEnv): SstConfig {
  if (typeof o.config === 'string') return loadConfigFile(o.config, env);
  if (o.config) return parseConfig(o.config, '(start options)');
  return configFromEnv(env);
}

/** Start the distribution. Returns the running handle, or undefined when disabled, not in the main
 *  thread, or when the config is invalid (unless SST_STRICT=true, which throws). Idempotent: a
 *  second call (or a second copy of the package) returns the first handle. */
export function start(o: StartOptions = {}): SstHandle | undefined {
  const env = o.env ?? process.env;
  if (isDisabled(env) || !isMainThread) return undefined;
  const state = (g[STATE_KEY] ??= { version: VERSION });
  if (state.handle || state.starting) return state.handle;
  state.starting = true;
  try {
    const cfg = resolveConfig(o, env);
    // Loaded here, not at import: a disabled or worker-thread start must not pay for the SDK.
    const { buildSdk, hookedModules } = require('./sdk') as typeof import('./sdk');
    const built = buildSdk({
      cfg, env, serviceName: o.serviceName, spanProcessors: o.spanProcessors,
      exportProcessors: o.exportProcessors, instrumentations: o.instrumentations,
    });
    if (o.esmHooks !== false) registerEsmHooks(hookedModules(built.instrumentations));
    built.sdk.start();
    let removeLifecycle: (() => void) | undefined;
    let down: Promise<void> | undefined;
    const handle: SstHandle = {
      config: cfg, engine: built.engine, processor: built.processor, exportDescription: built.exportDescription,
      forceFlush: () => built.processor.forceFlush(),
      shutdown: () => {
        down ??= (async () => {
          removeLifecycle?.();
          await built.sdk.shutdown();
          if (state.handle === handle) state.handle = undefined;
        })();
        return down;
      },
    };
    if (o.handleExit !== false) {
      removeLifecycle = installLifecycle({
        flush: () => built.processor.forceFlush(),
        flushSync: (waitMs) => built.flushSync(waitMs),
        pendingWork: () => built.processor.takeEndedSinceFlush() > 0,
        networkExport: built.networkExport,
        exiting: () => built.processor.exiting?.(),
      }, flushTimeoutMs(env));
    }
    state.handle = handle;
    return handle;
  } catch (e) {
    if (e instanceof ConfigError) {
      if (/^(true|1)$/i.test(env.SST_STRICT ?? '')) throw e;
      diag(`${e.message}; running uninstrumented (set SST_STRICT=true to fail instead)`);
      return undefined;
    }
    if (/^(true|1)$/i.test(env.SST_STRICT ?? '')) throw e;
    // One plain line: without the `Error:` of errorText and a message's own `sst:` prefix.
    diag(`could not start: ${errorText(e).replace(/^Error: (?:sst: )?/, '')}; running uninstrumented`);
    return undefined;
  } finally {
    state.starting = false;
  }
}

/** Flush and stop; the app keeps running uninstrumented. */
export async function shutdown(): Promise<void> {
  await g[STATE_KEY]?.handle?.shutdown();
}

export function current(): SstHandle | undefined {
  return g[STATE_KEY]?.handle;
}

let esmRegistered = false;
/** ESM apps: import-in-the-middle's loader, limited to the modules our instrumentations patch, so
 *  every other module loads untouched. */
function registerEsmHooks(modules: string[]): void {
  if (esmRegistered || typeof register !== 'function' || modules.length === 0) return;
  esmRegistered = true;
  try {
    register('import-in-the-middle/hook.mjs', pathToFileURL(__filename), { data: { include: modules } });
  } catch (e) {
    diag(`ESM loader hooks unavailable (${errorText(e)}); ESM imports of ${modules.join(', ')} are not instrumented`);
  }
}

/** The zero-code path: start from the environment and print one line saying where spans go. */
export function autoStart(): SstHandle | undefined {
  const h = start();
  if (h && process.env.SST_QUIET !== 'true') diag(`@sst/otel-auto ${VERSION} active; spans → ${h.exportDescription}`);
  return h;
}
