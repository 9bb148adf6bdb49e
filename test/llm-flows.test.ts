// LLM flows in one process: a person signs up (collect), then the real `openai` and
// `@anthropic-ai/sdk` clients, raw fetch and axios call loopback LLM fakes, streamed and not. The
// share spans must carry gen_ai.* (usage from streamed responses too), `llm.*` field paths, the
// income typed as 120000 found as "$120,000", and the completion echo; the app must receive
// exactly the bytes the fake sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolveVendorsToLoopback } from './loopback-dns';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { start, type SstHandle } from '../instrumentation/api';
import { getCapture } from '../instrumentation/capture';

const exporter = new InMemorySpanExporter();
/** Live spans (the exported ones are annotated copies): their captures are looked up directly. */
const live: Span[] = [];
/** Was the response copy complete when the instrumentation ended the span? (The parse runs after.) */
const responseCompleteAtEnd = new Map<Span, boolean | undefined>();
const liveRecorder: SpanProcessor = {
  onStart: (span) => {
    live.push(span);
    const end = span.end;
    span.end = function (this: Span, ...args: Parameters<Span['end']>) {
      const c = getCapture(this);
      responseCompleteAtEnd.set(this, c?.kind === 'egress' ? c.response?.body.complete : undefined);
      return end.apply(this, args);
    };
  },
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
let handle: SstHandle | undefined;
let http: typeof import('node:http');
let llmPort = 0;
let appPort = 0;
const servers: Server[] = [];
/** Bytes of every response body the fake sent, by request id (header x-test-id). */
const sentBodies = new Map<string, Buffer>();
let lastRequestBody = '';

const EMAIL = 'jane.doe@example.com';
const PERSON = { email: 'Jane.Doe@Example.com', name: 'Jane Doe', phone: '+1 (650) 555-1212', annual_income: 120000, birthdate: '1988-03-05' };
const PROMPT = `Hi, I'm Jane Doe (${EMAIL}). My annual income is $120,000 and I was born on March 5, 1988. How much should I save each month?`;
const PLAIN_PROMPT = 'Suggest three names for a budgeting app. Keep each under twelve characters.';

let restoreDns: () => void = () => undefined;

// ------------------------------------------------------------------------------------------------
// The fake LLM: OpenAI chat/embeddings and Anthropic messages, JSON or SSE, written in small pieces.

const sse = (events: Array<[string | undefined, unknown]>): string[] =>
  events.map(([name, data]) => `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

function openaiChat(model: string, text: string, stream: boolean): string[] {
  const id = 'chatcmpl-T1';
  const usage = { prompt_tokens: 57, completion_tokens: 17, total_tokens: 74, prompt_tokens_details: { cached_tokens: 0 } };
  if (!stream) {
    return [JSON.stringify({
      id, object: 'chat.completion', created: 1764160000, model: `${model}-2024-07-18`,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage, system_fingerprint: 'fp_1',
    })];
  }
  const chunk = (delta: unknown, finish: string | null, u: unknown = null) => ({
    id, object: 'chat.completion.chunk', created: 1764160000, model: `${model}-2024-07-18`, system_fingerprint: 'fp_1',
    choices: delta === undefined ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: u,
  });
  const words = text.split(/(?<= )/);
  const parts = sse([
    [undefined, chunk({ role: 'assistant', content: '', refusal: null }, null)],
    ...words.map((w): [undefined, unknown] => [undefined, chunk({ content: w }, null)]),
    [undefined, chunk({}, 'stop')],
    [undefined, chunk(undefined, null, usage)],
    [undefined, '[DONE]'],
  ]);
  // One event split across two writes, as TCP may deliver it.
  const mid = Math.floor(parts[1].length / 2);
  return [parts[0], parts[1].slice(0, mid), parts[1].slice(mid), ...parts.slice(2)];
}

function anthropicMessage(model: string, text: string, stream: boolean): string[] {
  if (!stream) {
    return [JSON.stringify({
      id: 'msg_T1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }],
      stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 8, output_tokens: 21 },
    })];
  }
  const words = text.split(/(?<= )/);
  return sse([
    ['message_start', { type: 'message_start', message: { id: 'msg_T2', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 8, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }],
    ...words.map((w): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } }]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 21 } }],
    ['message_stop', { type: 'message_stop' }],
  ]);
}

function replyText(prompt: string): string {
  return prompt.includes('echo') ? `Sure. I will send the plan to ${EMAIL} tomorrow morning.` : 'Put aside ten percent of each paycheck first.';
}

async function writeSlowly(res: ServerResponse, parts: string[], id: string): Promise<void> {
  const bytes: Buffer[] = [];
  for (const p of parts) {
    const b = Buffer.from(p);
    bytes.push(b);
    res.write(b);
    await new Promise((r) => setTimeout(r, 2));
  }
  sentBodies.set(id, Buffer.concat(bytes));
  res.end();
}

function llmHandler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString();
    lastRequestBody = raw;
    const body = JSON.parse(raw || '{}') as { model?: string; stream?: boolean; messages?: Array<{ content: unknown }>; input?: unknown };
    const id = String(req.headers['x-test-id'] ?? 'none');
    const path = (req.url ?? '').split('?')[0];
    const stream = body.stream === true;
    const promptText = JSON.stringify(body.messages ?? body.input ?? '');
    let parts: string[];
    if (path.endsWith('/embeddings')) {
      parts = [JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.01, -0.02, 0.03] }], model: body.model, usage: { prompt_tokens: 9, total_tokens: 9 } })];
    } else if (path.endsWith('/messages')) {
      parts = anthropicMessage(body.model ?? 'claude', replyText(promptText), stream);
    } else {
      parts = openaiChat(body.model ?? 'gpt', replyText(promptText), stream);
    }
    res.writeHead(200, {
      'content-type': stream ? 'text/event-stream; charset=utf-8' : 'application/json',
      ...(path.endsWith('/messages') ? { 'request-id': 'req_T' } : { 'x-request-id': 'req_T' }),
    });
    void writeSlowly(res, parts, id);
  });
}

before(async () => {
  restoreDns = resolveVendorsToLoopback();
  handle = start({
    config: { defaultPhoneRegion: 'US' },
    env: { SST_FINGERPRINT_KEY: 'llm-flows-test-key-0123456789', OTEL_TRACES_EXPORTER: 'none' },
    exportProcessors: [new SimpleSpanProcessor(exporter), liveRecorder],
    handleExit: false,
    esmHooks: false,
  });
  assert.ok(handle, 'the distribution started');
  http = require('node:http');
  const llm = http.createServer(llmHandler);
  await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
  llmPort = (llm.address() as AddressInfo).port;
  servers.push(llm);
  const app = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appPort = (app.address() as AddressInfo).port;
  servers.push(app);
  // The person signs up: their values are tagged and indexed before any LLM call.
  const res = await fetch(`http://127.0.0.1:${appPort}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PERSON) });
  assert.equal(res.status, 200);
  await res.text();
  await settle();
});

after(async () => {
  for (const s of servers) { s.closeAllConnections(); s.close(); }
  await handle?.shutdown();
  restoreDns();
});

async function settle(): Promise<void> {
  await handle!.forceFlush();
  await new Promise((r) => setTimeout(r, 30));
  await handle!.forceFlush();
}

/** The CLIENT span of the call tagged `x-test-id: id` (the header is recorded by no one; the
 *  span is found through the fake's own server span order instead: the last CLIENT span to `host`). */
async function clientSpan(host: string, path: string): Promise<ReadableSpan> {
  await settle();
  // HTTP-level spans only: @anthropic-ai/sdk opens its own CLIENT span around the call too.
  const spans = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT && HTTP_SCOPES.has(s.instrumentationScope.name)
    && String(s.attributes['server.address'] ?? '') === host && String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '').includes(path));
  assert.ok(spans.length > 0, `a CLIENT span to ${host}${path}; have ${exporter.getFinishedSpans().map((s) => `${s.kind}:${s.attributes['server.address']}`).join(', ')}`);
  return spans[spans.length - 1];
}

const HTTP_SCOPES = new Set(['@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-http']);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function assertPersonalPrompt(span: ReadableSpan, vendor: string, field: string): void {
  const a = span.attributes;
  assert.equal(a['sst.flow'], 'share');
  assert.equal(a['sst.destination.kind'], 'llm');
  assert.equal(a['sst.destination.vendor'], vendor);
  const fields = strs(a['sst.fields']);
  assert.ok(fields.includes(field), `fields ${fields}`);
  const cats = strs(a['sst.categories']);
  for (const c of ['email', 'name', 'income', 'birthdate']) assert.ok(cats.includes(c), `category ${c} in ${cats}`);
  const incomeEvent = span.events.find((e) => e.name === 'sst.match' && e.attributes?.['sst.category'] === 'income');
  assert.ok(incomeEvent, 'an sst.match event for the income');
  assert.equal(incomeEvent.attributes?.['sst.field'], field, 'the income written $120,000 was found in the prompt');
  assert.ok(!fields.some((f) => f.startsWith('body.')), `LLM calls report llm.* paths, not body.*: ${fields}`);
  // Never prompt text in attributes.
  for (const [k, v] of Object.entries(a)) assert.ok(!String(v).includes('annual income'), `prompt text leaked into ${k}`);
}

test('openai SDK, non-streaming chat: share span with gen_ai.* and llm.messages[1].content', async () => {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://api.openai.com:${llmPort}/v1`, maxRetries: 0 });
  const c = await client.chat.completions.create({
    model: 'gpt-4o-mini', temperature: 0.4, max_tokens: 300,
    messages: [{ role: 'system', content: 'You are a budgeting coach.' }, { role: 'user', content: PROMPT }],
  });
  assert.equal(c.choices[0].message.content, replyText(PROMPT));
  const span = await clientSpan('api.openai.com', '/v1/chat/completions');
  assertPersonalPrompt(span, 'openai', 'llm.messages[1].content');
  const a = span.attributes;
  assert.equal(a['gen_ai.provider.name'], 'openai');
  assert.equal(a['gen_ai.system'], 'openai');
  assert.equal(a['gen_ai.operation.name'], 'chat');
  assert.equal(a['gen_ai.request.model'], 'gpt-4o-mini');
  assert.equal(a['gen_ai.response.model'], 'gpt-4o-mini-2024-07-18');
  assert.equal(a['gen_ai.request.max_tokens'], 300);
  assert.equal(a['gen_ai.request.temperature'], 0.4);
  assert.equal(a['gen_ai.usage.input_tokens'], 57);
  assert.equal(a['gen_ai.usage.output_tokens'], 17);
  assert.deepEqual(a['gen_ai.response.finish_reasons'], ['stop']);
  assert.equal(a['gen_ai.response.id'], 'chatcmpl-T1');
});

test('openai SDK, streamed chat with include_usage: usage from the final chunk, the echo found as llm.completion', async () => {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://api.openai.com:${llmPort}/v1`, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'system', content: 'You are a budgeting coach.' }, { role: 'user', content: `${PROMPT} Please echo my email.` }],
  });
  let text = '';
  let usage: unknown;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, replyText('echo'));
  assert.deepEqual((usage as { completion_tokens: number }).completion_tokens, 17);
  const span = await clientSpan('api.openai.com', '/v1/chat/completions');
  assertPersonalPrompt(span, 'openai', 'llm.messages[1].content');
  const a = span.attributes;
  assert.equal(a['gen_ai.request.stream'], true);
  assert.equal(a['gen_ai.usage.input_tokens'], 57);
  assert.equal(a['gen_ai.usage.output_tokens'], 17);
  assert.equal(a['gen_ai.response.model'], 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(a['gen_ai.response.finish_reasons'], ['stop']);
  const emailEvents = span.events.filter((e) => e.name === 'sst.match' && e.attributes?.['sst.category'] === 'email').map((e) => e.attributes?.['sst.field']);
  assert.deepEqual(emailEvents.sort(), ['llm.completion', 'llm.messages[1].content']);
});

test('anthropic SDK, non-streaming and streamed: usage with cache tokens, system prompt as llm.system', async () => {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: `http://api.anthropic.com:${llmPort}`, maxRetries: 0 });
  const m = await client.messages.create({
    model: 'claude-sonnet-4-5', max_tokens: 400, system: `The user is ${PERSON.name}; reply to ${EMAIL} only.`,
    messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
  });
  assert.equal((m.content[0] as { text: string }).text, replyText(PROMPT));
  let span = await clientSpan('api.anthropic.com', '/v1/messages');
  assertPersonalPrompt(span, 'anthropic', 'llm.messages[0].content');
  let a = span.attributes;
  assert.ok(strs(a['sst.fields']).includes('llm.system'), `system prompt path: ${a['sst.fields']}`);
  assert.equal(a['gen_ai.provider.name'], 'anthropic');
  assert.equal(a['gen_ai.operation.name'], 'chat');
  assert.equal(a['gen_ai.request.model'], 'claude-sonnet-4-5');
  assert.equal(a['gen_ai.usage.input_tokens'], 48, 'input + cache read + cache creation');
  assert.equal(a['gen_ai.usage.cache_read.input_tokens'], 8);
  assert.equal(a['gen_ai.usage.output_tokens'], 21);
  assert.deepEqual(a['gen_ai.response.finish_reasons'], ['end_turn']);

  const stream = client.messages.stream({
    model: 'claude-sonnet-4-5', max_tokens: 400,
    messages: [{ role: 'user', content: `${PROMPT} Please echo my email.` }],
  });
  const final = await stream.finalMessage();
  assert.equal((final.content[0] as { text: string }).text, replyText('echo'));
  span = await clientSpan('api.anthropic.com', '/v1/messages');
  a = span.attributes;
  assert.equal(a['gen_ai.request.stream'], true);
  assert.equal(a['gen_ai.response.id'], 'msg_T2');
  assert.equal(a['gen_ai.usage.input_tokens'], 48);
  assert.equal(a['gen_ai.usage.output_tokens'], 21, 'message_delta usage');
  assert.ok(strs(a['sst.fields']).includes('llm.completion'), `completion echo: ${a['sst.fields']}`);
  assertPersonalPrompt(span, 'anthropic', 'llm.messages[0].content');
});

test('raw fetch to an unknown OpenAI-compatible host: kind llm, the stream is byte-identical', async () => {
  const res = await fetch(`http://llm.gateway.example:${llmPort}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-test-id': 'fetch-stream' },
    body: JSON.stringify({ model: 'llama-3.1-8b', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `${PROMPT} echo` }] }),
  });
  // Read slowly, chunk by chunk, as an app rendering tokens would.
  const got: Buffer[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    got.push(Buffer.from(value));
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.ok(sentBodies.has('fetch-stream'));
  assert.ok(Buffer.concat(got).equals(sentBodies.get('fetch-stream')!), 'the app read exactly the bytes the fake sent');
  const span = await clientSpan('llm.gateway.example', '/v1/chat/completions');
  assertPersonalPrompt(span, 'unknown', 'llm.messages[1].content');
  assert.equal(span.attributes['gen_ai.provider.name'], 'openai', 'named after the API it speaks');
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], 17);
  assert.ok(strs(span.attributes['sst.fields']).includes('llm.completion'));
});

test('axios (node:http) to an unknown host by body shape, streamed with backpressure: byte-identical, usage read', async () => {
  const { default: axios } = await import('axios');
  const res = await axios.post(`http://inference.internal-tools.example:${llmPort}/api/generate-chat`, {
    model: 'qwen2.5', stream: true, messages: [{ role: 'user', content: PROMPT }],
  }, { responseType: 'stream', headers: { 'x-test-id': 'axios-stream' } });
  const stream = res.data as import('node:stream').Readable;
  const got: Buffer[] = [];
  // Pause after every chunk: backpressure must reach the socket and the tap must not resume it.
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => {
      got.push(c);
      stream.pause();
      assert.equal(stream.readableFlowing, false);
      setTimeout(() => stream.resume(), 2);
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  assert.ok(Buffer.concat(got).equals(sentBodies.get('axios-stream')!), 'byte-identical through node:http');
  const span = await clientSpan('inference.internal-tools.example', '/api/generate-chat');
  assertPersonalPrompt(span, 'unknown', 'llm.messages[0].content');
  assert.equal(span.attributes['gen_ai.usage.input_tokens'], 57);
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], 17);

});

test('embeddings: the input string is llm.input; operation embeddings; input usage', async () => {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://api.openai.com:${llmPort}/v1`, maxRetries: 0 });
  await client.embeddings.create({ model: 'text-embedding-3-small', input: `Customer note: ${PERSON.name} <${EMAIL}> asked about savings.` });
  const span = await clientSpan('api.openai.com', '/v1/embeddings');
  const a = span.attributes;
  assert.equal(a['gen_ai.operation.name'], 'embeddings');
  assert.equal(a['gen_ai.usage.input_tokens'], 9);
  assert.equal(a['gen_ai.usage.output_tokens'], undefined);
  assert.ok(strs(a['sst.fields']).includes('llm.input'), `fields ${a['sst.fields']}`);
});

test('tool call arguments in the request are matched under llm.messages[i].tool_calls[j].arguments', async () => {
  const res = await fetch(`http://api.openai.com:${llmPort}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Add the new customer to the CRM.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'crm_add', arguments: JSON.stringify({ email: EMAIL, phone: '650-555-1212' }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
      ],
      tools: [{ type: 'function', function: { name: 'crm_add', parameters: { type: 'object', properties: { email: { type: 'string' } } } } }],
    }),
  });
  await res.text();
  const span = await clientSpan('api.openai.com', '/v1/chat/completions');
  const fields = strs(span.attributes['sst.fields']);
  assert.ok(fields.includes('llm.messages[1].tool_calls[0].arguments.email'), `fields ${fields}`);
  assert.ok(fields.includes('llm.messages[1].tool_calls[0].arguments.phone'), `fields ${fields}`);
});

test('a prompt without personal data: gen_ai.* but no sst.*; other egress copies no response', async () => {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://api.openai.com:${llmPort}/v1`, maxRetries: 0 });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PLAIN_PROMPT }] });
  const span = await clientSpan('api.openai.com', '/v1/chat/completions');
  assert.ok(JSON.parse(lastRequestBody).messages[0].content === PLAIN_PROMPT);
  const keys = Object.keys(span.attributes);
  assert.deepEqual(keys.filter((k) => k.startsWith('sst.')), [], `no sst.* on a span with nothing personal: ${keys}`);
  assert.equal(span.attributes['gen_ai.operation.name'], 'chat');
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], 17);

  // A call that is not an LLM request: its response is not copied.
  await (await fetch(`http://api.exchangerate.example:${llmPort}/latest?base=EUR`, { method: 'POST', body: '{"base":"EUR"}', headers: { 'content-type': 'application/json' } })).text();
  await settle();
  const liveOf = (host: string) => live.filter((s) => s.kind === SpanKind.CLIENT && HTTP_SCOPES.has(s.instrumentationScope.name) && s.attributes['server.address'] === host).map((s) => getCapture(s));
  const other = liveOf('api.exchangerate.example');
  assert.equal(other.length, 1);
  assert.equal(other[0]?.kind, 'egress');
  assert.equal((other[0] as { response?: unknown }).response, undefined, 'no response copy for non-LLM egress');
  const llmCalls = liveOf('api.openai.com');
  assert.ok(llmCalls.length > 0 && llmCalls.every((c) => (c as { response?: unknown }).response !== undefined), 'LLM calls have their response copied');
  // Both client kinds end their span after the last response byte: the copy is whole at span end.
  const ended = live.filter((s) => HTTP_SCOPES.has(s.instrumentationScope.name) && s.kind === SpanKind.CLIENT && responseCompleteAtEnd.get(s) !== undefined);
  const scopes = new Set(ended.map((s) => s.instrumentationScope.name));
  assert.ok(scopes.has('@opentelemetry/instrumentation-undici') && scopes.has('@opentelemetry/instrumentation-http'), `both clients seen: ${[...scopes]}`);
  for (const s of ended) assert.equal(responseCompleteAtEnd.get(s), true, `${s.instrumentationScope.name} ${s.attributes['server.address']}: response complete at span end`);
});
