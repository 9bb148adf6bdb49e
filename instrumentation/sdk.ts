// Builds the OpenTelemetry NodeSDK the distribution runs: the upstream http and undici
// instrumentations with our capture hooks, the first-party-only propagator, the SST span processor
// in front of the exporting processor (OTLP/HTTP when an endpoint is configured, else the spool).
import { isIP } from 'node:net';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { envDetector, hostDetector, osDetector, processDetector, serviceInstanceIdDetector, type ResourceDetector } from '@opentelemetry/resources';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { SstConfig } from '../span-processor/config';
import type { Engine } from '../span-processor/engine';
import type { SstProcessor } from '../span-processor/processor';
import { carriedIds } from '../span-processor/carried-ids';
import { wantsResponse } from '../span-processor/catalog/response-policy';
import { buildCatalog, buildEngine } from '../span-processor/build';
import { ThreadedSpanProcessor } from '../span-processor/thread/host';
import { loadKey } from '../span-processor/fingerprint/key';
import { captureHttpResponse, captureIncoming, captureOutgoing, captureUndici, captureUndiciResponse, type ResponseCaptureOptions } from './capture';
import { FirstPartyPropagator } from './propagation';
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpoolSpanProcessor } from '../export/spool';
import { buildExport, planExport } from '../export/processors';
import { flushTimeoutMs } from './lifecycle';
import { diag, errorText } from './diag';
import { dbInstrumentations } from './db';

export interface BuildOptions {
  cfg: SstConfig;
  env: NodeJS.ProcessEnv;
  serviceName?: string;
  /** Extra processors (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** Replace the env-selected export (tests). */
  exportProcessors?: SpanProcessor[];
  /** Instrumentations added after http and undici (DB, LLM, … from later issues or the app). */
  instrumentations?: Instrumentation[];
}

export interface Built {
  sdk: NodeSDK;
  processor: SstProcessor;
  readonly engine: Engine;
  /** Last resort at exit: analyse what is queued and write the spool, synchronously, waiting at
   *  most `waitMs` for the analysis thread (default: the flush bound). False when the thread did
   *  not finish: what it still held is lost. */
  flushSync(waitMs?: number): boolean;
  /** Spans also leave over the network (OTLP or processors the caller passed), which nothing can
   *  finish synchronously at exit; false when the spool (written synchronously) is the only sink. */
  networkExport: boolean;
  exportDescription: string;
  instrumentations: Instrumentation[];
}

const DETECTORS: Record<string, ResourceDetector> = {
  env: envDetector, host: hostDetector, os: osDetector, process: processDetector, serviceinstance: serviceInstanceIdDetector,
};

/** Resource detectors from OTEL_NODE_RESOURCE_DETECTORS, restricted to local ones: cloud detectors
 *  probe metadata addresses, which a privacy tool must not do unasked (and they are not installed). */
function resourceDetectors(env: NodeJS.ProcessEnv): ResourceDetector[] {
  const list = (env.OTEL_NODE_RESOURCE_DETECTORS ?? 'env,host,os,process').split(',').map((s) => s.trim()).filter(Boolean);
  if (list.includes('none')) return [];
  const names = list.includes('all') ? Object.keys(DETECTORS) : list;
  const out: ResourceDetector[] = [];
  for (const n of names) {
    const d = DETECTORS[n];
    if (d) out.push(d);
    else diag(`resource detector "${n}" in OTEL_NODE_RESOURCE_DETECTORS is not available here (only ${Object.keys(DETECTORS).join(', ')}); ignored`);
  }
  return out;
}

function serviceNameFrom(env: NodeJS.ProcessEnv, fallback?: string): string {
  if (env.OTEL_SERVICE_NAME) return env.OTEL_SERVICE_NAME;
  const m = /(?:^|,)\s*service\.name=([^,]+)/.exec(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  if (m) return decodeURIComponent(m[1].trim());
  return fallback ?? (process.argv[1] ? process.argv[1].split(/[\\/]/).pop()!.replace(/\.[cm]?[jt]s$/, '') : 'unknown_service');
}

/** Is this outgoing request our own export traffic (an OTLP endpoint)? */
function exportTargets(env: NodeJS.ProcessEnv): Set<string> {
  const s = new Set<string>();
  for (const v of [env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT]) {
    if (!v) continue;
    try { const u = new URL(v); s.add(`${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`); } catch { /* ignore */ }
  }
  return s;
}

/** SST_ANALYSIS_THREAD (default on): run detection, matching and export on a worker thread. */
export function analysisThreadWanted(env: NodeJS.ProcessEnv): boolean {
  const v = (env.SST_ANALYSIS_THREAD ?? '').trim().toLowerCase();
  return !['false', '0', 'no', 'off'].includes(v);
}

export function buildSdk(o: BuildOptions): Built {
  const { cfg, env } = o;
  const serviceName = serviceNameFrom(env, o.serviceName);
  const key = loadKey(env);
  if (key.warning) diag(key.warning);
  // The capture hooks ask the catalog which responses to copy, the propagator which hosts are first
  // party. The rest of the engine serves first-party baggage ids (with the analysis thread) or all
  // analysis (without it). It is built now, at start: built on the first first-party call instead,
  // its loading (libphonenumber's metadata, the detector) stalled that request ~145 ms in the soak.
  const catalog = buildCatalog(cfg, diag);
  const engine = buildEngine(cfg, key.key, diag, catalog);
  const plan = o.exportProcessors ? undefined : planExport(env, serviceName);
  let spool: SpoolSpanProcessor | undefined;
  const inThread = (): SstProcessor => {
    const { SstSpanProcessor } = require('../span-processor/processor') as typeof import('../span-processor/processor');
    const exp = plan ? buildExport(plan, env, serviceName) : { processors: o.exportProcessors ?? [], spool: undefined };
    spool = exp.spool;
    return new SstSpanProcessor(engine, [...exp.processors, ...(o.spanProcessors ?? [])], { maxEventsPerSpan: cfg.maxEventsPerSpan });
  };
  // Processors passed in by the caller (tests, embedding apps) live on this thread, so analysis does too.
  let threaded = plan !== undefined && !(o.spanProcessors?.length) && analysisThreadWanted(env);
  let processor: SstProcessor | undefined;
  if (threaded) {
    try {
      processor = new ThreadedSpanProcessor({
        init: { cfg, key: key.key, plan, env: { ...env }, serviceName, maxEventsPerSpan: cfg.maxEventsPerSpan },
        fallback: inThread,
        identify: (capture) => carriedIds(engine.identify(capture)),
        exitWaitMs: flushTimeoutMs(env),
      });
    } catch (e) {
      // No worker threads here (Node's permission model without --allow-worker, a sandbox).
      diag(`analysis thread unavailable (${errorText(e)}); analysing on the app's thread`);
      threaded = false;
    }
  }
  processor ??= inThread();
  const networkExport = (plan ? plan.network : true) || (o.spanProcessors?.length ?? 0) > 0;
  const exportDescription = (plan ? plan.description : 'custom') + (threaded ? ' (analysis thread)' : '');
  const ownTargets = exportTargets(env);
  const limit = cfg.captureLimit;
  const onComplete = (owner: object, capture: import('../span-processor/types').Capture) => {
    if (capture.kind === 'ingress') processor.ingressComplete(owner, capture);
  };
  // Responses are copied only for LLM-looking calls (gen_ai usage, completion), decided per call.
  const responses: ResponseCaptureOptions = { limit, wants: (c) => wantsResponse(catalog, c) };

  const http = new HttpInstrumentation({
    requestHook: (span, request) => {
      if ((request as IncomingMessage).socket && !(request as ClientRequest).setHeader) {
        captureIncoming(span, request as IncomingMessage, { limit, onComplete });
      } else {
        captureOutgoing(span, request as ClientRequest, { limit });
      }
    },
    responseHook: (span, response) => {
      // Client side only: the IncomingMessage of an outgoing request (a ServerResponse has setHeader).
      if (!(response as { setHeader?: unknown }).setHeader) captureHttpResponse(span, response as IncomingMessage, responses);
    },
    ignoreOutgoingRequestHook: (opts) => {
      if (ownTargets.size === 0) return false;
      const host = (opts.hostname ?? opts.host ?? 'localhost').toString().replace(/^\[|\]$/g, '');
      const port = String(opts.port ?? (opts.protocol === 'https:' ? 443 : 80));
      return ownTargets.has(`${host}:${port}`);
    },
  });
  const undici = new UndiciInstrumentation({
    requestHook: (span, request) => { captureUndici(span, request as never, { limit }); },
    responseHook: (span, { request, response }) => { captureUndiciResponse(span, request as never, response as never, responses); },
    ignoreRequestHook: (request) => {
      if (ownTargets.size === 0) return false;
      try { const u = new URL(request.origin); return ownTargets.has(`${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`); } catch { return false; }
    },
  });
  // DB drivers: created only when the app can load the driver (and it is selected), see db/index.ts.
  const db = dbInstrumentations({ ...cfg.db, maxParamBytes: cfg.captureLimit });
  const instrumentations: Instrumentation[] = selectInstrumentations(env, { http, undici, ...db }, o.instrumentations ?? []);

  const sdk = new NodeSDK({
    serviceName,
    instrumentations,
    resourceDetectors: resourceDetectors(env),
    spanProcessors: [processor],
    textMapPropagator: propagatorFromEnv(env, {
      isFirstParty: (host) => catalog.isFirstParty(host) || (isIP(host) !== 0 && isLoopback(host)),
      fingerprintsFor: (traceId) => processor.fingerprintsFor(traceId),
    }),
  });
  return {
    sdk, processor, engine, networkExport, exportDescription, instrumentations,
    flushSync: (waitMs?: number) => {
      const analysed = processor.drain(waitMs) !== false;
      spool?.flushSync();
      return analysed;
    },
  };
}

/** OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS, with the short names of
 *  auto-instrumentations-node (`http`, `undici`). Without http there is no ingress capture. */
function selectInstrumentations(env: NodeJS.ProcessEnv, ours: Record<string, Instrumentation | (() => Instrumentation)>, extra: Instrumentation[]): Instrumentation[] {
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const enabled = list(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS);
  const disabled = new Set(list(env.OTEL_NODE_DISABLED_INSTRUMENTATIONS));
  const out: Instrumentation[] = [];
  for (const [name, inst] of Object.entries(ours)) {
    const on = (enabled.length === 0 || enabled.includes(name)) && !disabled.has(name);
    if (typeof inst === 'function') {
      // A lazy one (DB drivers) is only built when selected.
      if (!on) continue;
      try { out.push(inst()); } catch (e) { diag(`instrumentation ${name} unavailable: ${errorText(e)}`); }
    } else if (on) out.push(inst);
    else inst.disable();
  }
  return [...out, ...extra];
}

/** OTEL_PROPAGATORS: W3C trace context and baggage (the default), or none; always first-party only. */
function propagatorFromEnv(env: NodeJS.ProcessEnv, policy: ConstructorParameters<typeof FirstPartyPropagator>[0]): TextMapPropagator | null {
  const names = (env.OTEL_PROPAGATORS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return new FirstPartyPropagator(policy);
  if (names.includes('none')) return null;
  const propagators: TextMapPropagator[] = [];
  for (const n of names) {
    if (n === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (n === 'baggage') propagators.push(new W3CBaggagePropagator());
    else diag(`OTEL_PROPAGATORS "${n}" is not supported by this distribution (tracecontext, baggage, none); ignored`);
  }
  return new FirstPartyPropagator(policy, new CompositePropagator({ propagators }));
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}

/** Module names the instrumentations patch, for the ESM loader's include list. */
export function hookedModules(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const i of instrumentations) {
    const defs = (i as unknown as { getModuleDefinitions?: () => Array<{ name: string }> }).getModuleDefinitions?.() ?? [];
    for (const d of defs) names.add(d.name);
  }
  return [...names];
}
