// OTLP/HTTP receiver on 127.0.0.1:0. Keeps every payload as text (the leak checks search it) and
// flattens trace payloads (OTLP-JSON) into plain spans the tests can assert on.
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export interface FlatEvent {
  name: string;
  attributes: Record<string, AttrValue>;
}

export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, AttrValue>;
  events: FlatEvent[];
  resource: Record<string, AttrValue>;
  scope: { name: string; version?: string };
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export interface OtlpPayload {
  path: string;
  contentType: string;
  /** The body as text (after gzip was undone); protobuf payloads are kept as latin1 text. */
  text: string;
}

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue { key: string; value?: OtlpAnyValue }
interface OtlpSpan {
  traceId?: string; spanId?: string; parentSpanId?: string; name?: string; kind?: number | string;
  attributes?: OtlpKeyValue[]; events?: { name?: string; attributes?: OtlpKeyValue[] }[];
}
interface OtlpTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }[];
  }[];
}

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const MAX_NESTING = 16;

function plainValue(v: OtlpAnyValue | undefined, depth = 0): AttrValue {
  if (!v || depth > MAX_NESTING) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map((x) => plainValue(x, depth + 1));
  if (v.kvlistValue !== undefined) return attributesOf(v.kvlistValue.values, depth + 1);
  return null;
}

function attributesOf(list: OtlpKeyValue[] | undefined, depth = 0): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of list ?? []) out[kv.key] = plainValue(kv.value, depth);
  return out;
}

export function flattenTraces(request: unknown): FlatSpan[] {
  const spans: FlatSpan[] = [];
  const req = request as OtlpTraceRequest;
  for (const rs of req?.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      const scope = { name: ss.scope?.name ?? '', ...(ss.scope?.version ? { version: ss.scope.version } : {}) };
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: s.traceId ?? '',
          spanId: s.spanId ?? '',
          parentSpanId: s.parentSpanId ?? '',
          name: s.name ?? '',
          kind: typeof s.kind === 'string' ? (KIND_NAMES[s.kind] ?? 0) : (s.kind ?? 0),
          attributes: attributesOf(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name ?? '', attributes: attributesOf(e.attributes) })),
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

export class OtlpReceiver {
  readonly payloads: OtlpPayload[] = [];
  readonly errors: string[] = [];
  port = 0;
  private server: Server | undefined;
  private inFlight = 0;

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<number> {
    const server = createServer((req, res) => {
      this.inFlight++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        const contentType = String(req.headers['content-type'] ?? '');
        try {
          if (String(req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = gunzipSync(body);
        } catch (e) {
          this.errors.push(`${req.url}: gzip: ${(e as Error).message}`);
        }
        const isJson = contentType.includes('json');
        this.payloads.push({ path: req.url ?? '', contentType, text: body.toString(isJson ? 'utf8' : 'latin1') });
        if (isJson && /\/v1\/traces/.test(req.url ?? '')) {
          try {
            JSON.parse(body.toString('utf8'));
          } catch (e) {
            this.errors.push(`${req.url}: invalid JSON: ${(e as Error).message}`);
          }
        } else if (!isJson) {
          this.errors.push(`${req.url}: unexpected content-type ${contentType} (the harness asks for http/json)`);
        }
        res.writeHead(200, { 'content-type': isJson ? 'application/json' : 'application/x-protobuf' });
        res.end(isJson ? '{}' : undefined);
        this.inFlight--;
      });
      req.on('error', () => { this.inFlight--; });
    });
    this.server = server;
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : 0;
        resolve(this.port);
      });
    });
  }

  /** Waits (briefly) for requests still being read, e.g. the final flush of an app that just exited. */
  async settle(maxMs = 1000): Promise<void> {
    const until = Date.now() + maxMs;
    while (this.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }

  spans(): FlatSpan[] {
    const out: FlatSpan[] = [];
    for (const p of this.payloads) {
      if (!/\/v1\/traces/.test(p.path) || !p.contentType.includes('json')) continue;
      try {
        out.push(...flattenTraces(JSON.parse(p.text)));
      } catch {
        // recorded in errors when received
      }
    }
    return out;
  }

  texts(): string[] {
    return this.payloads.map((p) => p.text);
  }
}
