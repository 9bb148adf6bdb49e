import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { analyzeLlm, parseLlmResponse, parseSse, providerOf } from './index';
import { looksLikeLlmRequest } from '../catalog/llm-shape';
import type { EgressCapture, HeaderMap } from '../types';

function call(url: string, body: unknown, response?: { body: string | Buffer; headers?: HeaderMap; complete?: boolean }, headers: HeaderMap = {}): EgressCapture {
  const buf = Buffer.from(JSON.stringify(body));
  const c: EgressCapture = {
    kind: 'egress', method: 'POST', url, host: new URL(url).hostname, headers: { 'content-type': 'application/json', ...headers },
    body: { chunks: [buf], bytes: buf.length, truncated: false, complete: true },
  };
  if (response) {
    const rb = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
    c.response = { status: 200, headers: response.headers ?? { 'content-type': 'application/json' }, body: { chunks: [rb], bytes: rb.length, truncated: false, complete: response.complete ?? true } };
  }
  return c;
}

function analyze(c: EgressCapture, vendor = 'unknown') {
  const path = new URL(c.url).pathname;
  const shape = looksLikeLlmRequest(path, c.body.chunks[0]);
  assert.ok(shape, `LLM shape for ${path}`);
  return analyzeLlm(c, vendor, shape, path, undefined);
}

const paths = (a: ReturnType<typeof analyze>): string[] => [...new Set((a.leaves ?? []).map((l) => l.path))].sort();
const valueAt = (a: ReturnType<typeof analyze>, path: string): string[] => (a.leaves ?? []).filter((l) => l.path === path).map((l) => l.value);
const sse = (events: Array<[string | undefined, unknown]>): string =>
  events.map(([n, d]) => `${n ? `event: ${n}\n` : ''}data: ${typeof d === 'string' ? d : JSON.stringify(d)}\n\n`).join('');

test('OpenAI chat request: content strings and parts, tool call arguments as JSON paths, params skipped', () => {
  const a = analyze(call('https://api.openai.com/v1/chat/completions', {
    model: 'gpt-4o', temperature: 0.2, max_tokens: 300, user: 'user-42',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', name: 'jane', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"email":"a@b.co","n":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'done' },
    ],
    tools: [{ type: 'function', function: { name: 'f', description: 'adds a contact' } }],
  }), 'openai');
  assert.deepEqual(paths(a), [
    'llm.messages[0].content', 'llm.messages[1].content', 'llm.messages[1].name', 'llm.messages[2].tool_calls[0].arguments.email',
    'llm.messages[2].tool_calls[0].arguments.n', 'llm.messages[3].content', 'llm.tools[0].function.description', 'llm.tools[0].function.name',
    'llm.tools[0].type', 'llm.user',
  ]);
  assert.equal(a.attributes['gen_ai.request.model'], 'gpt-4o');
  assert.equal(a.attributes['gen_ai.request.max_tokens'], 300);
  assert.equal(a.attributes['gen_ai.operation.name'], 'chat');
});

test('Anthropic request: system (string or blocks) → llm.system, text/tool_result blocks → content, tool_use → tool_calls', () => {
  const a = analyze(call('https://api.anthropic.com/v1/messages', {
    model: 'claude-3-5-haiku', max_tokens: 100, system: [{ type: 'text', text: 'You help Jane.' }], metadata: { user_id: 'u-1' },
    messages: [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: [{ type: 'text', text: 'Calling' }, { type: 'tool_use', id: 't1', name: 'lookup', input: { phone: '+16505551212' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'found' }] }] },
    ],
  }, undefined, { 'anthropic-version': '2023-06-01' }), 'anthropic');
  assert.deepEqual(paths(a), ['llm.messages[0].content', 'llm.messages[1].content', 'llm.messages[1].tool_calls[0].arguments.phone', 'llm.messages[2].content', 'llm.metadata.user_id', 'llm.system']);
  assert.equal(a.attributes['gen_ai.provider.name'], 'anthropic');
});

test('Responses API: instructions → llm.system, input string → llm.input, input items → llm.messages', () => {
  const s = analyze(call('https://api.openai.com/v1/responses', { model: 'gpt-4.1', instructions: 'Be kind', input: 'Plan for Jane' }), 'openai');
  assert.deepEqual(paths(s), ['llm.input', 'llm.system']);
  const l = analyze(call('https://api.openai.com/v1/responses', { model: 'gpt-4.1', input: [
    { role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"email":"x@y.io"}' },
    { type: 'function_call_output', call_id: 'c', output: 'ok' },
  ] }), 'openai');
  assert.deepEqual(paths(l), ['llm.messages[0].content', 'llm.messages[1].tool_calls[0].arguments.email', 'llm.messages[2].content']);
  assert.equal(l.attributes['gen_ai.operation.name'], 'chat');
});

test('embeddings, completions and Gemini request shapes', () => {
  const e = analyze(call('https://api.openai.com/v1/embeddings', { model: 'text-embedding-3-small', input: ['one', 'two', [1, 2, 3]] }), 'openai');
  assert.deepEqual(paths(e), ['llm.input[0]', 'llm.input[1]']);
  assert.equal(e.attributes['gen_ai.operation.name'], 'embeddings');
  const p = analyze(call('https://llm.example/v1/completions', { model: 'm', prompt: 'Once upon' }));
  assert.deepEqual(paths(p), ['llm.prompt']);
  assert.equal(p.attributes['gen_ai.operation.name'], 'text_completion');
  const g = analyze(call('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent', {
    systemInstruction: { parts: [{ text: 'sys' }] },
    contents: [{ role: 'user', parts: [{ text: 'hello' }, { functionCall: { name: 'f', args: { email: 'a@b.co' } } }] }],
    generationConfig: { maxOutputTokens: 64, temperature: 0.1 },
  }), 'google-gemini');
  assert.deepEqual(paths(g), ['llm.messages[0].content', 'llm.messages[0].tool_calls[0].arguments.email', 'llm.system']);
  assert.equal(g.attributes['gen_ai.request.model'], 'gemini-2.0-flash');
  assert.equal(g.attributes['gen_ai.request.max_tokens'], 64);
  assert.equal(g.attributes['gen_ai.provider.name'], 'gcp.gemini');
  assert.equal(g.attributes['gen_ai.operation.name'], 'generate_content');
});

test('a request body that is not JSON keeps the generic body paths (no leaves), gen_ai still set', () => {
  const c = call('https://api.openai.com/v1/chat/completions', {});
  c.body.chunks = [Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"cut')];
  const a = analyzeLlm(c, 'openai', { operation: 'chat' }, '/v1/chat/completions', undefined);
  assert.equal(a.leaves, undefined);
  assert.equal(a.attributes['gen_ai.operation.name'], 'chat');
});

test('OpenAI chat response JSON and SSE (include_usage final chunk, tool call deltas) give the same result', () => {
  const json = parseLlmResponse(JSON.stringify({
    id: 'c1', object: 'chat.completion', model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello Jane', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
  }), 'application/json', true);
  const chunk = (choices: unknown[], usage: unknown = null) => ({ id: 'c1', object: 'chat.completion.chunk', model: 'gpt-4o-2024-08-06', choices, usage });
  const stream = parseLlmResponse(sse([
    [undefined, chunk([{ index: 0, delta: { role: 'assistant', content: 'Hello ' } }])],
    [undefined, chunk([{ index: 0, delta: { content: 'Jane', tool_calls: [{ index: 0, id: 't', function: { name: 'f', arguments: '{"a"' } }] } }])],
    [undefined, chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] } }])],
    [undefined, chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }])],
    [undefined, chunk([], { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } })],
    [undefined, '[DONE]'],
  ]), 'text/event-stream', true);
  for (const r of [json, stream]) {
    assert.equal(r.text.join(''), 'Hello Jane');
    assert.deepEqual(r.toolArgs, ['{"a":1}']);
    assert.deepEqual([r.model, r.id, r.inputTokens, r.outputTokens, r.cacheReadTokens], ['gpt-4o-2024-08-06', 'c1', 10, 5, 4]);
    assert.deepEqual(r.finishReasons, ['tool_calls']);
    assert.equal(r.partial, false);
  }
});

test('Anthropic SSE: message_start usage + cache tokens, text and tool input JSON deltas, message_delta output usage', () => {
  const r = parseLlmResponse(sse([
    ['message_start', { type: 'message_start', message: { id: 'm1', model: 'claude-3-5-haiku-20241022', usage: { input_tokens: 20, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Mail ' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'sent.' } }],
    ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't', name: 'send', input: {} } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"to": "a@' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'b.co"}' } }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 42 } }],
    ['message_stop', { type: 'message_stop' }],
  ]), 'text/event-stream', true);
  assert.equal(r.text.join(''), 'Mail sent.');
  assert.deepEqual(r.toolArgs, ['{"to": "a@b.co"}']);
  assert.deepEqual([r.model, r.id, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheCreationTokens], ['claude-3-5-haiku-20241022', 'm1', 125, 42, 100, 5]);
  assert.deepEqual(r.finishReasons, ['tool_use']);
});

test('Responses API SSE: deltas replaced by response.completed; Gemini SSE chunks', () => {
  const full = { id: 'resp_1', object: 'response', model: 'gpt-4.1-2025', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'Done.' }] }], usage: { input_tokens: 7, output_tokens: 2 } };
  const r = parseLlmResponse(sse([
    ['response.created', { type: 'response.created', response: { id: 'resp_1', model: 'gpt-4.1-2025' } }],
    ['response.output_text.delta', { type: 'response.output_text.delta', delta: 'Do' }],
    ['response.output_text.delta', { type: 'response.output_text.delta', delta: 'ne.' }],
    ['response.completed', { type: 'response.completed', response: full }],
  ]), 'text/event-stream', true);
  assert.equal(r.text.join(''), 'Done.');
  assert.deepEqual([r.inputTokens, r.outputTokens, r.model], [7, 2, 'gpt-4.1-2025']);
  const g = parseLlmResponse(sse([
    [undefined, { candidates: [{ content: { parts: [{ text: 'Hel' }] } }], modelVersion: 'gemini-2.0-flash' }],
    [undefined, { candidates: [{ content: { parts: [{ text: 'lo' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }],
  ]), 'text/event-stream', true);
  assert.deepEqual([g.text.join(''), g.inputTokens, g.outputTokens, g.model, g.finishReasons[0]], ['Hello', 3, 2, 'gemini-2.0-flash', 'STOP']);
});

test('a stream cut at the capture limit keeps what arrived and says partial', () => {
  const body = sse([
    [undefined, { id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: 'abc' } }] }],
    [undefined, { id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: 'def' } }] }],
  ]);
  const r = parseLlmResponse(body.slice(0, body.length - 20), 'text/event-stream', false);
  assert.equal(r.text.join(''), 'abc');
  assert.equal(r.partial, true);
  assert.equal(r.outputTokens, undefined);
});

test('SSE framing: CRLF, comments, multi-line data, event names, unterminated last event dropped', () => {
  const events: string[] = [];
  parseSse(': keep-alive\r\nevent: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata:x\n\ndata: y', (e) => events.push(`${e.event}=${e.data}`));
  assert.deepEqual(events, ['a=1\n2', 'message=x']);
});

test('gzip-encoded response through analyzeLlm: completion leaves and usage', () => {
  const resp = gzipSync(JSON.stringify({ id: 'x', object: 'chat.completion', model: 'm', choices: [{ message: { content: 'Write to jane@x.io' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4 } }));
  const a = analyze(call('https://api.openai.com/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
    { body: resp, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }), 'openai');
  assert.deepEqual(valueAt(a, 'llm.completion'), ['Write to jane@x.io']);
  assert.equal(a.attributes['gen_ai.usage.output_tokens'], 4);
});

test('provider names follow the GenAI semconv; unknown hosts are named after the dialect', () => {
  assert.deepEqual(providerOf('openai', 'openai'), ['openai', 'openai']);
  assert.deepEqual(providerOf('xai', 'openai'), ['x_ai', 'xai']);
  assert.deepEqual(providerOf('azure-openai', 'openai'), ['azure.ai.openai', 'az.ai.openai']);
  assert.deepEqual(providerOf('aws-bedrock', 'anthropic'), ['aws.bedrock', 'aws.bedrock']);
  assert.deepEqual(providerOf('unknown', 'anthropic'), ['anthropic', 'anthropic']);
  assert.deepEqual(providerOf('internal', 'openai'), ['openai', 'openai']);
});
