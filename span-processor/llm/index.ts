// One LLM call (request capture + optional response capture) → the leaves to match under `llm.*`
// paths and the gen_ai.* attributes. Runs in the span processor at span end, off the app's path.
import type { Attributes } from '@opentelemetry/api';
import type { LlmShape } from '../catalog/llm-shape';
import { bodyBytes } from '../../instrumentation/capture/body-copy';
import { decompress, hasGzipMagic, parseCoding } from '../decode/decompress';
import { walkJson } from '../decode/json-walk';
import { newContext } from '../decode/nested';
import type { DecodeContext, DecodeOptions } from '../decode/options';
import type { BodyCapture, EgressCapture, HeaderMap, Leaf } from '../types';
import { genAiAttributes, type LlmDialect } from './genai';
import { requestDialect, requestInfo, requestLeaves, type LlmRequestInfo } from './request';
import { parseLlmResponse, type LlmResponseInfo } from './response';

export { looksLikeSse, parseSse } from './sse';
export { parseLlmResponse, type LlmResponseInfo } from './response';
export { genAiAttributes, providerOf, operationName } from './genai';

export interface LlmAnalysis {
  /** Leaves replacing the generic `body.*` ones; undefined when the request body is not a readable
   *  JSON object (then the generic decoder's `body.*` paths stay). */
  leaves?: Leaf[];
  attributes: Attributes;
  truncated: boolean;
  errors: string[];
}

const COMPLETION = 'llm.completion';

function header(headers: HeaderMap | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const v = headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : undefined;
}

/** Captured bytes with their Content-Encoding undone (budget from the decode options). */
function plainBytes(body: BodyCapture, encoding: string | undefined, opts: DecodeOptions, errors: string[]): Buffer | undefined {
  let buf = bodyBytes(body);
  if (buf.length === 0) return undefined;
  const ctx = newContext(opts);
  const codings = (encoding ?? '').split(',').map((s) => s.trim()).filter(Boolean).reverse();
  if (codings.length === 0 && hasGzipMagic(buf)) codings.push('gzip');
  for (const c of codings.slice(0, 4)) {
    const coding = parseCoding(c);
    if (coding === 'identity') continue;
    if (coding === null) { errors.push('unsupported content-encoding'); return undefined; }
    // A declared gzip without the magic bytes was already decoded by the client library.
    if (coding === 'gzip' && !hasGzipMagic(buf)) continue;
    const out = decompress(ctx, buf, coding);
    if (out === null) { errors.push(...ctx.errors); return undefined; }
    buf = out;
  }
  return buf;
}

function parseObject(buf: Buffer | undefined): Record<string, unknown> | undefined {
  if (!buf) return undefined;
  try {
    const v = JSON.parse(buf.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The response's completion as leaves (`llm.completion`, `llm.completion.tool_calls[j].arguments`). */
function completionLeaves(ctx: DecodeContext, res: LlmResponseInfo): void {
  const text = res.text.join('');
  if (text) walkJson(ctx, text, COMPLETION, 'completion', [], 0);
  res.toolArgs.forEach((a, j) => {
    const path = `${COMPLETION}.tool_calls[${j}].arguments`;
    let v: unknown = a;
    if (typeof a === 'string') {
      const t = a.trim();
      if (!t) return;
      try { v = JSON.parse(t); } catch { v = a; }
    }
    walkJson(ctx, v, path, 'arguments', [], 0);
  });
}

export function analyzeLlm(capture: EgressCapture, vendor: string, shape: LlmShape, path: string, opts: DecodeOptions | undefined): LlmAnalysis {
  const errors: string[] = [];
  const decodeOpts: DecodeOptions = { ...opts, nested: true };
  let truncated = false;
  let doc: Record<string, unknown> | undefined;
  let req: LlmRequestInfo | undefined;
  let dialect: LlmDialect = shape.operation === 'generate' ? 'gemini' : shape.operation === 'messages' ? 'anthropic' : 'openai';
  try {
    doc = parseObject(plainBytes(capture.body, header(capture.headers, 'content-encoding'), decodeOpts, errors));
    if (doc) {
      req = requestInfo(doc, path);
      dialect = requestDialect(doc, path, capture.headers ?? {});
    }
  } catch {
    errors.push('llm request parsing failed');
  }
  let res: LlmResponseInfo | undefined;
  const response = capture.response;
  if (response && response.body.bytes > 0) {
    try {
      const buf = plainBytes(response.body, header(response.headers, 'content-encoding'), decodeOpts, errors);
      if (buf) res = parseLlmResponse(buf.toString('utf8'), header(response.headers, 'content-type'), response.body.complete && !response.body.truncated);
    } catch {
      errors.push('llm response parsing failed');
    }
  }
  const attributes = genAiAttributes(vendor, shape.operation, dialect, req, res);
  if (!doc) return { attributes, truncated, errors };
  const ctx = newContext(decodeOpts);
  try {
    requestLeaves(ctx, doc);
    if (res) completionLeaves(ctx, res);
  } catch {
    errors.push('llm decoding failed');
  }
  truncated ||= ctx.truncated || (response?.body.truncated === true);
  return { leaves: ctx.leaves, attributes, truncated, errors: [...errors, ...ctx.errors] };
}
