// OTel GenAI semantic conventions (semantic-conventions 1.45, incubating; the names are in
// semconv.ts) for an LLM call seen on the wire: provider, operation, models, usage. Only metadata:
// prompt and completion text never become attributes (they are matched and reported as `llm.*`
// field paths instead).
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_REQUEST_MAX_TOKENS, ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM, ATTR_GEN_AI_REQUEST_TEMPERATURE, ATTR_GEN_AI_REQUEST_TOP_P, ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID, ATTR_GEN_AI_RESPONSE_MODEL, ATTR_GEN_AI_SYSTEM, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from './semconv';
import type { LlmOperation } from '../catalog/llm-shape';
import type { LlmRequestInfo } from './request';
import type { LlmResponseInfo } from './response';

/** Wire dialect of the request (which parser reads it), independent of who serves it. */
export type LlmDialect = 'openai' | 'anthropic' | 'gemini';

/** Catalog vendor → [gen_ai.provider.name, gen_ai.system]. The two differ where the semconv renamed
 *  a value when `gen_ai.system` became `gen_ai.provider.name` (xAI, Azure). */
const PROVIDERS: Readonly<Record<string, readonly [string, string]>> = {
  openai: ['openai', 'openai'],
  anthropic: ['anthropic', 'anthropic'],
  groq: ['groq', 'groq'],
  'google-gemini': ['gcp.gemini', 'gcp.gemini'],
  'google-vertex': ['gcp.vertex_ai', 'gcp.vertex_ai'],
  mistral: ['mistral_ai', 'mistral_ai'],
  cohere: ['cohere', 'cohere'],
  deepseek: ['deepseek', 'deepseek'],
  xai: ['x_ai', 'xai'],
  'azure-openai': ['azure.ai.openai', 'az.ai.openai'],
  'aws-bedrock': ['aws.bedrock', 'aws.bedrock'],
  perplexity: ['perplexity', 'perplexity'],
  // Not in the semconv's list: custom values, as the semconv allows.
  openrouter: ['openrouter', 'openrouter'],
  together: ['together', 'together'],
};

/** Unknown and self-hosted endpoints are named after the API they speak (`sst.destination.vendor`
 *  still says `unknown`/`internal`): an OpenAI-compatible gateway reports `openai`. */
const BY_DIALECT: Readonly<Record<LlmDialect, readonly [string, string]>> = {
  openai: ['openai', 'openai'],
  anthropic: ['anthropic', 'anthropic'],
  gemini: ['gcp.gen_ai', 'gcp.gen_ai'],
};

export function providerOf(vendor: string, dialect: LlmDialect): readonly [string, string] {
  return PROVIDERS[vendor] ?? BY_DIALECT[dialect];
}

const OPERATIONS: Readonly<Record<LlmOperation, string>> = {
  chat: 'chat',
  responses: 'chat',
  messages: 'chat',
  embeddings: 'embeddings',
  completions: 'text_completion',
  generate: 'generate_content',
};

export function operationName(op: LlmOperation): string {
  return OPERATIONS[op] ?? 'chat';
}

/** The gen_ai.* attributes of one call; absent values are left out. */
export function genAiAttributes(
  vendor: string, op: LlmOperation, dialect: LlmDialect, req: LlmRequestInfo | undefined, res: LlmResponseInfo | undefined,
): Attributes {
  const [provider, system] = providerOf(vendor, dialect);
  const a: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: operationName(op),
    [ATTR_GEN_AI_PROVIDER_NAME]: provider,
    [ATTR_GEN_AI_SYSTEM]: system,
  };
  if (req) {
    if (req.model) a[ATTR_GEN_AI_REQUEST_MODEL] = req.model;
    if (req.maxTokens !== undefined) a[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = req.maxTokens;
    if (req.temperature !== undefined) a[ATTR_GEN_AI_REQUEST_TEMPERATURE] = req.temperature;
    if (req.topP !== undefined) a[ATTR_GEN_AI_REQUEST_TOP_P] = req.topP;
    if (req.stream) a[ATTR_GEN_AI_REQUEST_STREAM] = true;
  }
  if (res) {
    if (res.model) a[ATTR_GEN_AI_RESPONSE_MODEL] = res.model;
    if (res.id) a[ATTR_GEN_AI_RESPONSE_ID] = res.id;
    if (res.finishReasons.length) a[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = res.finishReasons;
    if (res.inputTokens !== undefined) a[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = res.inputTokens;
    if (res.outputTokens !== undefined) a[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = res.outputTokens;
    if (res.cacheReadTokens !== undefined) a[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = res.cacheReadTokens;
    if (res.cacheCreationTokens !== undefined) a[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = res.cacheCreationTokens;
  }
  return a;
}
