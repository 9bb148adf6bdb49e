// LLM request body → leaves under vendor-neutral `llm.*` paths, plus the request metadata for
// gen_ai.* attributes. One mapping for the OpenAI (chat, Responses, completions, embeddings),
// Anthropic (messages) and Gemini (generateContent) request shapes, so a dashboard asks for
// `llm.messages[1].content` whoever served the call (the mapping table is in docs/semconv.md):
//
//   messages[i].content (string or text parts)            → llm.messages[i].content
//   Anthropic content blocks text / tool_result           → llm.messages[i].content
//   Anthropic tool_use.input, OpenAI tool_calls[j].function.arguments,
//   Responses function_call.arguments, Gemini functionCall.args
//                                                          → llm.messages[i].tool_calls[j].arguments(.<json path>)
//   messages[i].name                                       → llm.messages[i].name
//   Anthropic `system`, Responses `instructions`, Gemini `systemInstruction`
//                                                          → llm.system
//   Responses `input` list items                           → llm.messages[i]… (the same mapping)
//   Responses / embeddings `input` string(s)               → llm.input, llm.input[i]
//   completions `prompt`                                   → llm.prompt, llm.prompt[i]
//   Gemini contents[i].parts[k].text                       → llm.messages[i].content
//   tools / functions (definitions)                        → llm.tools…
//   anything else (`user`, `metadata.user_id`, …)          → llm.<json path>
// Sampling parameters (model, temperature, max_tokens, …) are metadata, not scanned.
import { walkJson } from '../decode/json-walk';
import { memberPath } from '../decode/paths';
import type { DecodeContext } from '../decode/options';
import type { LlmDialect } from './genai';

export interface LlmRequestInfo {
  model?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stream: boolean;
}

/** Request keys that are parameters, not content: never scanned. */
const PARAMS: ReadonlySet<string> = new Set([
  'model', 'stream', 'temperature', 'top_p', 'top_k', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'n', 'seed',
  'stop', 'stop_sequences', 'frequency_penalty', 'presence_penalty', 'logprobs', 'top_logprobs', 'logit_bias', 'response_format',
  'stream_options', 'tool_choice', 'parallel_tool_calls', 'reasoning', 'reasoning_effort', 'encoding_format', 'dimensions',
  'store', 'service_tier', 'thinking', 'generationConfig', 'generation_config', 'safetySettings', 'safety_settings', 'text',
  'include', 'truncation', 'background', 'modalities', 'audio', 'prediction', 'verbosity', 'anthropic_version', 'toolConfig',
  'tool_config', 'cachedContent', 'previous_response_id', 'max_tool_calls',
]);

const TEXT_PART_TYPES: ReadonlySet<string> = new Set(['text', 'input_text', 'output_text', 'refusal']);

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Request metadata for gen_ai.* (model from the body, or from a Gemini path `models/<m>:…`). */
export function requestInfo(doc: Record<string, unknown>, path: string): LlmRequestInfo {
  const gen = (doc.generationConfig ?? doc.generation_config) as Record<string, unknown> | undefined;
  const info: LlmRequestInfo = { stream: doc.stream === true || path.includes(':streamGenerateContent') };
  let model = typeof doc.model === 'string' ? doc.model : undefined;
  if (model === undefined) {
    const m = /\/models\/([^/:]+):/.exec(path);
    if (m) model = decodeURIComponent(m[1]);
  }
  if (model) info.model = model.slice(0, 200);
  info.maxTokens = num(doc.max_tokens) ?? num(doc.max_completion_tokens) ?? num(doc.max_output_tokens)
    ?? (gen && typeof gen === 'object' ? num(gen.maxOutputTokens) ?? num(gen.max_output_tokens) : undefined);
  info.temperature = num(doc.temperature) ?? (gen && typeof gen === 'object' ? num(gen.temperature) : undefined);
  info.topP = num(doc.top_p) ?? (gen && typeof gen === 'object' ? num(gen.topP) ?? num(gen.top_p) : undefined);
  return info;
}

/** The dialect a request body speaks, from its keys and the path. */
export function requestDialect(doc: Record<string, unknown>, path: string, headers: Record<string, unknown>): LlmDialect {
  if (Array.isArray(doc.contents) || path.includes(':generateContent') || path.includes(':streamGenerateContent')) return 'gemini';
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  if (/\/messages\/?$/.test(path) && Array.isArray(doc.messages) && typeof doc.max_tokens === 'number' && !('n' in doc)) return 'anthropic';
  return 'openai';
}

function text(ctx: DecodeContext, value: string, path: string, key: string): void {
  walkJson(ctx, value, path, key, [], 0);
}

/** Tool arguments: a JSON string is walked as the object it encodes (`…arguments.email`). */
function args(ctx: DecodeContext, value: unknown, path: string): void {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        walkJson(ctx, JSON.parse(t), path, 'arguments', ['json-string'], 1);
        return;
      } catch {
        // partial or invalid JSON (a streamed fragment): scanned as text
      }
    }
    text(ctx, value, path, 'arguments');
  } else if (value !== null && value !== undefined) {
    walkJson(ctx, value, path, 'arguments', [], 0);
  }
}

/** A content value: a string, or a list of parts/blocks whose text goes to `path`. Tool blocks add
 *  `tool_calls` next to it. */
function content(ctx: DecodeContext, value: unknown, base: string, tools: { n: number }): void {
  const path = `${base}.content`;
  if (typeof value === 'string') return text(ctx, value, path, 'content');
  if (!Array.isArray(value)) {
    if (value !== null && typeof value === 'object') walkJson(ctx, value, path, 'content', [], 0);
    return;
  }
  for (const part of value) {
    if (typeof part === 'string') { text(ctx, part, path, 'content'); continue; }
    if (part === null || typeof part !== 'object') continue;
    const p = part as Record<string, unknown>;
    const type = typeof p.type === 'string' ? p.type : '';
    if (typeof p.text === 'string' && (type === '' || TEXT_PART_TYPES.has(type))) text(ctx, p.text, path, 'content');
    else if (type === 'tool_use' || type === 'server_tool_use') args(ctx, p.input, `${base}.tool_calls[${tools.n++}].arguments`);
    else if (type === 'tool_result') content(ctx, p.content, base, tools);
    else if (p.functionCall && typeof p.functionCall === 'object') args(ctx, (p.functionCall as Record<string, unknown>).args, `${base}.tool_calls[${tools.n++}].arguments`);
    else if (p.functionResponse && typeof p.functionResponse === 'object') walkJson(ctx, (p.functionResponse as Record<string, unknown>).response, path, 'content', [], 0);
    // images, audio and documents (base64 or URLs) are not text
  }
}

/** One chat message (also a Responses API input item or a Gemini content). */
function message(ctx: DecodeContext, msg: unknown, base: string): void {
  if (typeof msg === 'string') return text(ctx, msg, `${base}.content`, 'content');
  if (msg === null || typeof msg !== 'object') return;
  const m = msg as Record<string, unknown>;
  const tools = { n: 0 };
  const type = typeof m.type === 'string' ? m.type : '';
  if (type === 'function_call' || type === 'custom_tool_call') {
    args(ctx, m.arguments ?? m.input, `${base}.tool_calls[0].arguments`);
    return;
  }
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    content(ctx, m.output, base, tools);
    return;
  }
  for (const k in m) {
    const v = m[k];
    switch (k) {
      case 'role': case 'type': case 'id': case 'tool_call_id': case 'call_id': case 'status': case 'cache_control':
        break;
      case 'content':
        content(ctx, v, base, tools);
        break;
      case 'parts': // Gemini
        content(ctx, v, base, tools);
        break;
      case 'tool_calls':
        if (Array.isArray(v)) {
          for (const tc of v) {
            const fn = tc && typeof tc === 'object' ? (tc as Record<string, unknown>).function : undefined;
            const a = fn && typeof fn === 'object' ? (fn as Record<string, unknown>).arguments : undefined;
            if (a !== undefined) args(ctx, a, `${base}.tool_calls[${tools.n}].arguments`);
            tools.n++;
          }
        }
        break;
      case 'function_call':
        if (v && typeof v === 'object') args(ctx, (v as Record<string, unknown>).arguments, `${base}.tool_calls[${tools.n++}].arguments`);
        break;
      case 'name':
        if (typeof v === 'string') text(ctx, v, `${base}.name`, 'name');
        break;
      default:
        walkJson(ctx, v, memberPath(base, k), k.toLowerCase(), [], 0);
    }
  }
}

function messages(ctx: DecodeContext, list: unknown, base = 'llm.messages'): void {
  if (!Array.isArray(list)) return walkJson(ctx, list, base, 'messages', [], 0);
  for (let i = 0; i < list.length; i++) message(ctx, list[i], `${base}[${i}]`);
}

/** System prompt in any of its spellings → `llm.system`. */
function system(ctx: DecodeContext, v: unknown): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as Record<string, unknown>).parts)) {
    v = (v as Record<string, unknown>).parts;
  }
  if (typeof v === 'string') return text(ctx, v, 'llm.system', 'system');
  if (Array.isArray(v)) {
    for (const p of v) {
      if (typeof p === 'string') text(ctx, p, 'llm.system', 'system');
      else if (p && typeof p === 'object' && typeof (p as Record<string, unknown>).text === 'string') text(ctx, (p as Record<string, string>).text, 'llm.system', 'system');
    }
  }
}

/** `input` / `prompt`: a string, a list of strings (embeddings, batched prompts), token arrays, or
 *  a list of message items (Responses API). */
function inputs(ctx: DecodeContext, v: unknown, name: 'input' | 'prompt'): void {
  const base = `llm.${name}`;
  if (typeof v === 'string') return text(ctx, v, base, name);
  if (!Array.isArray(v)) return walkJson(ctx, v, base, name, [], 0);
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    if (typeof item === 'string') text(ctx, item, `${base}[${i}]`, name);
    else if (item !== null && typeof item === 'object' && !Array.isArray(item)) message(ctx, item, `llm.messages[${i}]`);
    // numbers and token arrays carry no text
  }
}

/** Leaves of a parsed request body into `ctx`. */
export function requestLeaves(ctx: DecodeContext, doc: Record<string, unknown>): void {
  for (const k in doc) {
    if (PARAMS.has(k)) continue;
    const v = doc[k];
    switch (k) {
      case 'messages': messages(ctx, v); break;
      case 'contents': messages(ctx, v); break;
      case 'system': case 'instructions': case 'systemInstruction': case 'system_instruction': system(ctx, v); break;
      case 'input': inputs(ctx, v, 'input'); break;
      case 'prompt': inputs(ctx, v, 'prompt'); break;
      case 'tools': case 'functions': walkJson(ctx, v, 'llm.tools', 'tools', [], 0); break;
      default: walkJson(ctx, v, memberPath('llm', k), k.toLowerCase(), [], 0);
    }
  }
}
