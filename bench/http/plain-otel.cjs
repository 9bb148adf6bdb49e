'use strict';
// Configuration (b): plain OpenTelemetry auto-instrumentation for http + undici, exporting with the
// same OTLP/HTTP protobuf exporter and batch processor as @sst/otel-auto, to the same sink.
// Endpoint from OTEL_EXPORTER_OTLP_ENDPOINT.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const sdk = new NodeSDK({
  serviceName: 'bench-app',
  instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
sdk.start();
process.once('SIGTERM', () => { sdk.shutdown().finally(() => process.exit(0)); });
