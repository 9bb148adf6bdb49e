// llm-advisor.cjs: a real app calls api.openai.com and api.anthropic.com through the `openai` and
// `@anthropic-ai/sdk` packages (and a raw fetch stream) over HTTPS to the loopback fakes. With
// `--require @sst/otel-auto` the LLM calls are share spans of kind llm with GenAI attributes,
// usage read from streamed responses, `llm.*` field paths, and the app still reads the exact bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { inBackground } from './harness/background';
import { assertCleanExit, assertNoLeaks } from './harness/contract-checks';
import type { AppResponse } from './harness/http-client';
import { SPAN_KIND, type FlatSpan } from './harness/otlp-receiver';
import { runApp, type ExitInfo, type LoadMode, type RunningApp } from './harness/run-app';
import { hostOf, strings } from './harness/spans';
import { chatCompletionStream, llmReplyText } from './harness/vendor-replies';

const PERSON = { email: 'Priya.Raman@Outlook.com', name: 'Priya Raman', income: 120000, birthdate: '1987-09-14' };
const TEST_TIMEOUT = { timeout: 180_000 };
const HTTP_SCOPES = new Set(['@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-http']);

interface Outcome {
  app: RunningApp;
  replies: Record<string, AppResponse>;
  exit: ExitInfo;
  spans: FlatSpan[];
}

async function scenario(mode: LoadMode): Promise<Outcome> {
  const app = await runApp({ app: 'llm-advisor.cjs', args: mode });
  try {
    const send = (path: string, body: unknown) => app.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const replies: Record<string, AppResponse> = {};
    replies.profile = await send('/profile', PERSON);
    for (const p of ['/advice', '/advice-stream', '/claude', '/raw']) replies[p] = await send(p, { email: PERSON.email });
    await new Promise((r) => setTimeout(r, 300));
    const exit = await app.stop();
    return { app, replies, exit, spans: app.spans() };
  } finally {
    await app.stop();
  }
}

const runs: Record<'none' | 'require', Promise<Outcome>> = {
  none: inBackground(() => scenario('none')),
  require: inBackground(() => scenario('require')),
};

const echo = llmReplyText(PERSON.email);

function assertAppAnswers(o: Outcome): void {
  for (const [path, r] of Object.entries(o.replies)) assert.equal(r.status, 200, `${path}: ${r.text}`);
  assert.equal(JSON.parse(o.replies['/advice'].text).text, echo);
  assert.equal(JSON.parse(o.replies['/advice-stream'].text).text, echo);
  assert.equal(JSON.parse(o.replies['/advice-stream'].text).usage.completion_tokens, 19);
  assert.equal(JSON.parse(o.replies['/claude'].text).text, echo);
  // The raw stream the app read is exactly the fake's bytes.
  const expected = Buffer.from(chatCompletionStream('gpt-4o-mini', echo, true).join(''));
  const raw = JSON.parse(o.replies['/raw'].text);
  assert.equal(raw.bytes, expected.length);
  assert.equal(raw.sha256, createHash('sha256').update(expected).digest('hex'));
}

test('without instrumentation: the app, the SDKs and the LLM fakes work (ground truth)', TEST_TIMEOUT, async () => {
  const o = await runs.none;
  assertAppAnswers(o);
  assert.equal(o.app.fakes.forHost('api.openai.com').length, 3);
  assert.equal(o.app.fakes.forHost('api.anthropic.com').length, 1);
});

function llmSpans(spans: readonly FlatSpan[], host: string): FlatSpan[] {
  return spans.filter((s) => s.kind === SPAN_KIND.CLIENT && hostOf(s) === host && HTTP_SCOPES.has(s.scope.name));
}

test('with --require: the same answers and bytes; LLM calls are share spans of kind llm with gen_ai.*', TEST_TIMEOUT, async () => {
  const o = await runs.require;
  assertAppAnswers(o);
  assertCleanExit(o.exit);
  const openai = llmSpans(o.spans, 'api.openai.com');
  assert.equal(openai.length, 3, `three OpenAI calls: ${o.spans.map((s) => `${s.kind} ${hostOf(s)} ${s.scope}`).join('; ')}`);
  for (const s of openai) {
    const a = s.attributes;
    assert.equal(a['sst.flow'], 'share');
    assert.equal(a['sst.destination.kind'], 'llm');
    assert.equal(a['sst.destination.vendor'], 'openai');
    assert.equal(a['gen_ai.provider.name'], 'openai');
    assert.equal(a['gen_ai.operation.name'], 'chat');
    assert.equal(a['gen_ai.request.model'], 'gpt-4o-mini');
    const fields = strings(a['sst.fields']);
    assert.ok(fields.includes('llm.messages[1].content') || fields.includes('llm.messages[0].content'), `fields ${fields}`);
    assert.ok(fields.includes('llm.completion'), `the reply echoes the email: ${fields}`);
    const cats = strings(a['sst.categories']);
    for (const c of ['email', 'name', 'income', 'birthdate']) assert.ok(cats.includes(c), `${c} in ${cats}`);
  }
  const streamed = openai.filter((s) => s.attributes['gen_ai.request.stream'] === true);
  assert.equal(streamed.length, 2);
  for (const s of streamed) {
    assert.equal(s.attributes['gen_ai.usage.input_tokens'], 61, 'usage from the include_usage chunk');
    assert.equal(s.attributes['gen_ai.usage.output_tokens'], 19);
  }
  const plain = openai.find((s) => s.attributes['gen_ai.request.stream'] === undefined)!;
  assert.equal(plain.attributes['gen_ai.usage.input_tokens'], 12);
  assert.equal(plain.attributes['gen_ai.response.model'], 'gpt-4o-mini');
  assert.ok(strings(plain.attributes['sst.fields']).includes('llm.messages[1].content'));

  const claude = llmSpans(o.spans, 'api.anthropic.com');
  assert.equal(claude.length, 1);
  const a = claude[0].attributes;
  assert.equal(a['sst.destination.vendor'], 'anthropic');
  assert.equal(a['sst.destination.kind'], 'llm');
  assert.equal(a['gen_ai.provider.name'], 'anthropic');
  assert.equal(a['gen_ai.usage.input_tokens'], 52, 'message_start usage');
  assert.equal(a['gen_ai.usage.output_tokens'], 23, 'message_delta usage');
  assert.deepEqual(strings(a['gen_ai.response.finish_reasons']), ['end_turn']);
  assert.ok(strings(a['sst.fields']).includes('llm.messages[0].content'));
  assert.ok(strings(a['sst.fields']).includes('llm.completion'));
  // No prompt text in any exported attribute; no raw value anywhere.
  for (const s of [...openai, ...claude]) {
    for (const [k, v] of Object.entries(s.attributes)) assert.ok(!JSON.stringify(v).includes('annual income'), `prompt text in ${k}`);
  }
  assertNoLeaks(o.app, [{ email: PERSON.email, firstName: 'Priya', lastName: 'Raman', birthdate: PERSON.birthdate, other: { income: String(PERSON.income) } }]);
});
