// The stock OTLP exporter fails silently (its diagnostics go to the OpenTelemetry diag logger,
// which is off unless OTEL_LOG_LEVEL is set), so a collector that is down, slow or refusing spans
// would go unnoticed. This wrapper passes every export through unchanged and reports failures on
// the `sst:` line: once per kind of failure, with the endpoint and what was lost, never payloads.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { diag, diagOnce, errorText } from '../instrumentation/diag';
import { markReported, setExportFailing } from './reported';

/** A short, payload-free reason: HTTP status, socket error code, or the exporter's own words. */
export function failureReason(error: unknown): { kind: string; text: string } {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'number') return { kind: `http-${e.code}`, text: `HTTP ${e.code}` };
  if (typeof e?.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return { kind: e.code, text: e.code };
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (/timed out|timeout/i.test(msg)) return { kind: 'timeout', text: 'timed out' };
  if (/retryable status/i.test(msg)) return { kind: 'retryable', text: 'collector kept answering 429/502/503/504, retries exhausted' };
  if (/Concurrent export limit/i.test(msg)) return { kind: 'busy', text: 'too many exports in flight (collector slow)' };
  return { kind: 'other', text: errorText(error) };
}

export class ReportingExporter implements SpanExporter {
  failedSpans = 0;
  private failing = false;

  constructor(private readonly inner: SpanExporter, private readonly endpoint: string) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        if (result.code !== ExportResultCode.SUCCESS) this.failed(spans.length, result.error);
        else if (this.failing) {
          this.failing = false;
          setExportFailing(false);
          diag(`OTLP export to ${this.endpoint} works again (${this.failedSpans} spans lost while it failed)`);
        }
      } catch { /* reporting must not break the export */ }
      resultCallback(result);
    };
    try {
      this.inner.export(spans, done);
    } catch (e) {
      done({ code: ExportResultCode.FAILED, error: e as Error });
    }
  }

  private failed(n: number, error: unknown): void {
    this.failedSpans += n;
    const reason = failureReason(error);
    this.failing = true;
    setExportFailing(true);
    markReported(error);
    diagOnce(`otlp-${reason.kind}`, `OTLP export to ${this.endpoint} failed (${reason.text}); ${n} spans dropped, later failures of this kind are counted silently`);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
