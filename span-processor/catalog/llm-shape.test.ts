import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeLlmRequest, scanTopLevelKeys } from './llm-shape';

const op = (path: string, body?: Buffer | string) => looksLikeLlmRequest(path, body)?.operation ?? null;

test('strong path endings are LLM calls whatever the body', () => {
  assert.equal(op('/v1/chat/completions'), 'chat');
  assert.equal(op('/openai/deployments/gpt/chat/completions?api-version=2024-10-21'), 'chat');
  assert.equal(op('/v1/chat/completions/'), 'chat');
  assert.equal(op('/v1beta/models/gemini-2.0-flash:generateContent', '{"contents":[]}'), 'generate');
  assert.equal(op('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse'), 'generate');
  assert.equal(op('/v1/chat/completions', '{"to":"x"}'), 'chat');
});

test('weak path endings need no body, or an LLM-looking one', () => {
  assert.equal(op('/v1/messages'), 'messages');
  assert.equal(op('/v1/responses', '{"model":"gpt-4.1","input":"hi"}'), 'responses');
  assert.equal(op('/v1/embeddings', Buffer.from('{"model":"e","input":["a"]}')), 'embeddings');
  assert.equal(op('/v1/completions', '{"model":"m","prompt":"p"}'), 'completions');
  assert.equal(op('/api/messages', '{"to":"+15551234567","text":"hello"}'), null);
  assert.equal(op('/api/messages', 'to=x&text=y'), null);
});

test('body rule: top-level model plus messages/input/prompt on any path', () => {
  assert.equal(op('/proxy', '{"model":"llama3","messages":[{"role":"user","content":"hi"}]}'), 'chat');
  assert.equal(op('/proxy', ' \n{"input":"x","model":"m"}'), 'responses');
  assert.equal(op('/proxy', '{"prompt":"x","model":"m"}'), 'completions');
  assert.equal(op('/proxy', Buffer.from('\ufeff{"model":"m","messages":[]}')), 'chat');
  // a large body: the keys sit in the first 4 KB, the rest is never read
  const big = '{"model":"m","messages":[{"role":"user","content":"' + 'x'.repeat(100_000) + '"}]}';
  assert.equal(op('/proxy', big), 'chat');
});

test('body rule negatives: nested keys, keys inside strings, missing keys, non-objects', () => {
  assert.equal(op('/proxy', '{"data":{"model":"m","messages":[]}}'), null);
  assert.equal(op('/proxy', '{"note":"\\"model\\": \\"messages\\":","x":1}'), null);
  assert.equal(op('/proxy', '{"model":"m"}'), null);
  assert.equal(op('/proxy', '{"messages":[]}'), null);
  assert.equal(op('/proxy', '[{"model":"m","messages":[]}]'), null);
  assert.equal(op('/proxy', 'model=m&messages=x'), null);
  assert.equal(op('/proxy', ''), null);
  assert.equal(op('/proxy', undefined), null);
  assert.equal(op('/v1/track', '{"event":"x","properties":{"model":"car"}}'), null);
  // keys beyond the 4 KB scan window are not seen
  assert.equal(op('/proxy', '{"pad":"' + 'y'.repeat(5000) + '","model":"m","messages":[]}'), null);
  // value of a key that happens to be named like a key does not count
  assert.equal(op('/proxy', '{"kind":"model","other":"messages"}'), null);
});

test('scanTopLevelKeys never throws on junk', () => {
  for (const junk of ['{', '{"', '{"a', '{"a":"\\', '}}}', '{]]]', '\u0000\u0001']) {
    assert.equal(typeof scanTopLevelKeys(junk), 'number');
  }
  assert.equal(looksLikeLlmRequest(undefined as unknown as string, undefined), null);
});
