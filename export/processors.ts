// The exporting processors chosen from the standard OTEL_* variables (OTLP/HTTP, console) and ours
// (the spool when no collector is configured). Used on whichever thread exports: the app's thread,
// or the analysis thread when analysis runs there (span-processor/thread/).
import { join } from 'node:path';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpoolSpanProcessor, spoolBase } from './spool';
import { ReportingExporter } from './otlp-report';
import { diag } from '../instrumentation/diag';

export interface ExportSetup {
  processors: SpanProcessor[];
  spool?: SpoolSpanProcessor;
  /** Spans leave over the network (nothing can finish that synchronously at exit). */
  network: boolean;
  description: string;
}

export function otlpConfigured(env: NodeJS.ProcessEnv): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (exporters.includes('otlp')) return true;
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The exporter for an OTLP protocol (only the two HTTP ones are bundled). */
function otlpExporter(protocol: string): SpanExporter {
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}

/** Spans per OTLP export unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE says otherwise. A batch is
 *  serialized in one synchronous call: 512 annotated spans (the SDK default) take ~10 ms to encode,
 *  4x a plain batch. On the app's thread (SST_ANALYSIS_THREAD=false) every request arriving
 *  meanwhile waits; on the analysis thread it delays the next analysis (bench/README.md). */
export const EXPORT_BATCH_SPANS = 128;

export function batchOptions(env: NodeJS.ProcessEnv): { maxExportBatchSize?: number } {
  return env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE ? {} : { maxExportBatchSize: EXPORT_BATCH_SPANS };
}

/** A batch processor whose flush also waits for the export its timer already started. The SDK's
 *  (2.x) flushes only the spans still buffered: a batch on its way to the collector when the app
 *  exits was dropped without a word. On the analysis thread nothing keeps the process alive for
 *  that request, so an app that exited while the thread exported lost the batch (seen in the
 *  conformance run: a scenario's whole trace). The specification asks a processor's ForceFlush to
 *  end with the exporter's ForceFlush; the OTLP exporter's waits for its requests in flight. */
export class FlushingBatchSpanProcessor extends BatchSpanProcessor {
  constructor(private readonly exporter: SpanExporter, config?: ConstructorParameters<typeof BatchSpanProcessor>[1]) {
    super(exporter, config);
  }

  override async forceFlush(): Promise<void> {
    await super.forceFlush();
    await this.exporter.forceFlush?.();
  }
}

/** What to export to, decided from the environment: plain data, so the app's thread can decide
 *  (and print it, and name the spool file) while another thread builds and runs the exporters. */
export interface ExportPlan {
  console: boolean;
  otlp?: { protocol: 'http/protobuf' | 'http/json'; endpoint: string };
  spool?: { dir: string; base: string };
  /** Spans leave over the network (nothing can finish that synchronously at exit). */
  network: boolean;
  description: string;
}

/** The standard variables' choice; the spool when no OTLP endpoint is set. */
export function planExport(env: NodeJS.ProcessEnv, serviceName: string): ExportPlan {
  const list = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const parts: string[] = [];
  const plan: ExportPlan = { console: list.includes('console'), network: otlpConfigured(env), description: '' };
  if (plan.console) parts.push('console');
  if (otlpConfigured(env)) {
    const asked = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
    if (asked !== 'http/protobuf' && asked !== 'http/json') diag(`OTLP protocol "${asked}" is not supported by this distribution; using http/protobuf`);
    const protocol = asked === 'http/json' ? 'http/json' : 'http/protobuf';
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
    plan.otlp = { protocol, endpoint };
    parts.push(`OTLP ${protocol} to ${endpoint}`);
  }
  const spoolWanted = env.SST_SPOOL === 'true' || (!otlpConfigured(env) && !list.includes('none') && !list.includes('console'));
  if (spoolWanted) {
    const dir = env.SST_SPOOL_DIR || join(process.cwd(), '.sst', 'spool');
    plan.spool = { dir, base: spoolBase(dir, serviceName) };
    parts.push(`spool ${plan.spool.base}.jsonl`);
  }
  plan.description = parts.join(' + ') || 'nothing (OTEL_TRACES_EXPORTER=none)';
  return plan;
}

/** The exporting processors of a plan. OTLP settings other than protocol and endpoint (headers,
 *  timeout, compression) are read from the environment by the exporter itself. */
export function buildExport(plan: ExportPlan, env: NodeJS.ProcessEnv, serviceName: string): ExportSetup {
  const processors: SpanProcessor[] = [];
  let spool: SpoolSpanProcessor | undefined;
  if (plan.console) processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  if (plan.otlp) {
    // Failures (collector down, 5xx, 429, timeouts) get one `sst:` line each; the stock exporter is silent.
    const exporter = new ReportingExporter(otlpExporter(plan.otlp.protocol), withoutUserinfo(plan.otlp.endpoint));
    processors.push(new FlushingBatchSpanProcessor(exporter, batchOptions(env)));
  }
  if (plan.spool) {
    spool = new SpoolSpanProcessor({ dir: plan.spool.dir, base: plan.spool.base, serviceName });
    processors.push(spool);
  }
  return { processors, spool, network: plan.network, description: plan.description };
}

function withoutUserinfo(url: string): string {
  try { const u = new URL(url); u.username = ''; u.password = ''; return u.toString().replace(/\/$/, ''); } catch { return '(invalid endpoint URL)'; }
}

