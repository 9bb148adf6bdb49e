// LLM response body (JSON or a server-sent event stream) → usage, models, finish reasons and the
// completion text. Streams are folded event by event into the same accumulator a whole JSON
// response fills, so the result does not depend on whether the app asked for `stream: true`:
//   OpenAI chat chunks: `choices[].delta.content`, `delta.tool_calls[].function.arguments`, and the
//     final chunk's `usage` (sent with `stream_options.include_usage`);
//   OpenAI Responses events: `response.output_text.delta`, `response.completed` (the whole response);
//   Anthropic: `message_start` (model, id, input usage), `content_block_*` (text, tool input JSON),
//     `message_delta` (stop reason, cumulative output usage);
//   Gemini `alt=sse`: each event is a GenerateContentResponse chunk.
// Completion paths: text → `llm.completion`, tool call arguments → `llm.completion.tool_calls[j].arguments`.
import { parseSse, looksLikeSse } from './sse';

export interface LlmResponseInfo {
  model?: string;
  id?: string;
  finishReasons: string[];
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
  /** Completion text parts, in order. */
  text: string[];
  /** Tool call arguments by index: a JSON string (streamed fragments joined) or an object. */
  toolArgs: Array<string | object>;
  /** The body could not be read whole (capture cut, stream aborted, unparseable JSON). */
  partial: boolean;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 200) : undefined;
}

export function emptyResponseInfo(): LlmResponseInfo {
  return { finishReasons: [], text: [], toolArgs: [], partial: false };
}

function addFinish(r: LlmResponseInfo, v: unknown): void {
  const s = str(v);
  if (s && !r.finishReasons.includes(s) && r.finishReasons.length < 16) r.finishReasons.push(s);
}

function appendTool(r: LlmResponseInfo, index: number, fragment: unknown): void {
  if (!Number.isInteger(index) || index < 0 || index > 255) return;
  while (r.toolArgs.length <= index) r.toolArgs.push('');
  const prev = r.toolArgs[index];
  if (typeof fragment === 'string') r.toolArgs[index] = (typeof prev === 'string' ? prev : '') + fragment;
  else if (fragment !== null && typeof fragment === 'object') r.toolArgs[index] = fragment;
}

/** Usage blocks of every dialect. Anthropic reports cache tokens apart from `input_tokens`; the
 *  semconv's input count includes them. OpenAI's prompt count already includes cached tokens. */
function usage(r: LlmResponseInfo, u: Obj | undefined): void {
  if (!u) return;
  const cacheRead = int(u.cache_read_input_tokens);
  const cacheCreate = int(u.cache_creation_input_tokens);
  const anthropicIn = int(u.input_tokens);
  if (u.prompt_tokens !== undefined || u.completion_tokens !== undefined) {
    r.inputTokens = int(u.prompt_tokens) ?? r.inputTokens;
    r.outputTokens = int(u.completion_tokens) ?? r.outputTokens;
    const details = obj(u.prompt_tokens_details);
    if (details) r.cacheReadTokens = int(details.cached_tokens) ?? r.cacheReadTokens;
    return;
  }
  if (u.promptTokenCount !== undefined || u.candidatesTokenCount !== undefined) {
    r.inputTokens = int(u.promptTokenCount) ?? r.inputTokens;
    r.outputTokens = int(u.candidatesTokenCount) ?? r.outputTokens;
    r.cacheReadTokens = int(u.cachedContentTokenCount) ?? r.cacheReadTokens;
    return;
  }
  if (anthropicIn !== undefined) r.inputTokens = anthropicIn + (cacheRead ?? 0) + (cacheCreate ?? 0);
  if (cacheRead !== undefined) r.cacheReadTokens = cacheRead;
  if (cacheCreate !== undefined) r.cacheCreationTokens = cacheCreate;
  // Responses API: input_tokens_details.cached_tokens
  const inDetails = obj(u.input_tokens_details);
  if (inDetails && int(inDetails.cached_tokens) !== undefined) r.cacheReadTokens = int(inDetails.cached_tokens);
  r.outputTokens = int(u.output_tokens) ?? r.outputTokens;
}

function contentText(r: LlmResponseInfo, content: unknown): void {
  if (typeof content === 'string') { r.text.push(content); return; }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    const p = obj(part);
    if (!p) continue;
    if (typeof p.text === 'string') r.text.push(p.text);
    else if (typeof p.refusal === 'string') r.text.push(p.refusal);
    else if (p.type === 'tool_use') appendTool(r, r.toolArgs.length, p.input);
  }
}

/** A whole (non-streamed) response object, or one Gemini/OpenAI stream chunk. */
function feedObject(r: LlmResponseInfo, o: Obj): void {
  r.model = str(o.model) ?? str(o.modelVersion) ?? r.model;
  r.id = str(o.id) ?? str(o.responseId) ?? r.id;
  usage(r, obj(o.usage) ?? obj(o.usageMetadata));
  if (Array.isArray(o.choices)) {
    for (const c of o.choices) {
      const choice = obj(c);
      if (!choice) continue;
      if (choice.finish_reason != null) addFinish(r, choice.finish_reason);
      const msg = obj(choice.message) ?? obj(choice.delta);
      if (typeof choice.text === 'string') r.text.push(choice.text);
      if (!msg) continue;
      contentText(r, msg.content);
      if (typeof msg.refusal === 'string') r.text.push(msg.refusal);
      if (Array.isArray(msg.tool_calls)) {
        msg.tool_calls.forEach((t, j) => {
          const tc = obj(t);
          const fn = tc ? obj(tc.function) : undefined;
          if (fn && fn.arguments !== undefined) appendTool(r, int(tc!.index) ?? j, fn.arguments);
        });
      }
    }
  }
  if (Array.isArray(o.output)) { // Responses API
    for (const it of o.output) {
      const item = obj(it);
      if (!item) continue;
      if (item.type === 'message') contentText(r, item.content);
      else if (item.type === 'function_call') appendTool(r, r.toolArgs.length, item.arguments);
    }
    if (o.object === 'response') addFinish(r, (obj(o.incomplete_details)?.reason) ?? o.status);
  }
  if (o.type === 'message' && Array.isArray(o.content)) { // Anthropic
    contentText(r, o.content);
    addFinish(r, o.stop_reason);
  }
  if (Array.isArray(o.candidates)) { // Gemini
    for (const c of o.candidates) {
      const cand = obj(c);
      if (!cand) continue;
      const parts = obj(cand.content)?.parts;
      if (Array.isArray(parts)) {
        for (const p of parts) {
          const part = obj(p);
          if (!part) continue;
          if (typeof part.text === 'string') r.text.push(part.text);
          const fc = obj(part.functionCall);
          if (fc) appendTool(r, r.toolArgs.length, fc.args);
        }
      }
      if (cand.finishReason != null) addFinish(r, cand.finishReason);
    }
  }
}

/** Stream state a dialect needs between events (Anthropic block index → tool slot). */
interface StreamState {
  anthropicTools: Map<number, number>;
  /** Responses API: deltas are dropped when `response.completed` delivers the whole response. */
  responseDeltas: { text: number; tools: number } | null;
}

function feedEvent(r: LlmResponseInfo, st: StreamState, name: string, o: Obj): void {
  const type = typeof o.type === 'string' ? o.type : name;
  switch (type) {
    case 'message_start': {
      const m = obj(o.message);
      if (m) { r.model = str(m.model) ?? r.model; r.id = str(m.id) ?? r.id; usage(r, obj(m.usage)); }
      return;
    }
    case 'content_block_start': {
      const b = obj(o.content_block);
      if (!b) return;
      if (b.type === 'text' && typeof b.text === 'string' && b.text) r.text.push(b.text);
      else if (b.type === 'tool_use') {
        const slot = r.toolArgs.length;
        st.anthropicTools.set(int(o.index) ?? -1, slot);
        appendTool(r, slot, '');
      }
      return;
    }
    case 'content_block_delta': {
      const d = obj(o.delta);
      if (!d) return;
      if (d.type === 'text_delta' && typeof d.text === 'string') r.text.push(d.text);
      else if (d.type === 'input_json_delta') {
        const slot = st.anthropicTools.get(int(o.index) ?? -1);
        if (slot !== undefined) appendTool(r, slot, d.partial_json);
      }
      return;
    }
    case 'message_delta': {
      const d = obj(o.delta);
      if (d) addFinish(r, d.stop_reason);
      usage(r, obj(o.usage));
      return;
    }
    case 'response.created': case 'response.in_progress': {
      const resp = obj(o.response);
      if (resp) { r.model = str(resp.model) ?? r.model; r.id = str(resp.id) ?? r.id; }
      st.responseDeltas ??= { text: r.text.length, tools: r.toolArgs.length };
      return;
    }
    case 'response.output_text.delta':
      if (typeof o.delta === 'string') r.text.push(o.delta);
      return;
    case 'response.function_call_arguments.done':
      if (typeof o.arguments === 'string') appendTool(r, r.toolArgs.length, o.arguments);
      return;
    case 'response.completed': case 'response.incomplete': case 'response.failed': {
      const resp = obj(o.response);
      if (!resp) return;
      // The whole response replaces what the deltas built.
      if (st.responseDeltas) { r.text.length = st.responseDeltas.text; r.toolArgs.length = st.responseDeltas.tools; }
      feedObject(r, resp);
      return;
    }
    case 'ping': case 'content_block_stop': case 'message_stop': case 'error':
      return;
    default:
      if (type.startsWith('response.')) return;
      feedObject(r, o); // OpenAI chat/completions chunks, Gemini chunks
  }
}

/** Parses a decoded (decompressed) response body. Never throws. */
export function parseLlmResponse(text: string, contentType: string | undefined, complete: boolean): LlmResponseInfo {
  const r = emptyResponseInfo();
  r.partial = !complete;
  try {
    const sse = (contentType ?? '').toLowerCase().includes('event-stream') || looksLikeSse(text);
    if (sse) {
      const st: StreamState = { anthropicTools: new Map(), responseDeltas: null };
      parseSse(text, (e) => {
        if (e.data === '[DONE]') return;
        let o: unknown;
        try { o = JSON.parse(e.data); } catch { r.partial = true; return; }
        const ob = obj(o);
        if (ob) feedEvent(r, st, e.event, ob);
      });
      return r;
    }
    const t = text.trim();
    if (!t) return r;
    let o: unknown;
    try { o = JSON.parse(t); } catch { r.partial = true; return r; }
    if (Array.isArray(o)) { // Gemini streamGenerateContent without alt=sse: a JSON array of chunks
      for (const c of o) { const ob = obj(c); if (ob) feedObject(r, ob); }
    } else {
      const ob = obj(o);
      if (ob) feedObject(r, ob);
    }
  } catch {
    r.partial = true;
  }
  return r;
}
