import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as ours from './semconv';

test('the GenAI attribute names are the installed semantic conventions\' names', () => {
  const names = Object.entries(ours);
  assert.ok(names.length >= 15);
  for (const [constant, value] of names) {
    assert.equal(value, (incubating as Record<string, unknown>)[constant], `${constant} differs from @opentelemetry/semantic-conventions/incubating`);
  }
});
