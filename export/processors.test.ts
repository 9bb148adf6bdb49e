import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOptions, EXPORT_BATCH_SPANS } from '../export/processors';

test('OTLP batches are smaller than the SDK default unless the standard variable sets them', () => {
  // Annotated spans take ~4x a plain span to encode, synchronously: 128 keeps one export's pause short.
  assert.deepEqual(batchOptions({}), { maxExportBatchSize: EXPORT_BATCH_SPANS });
  assert.ok(EXPORT_BATCH_SPANS < 512);
  // The user's OTEL_BSP_MAX_EXPORT_BATCH_SIZE wins (the SDK reads it when no option is passed).
  assert.deepEqual(batchOptions({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1000' }), {});
});
