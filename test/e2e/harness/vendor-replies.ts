// What each fake vendor answers: the smallest reply its SDK accepts as success.
import type { ServerResponse } from 'node:http';
import type { FakeRequest } from './fakes';

interface Reply {
  status: number;
  body?: string;
  contentType?: string;
  /** Streamed replies (server-sent events): written one piece at a time, no content-length. */
  chunks?: string[];
}

const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value), contentType: 'application/json' });

// LLM replies. With the request header `x-e2e-echo: 1` the text echoes the first email address of
// the prompt, as a model writing to the customer would; streamed replies are SSE in the vendors'
// event formats, with usage.
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;
const sseEvents = (events: Array<[string | undefined, unknown]>): string[] =>
  events.map(([name, data]) => `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

export function llmReplyText(prompt: string, echo = true): string {
  const email = echo ? EMAIL_IN_TEXT.exec(prompt)?.[0] : undefined;
  return email ? `Here is your plan. I will also send it to ${email} so you have a copy.` : 'Here is your plan: save ten percent first.';
}

/** The exact bytes of a streamed chat completion for `model` answering `text` (fixed ids and times). */
export function chatCompletionStream(model: string, text: string, includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id: 'chatcmpl-e2e0002', object: 'chat.completion.chunk', created: 1764160000, model, system_fingerprint: 'fp_e2e', choices, ...(includeUsage ? { usage } : {}),
  });
  return sseEvents([
    [undefined, chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])],
    ...text.split(/(?<= )/).map((w): [undefined, unknown] => [undefined, chunk([{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }])]),
    [undefined, chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])],
    ...(includeUsage ? [[undefined, chunk([], { prompt_tokens: 61, completion_tokens: 19, total_tokens: 80 })] as [undefined, unknown]] : []),
    [undefined, '[DONE]'],
  ]);
}

const wantsEcho = (req: FakeRequest): boolean => req.headers['x-e2e-echo'] === '1';

function anthropicMessages(req: FakeRequest): Reply {
  const sent = req.decoded.kind === 'json' ? (req.decoded.value as { model?: unknown; stream?: unknown }) : undefined;
  const model = typeof sent?.model === 'string' ? sent.model : 'claude-3-5-haiku-latest';
  const text = llmReplyText(req.bodyText, wantsEcho(req));
  const usage = { input_tokens: 52, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 23 };
  if (sent?.stream !== true) {
    return json(200, { id: 'msg_e2e0001', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage });
  }
  return {
    status: 200, contentType: 'text/event-stream; charset=utf-8', chunks: sseEvents([
      ['message_start', { type: 'message_start', message: { id: 'msg_e2e0002', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', { type: 'ping' }],
      ...text.split(/(?<= )/).map((w): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } }]),
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 23 } }],
      ['message_stop', { type: 'message_stop' }],
    ]),
  };
}

function chatCompletion(req: FakeRequest): Reply {
  const sent = req.decoded.kind === 'json' ? (req.decoded.value as { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } }) : undefined;
  const model = typeof sent?.model === 'string' ? sent.model : 'gpt-4o-mini';
  if (sent?.stream === true) {
    return { status: 200, contentType: 'text/event-stream; charset=utf-8', chunks: chatCompletionStream(model, llmReplyText(req.bodyText, wantsEcho(req)), sent.stream_options?.include_usage === true) };
  }
  return json(200, {
    id: 'chatcmpl-e2e0001',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: wantsEcho(req) ? llmReplyText(req.bodyText) : 'Thanks, noted.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
  });
}

// HubSpot CRM batch create/upsert: one result per input, as the real API answers.
function hubspotBatch(req: FakeRequest): Reply {
  const sent = req.decoded.kind === 'json' ? (req.decoded.value as { inputs?: unknown }) : undefined;
  const inputs = Array.isArray(sent?.inputs) ? sent.inputs : [];
  const now = new Date().toISOString();
  return json(200, {
    status: 'COMPLETE',
    results: inputs.map((_, i) => ({ id: String(5100 + i), properties: {}, createdAt: now, updatedAt: now, archived: false })),
    startedAt: now,
    completedAt: now,
  });
}

export function replyFor(req: FakeRequest): Reply {
  const path = req.path.split('?')[0] ?? '';
  if (req.method === 'POST' && path.endsWith('/chat/completions')) return chatCompletion(req);
  if (req.method === 'POST' && req.host === 'api.anthropic.com' && path.endsWith('/v1/messages')) return anthropicMessages(req);
  switch (req.host) {
    case 'graph.facebook.com':
      return json(200, { events_received: 1, messages: [], fbtrace_id: 'x' });
    case 'api.segment.io':
      return json(200, { success: true });
    case 'us.i.posthog.com':
      return json(200, { status: 1 });
    case 'api.sendgrid.com':
      return { status: 202 };
    case 'www.google-analytics.com':
      return { status: 204 };
    case 'datamanager.googleapis.com':
      return json(200, { requestId: 'r1' });
    case 'api.hubapi.com':
      return /\/batch\/(create|upsert)$/.test(path) ? hubspotBatch(req) : json(200, { ok: true });
    case 'risk.partner-example.com':
      return json(200, { score: 0.12, tier: 'low', reasons: [] });
    case 'api.exchangerate.example':
      return json(200, { base: 'EUR', date: '2024-11-26', rates: { USD: 1.0842, GBP: 0.8571 } });
    default:
      return json(200, { ok: true });
  }
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.chunks) {
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/event-stream', 'cache-control': 'no-cache' });
    const parts = reply.chunks;
    let i = 0;
    // A piece per tick, as a model emits tokens: the client sees several reads.
    const next = (): void => {
      if (res.destroyed) return;
      if (i >= parts.length) { res.end(); return; }
      res.write(parts[i++]);
      setTimeout(next, 1);
    };
    next();
    return;
  }
  const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8');
  const headers: Record<string, string | number> = { 'content-length': body?.length ?? 0 };
  if (reply.contentType) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(body);
}
