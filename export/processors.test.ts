import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { batchOptions, EXPORT_BATCH_SPANS, FlushingBatchSpanProcessor } from '../export/processors';

test('OTLP batches are smaller than the SDK default unless the standard variable sets them', () => {
  // Annotated spans take ~4x a plain span to encode, synchronously: 128 keeps one export's pause short.
  assert.deepEqual(batchOptions({}), { maxExportBatchSize: EXPORT_BATCH_SPANS });
  assert.ok(EXPORT_BATCH_SPANS < 512);
  // The user's OTEL_BSP_MAX_EXPORT_BATCH_SIZE wins (the SDK reads it when no option is passed).
  assert.deepEqual(batchOptions({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1000' }), {});
});

/** An exporter whose exports finish when the test says so; its forceFlush waits for them, as the
 *  OTLP exporter's does. */
class HeldExporter implements SpanExporter {
  readonly started: ReadableSpan[][] = [];
  private readonly inFlight: Array<{ done: () => void; finished: Promise<void> }> = [];
  export(spans: ReadableSpan[], cb: (r: ExportResult) => void): void {
    this.started.push(spans);
    let done!: () => void;
    const finished = new Promise<void>((resolve) => { done = () => { cb({ code: ExportResultCode.SUCCESS }); resolve(); }; });
    this.inFlight.push({ done, finished });
  }
  release(): void { for (const f of this.inFlight.splice(0)) f.done(); }
  async forceFlush(): Promise<void> { await Promise.all(this.inFlight.map((f) => f.finished)); }
  async shutdown(): Promise<void> { this.release(); }
}

test('a flush waits for the batch its timer already handed to the exporter (spans on their way are not dropped at exit)', async () => {
  const exporter = new HeldExporter();
  const bsp = new FlushingBatchSpanProcessor(exporter, { scheduledDelayMillis: 5 });
  const tracer = new BasicTracerProvider({ spanProcessors: [bsp] }).getTracer('flush-test');
  tracer.startSpan('in flight').end();
  // The timer starts the export; the exporter holds it like a collector that has not answered yet.
  while (exporter.started.length === 0) await new Promise((r) => setTimeout(r, 5));
  let flushed = false;
  const flush = bsp.forceFlush().then(() => { flushed = true; });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(flushed, false, 'the flush ended while its batch was still on its way');
  exporter.release();
  await flush;
  assert.equal(flushed, true);
  assert.deepEqual(exporter.started.map((b) => b.map((s) => s.name)), [['in flight']]);
  await bsp.shutdown();
});
