// Semconv §7a for GenAI instrumentations: prompt and completion text they record as attributes or
// events has personal values replaced before export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScrubber } from '../scrub';
import { createRegistry } from '../registry/registry';

const reg = createRegistry({ key: Buffer.from('scrub-genai-key'), defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 8 << 20 });
const email = reg.register({ category: 'email', value: 'jane.doe@example.com' })!;
const phone = reg.register({ category: 'phone', value: '+16505551212', subject: email.fp })!;
const scrubber = createScrubber(reg, { defaultPhoneRegion: 'US' }, false);

test('gen_ai prompt/completion attributes (semconv, OpenLLMetry, OpenInference spellings) are scrubbed', () => {
  const attrs = {
    'gen_ai.prompt.0.content': 'Email jane.doe@example.com a summary',
    'gen_ai.completion.0.content': 'Sent to jane.doe@example.com.',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'call +1 650 555 1212' }] }]),
    'llm.input_messages.0.message.content': 'jane.doe@example.com',
    'input.value': 'hello jane.doe@example.com',
    'gen_ai.request.model': 'gpt-4o',
    'llm.prompts': ['a', 'mail jane.doe@example.com'],
  };
  const out = scrubber.attributes(attrs, false)!;
  const mark = `[sst:email:${email.fp}]`;
  assert.equal(out['gen_ai.prompt.0.content'], `Email ${mark} a summary`);
  assert.equal(out['gen_ai.completion.0.content'], `Sent to ${mark}.`);
  assert.ok(String(out['gen_ai.input.messages']).includes(`[sst:phone:${phone.fp}]`), String(out['gen_ai.input.messages']));
  assert.equal(out['llm.input_messages.0.message.content'], mark);
  assert.equal(out['input.value'], `hello ${mark}`);
  assert.deepEqual(out['llm.prompts'], ['a', `mail ${mark}`]);
  assert.equal(out['gen_ai.request.model'], 'gpt-4o');
});

test('events: every string of a gen_ai.* event is scrubbed; other attributes of other events are not', () => {
  const ev = scrubber.attributes({ content: 'write to jane.doe@example.com', 'gen_ai.system': 'openai' }, false, true)!;
  assert.equal(ev.content, `write to [sst:email:${email.fp}]`);
  assert.equal(scrubber.attributes({ note: 'keep me' }, false, true), null);
  assert.equal(scrubber.attributes({ content: 'write to jane.doe@example.com' }, false), null, 'a plain attribute named content on a span is not GenAI text');
});
