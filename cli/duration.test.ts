import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseSince } from './duration';
import { UsageError } from './errors';

test('durations: units and combinations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('1w'), 604_800_000);
  assert.equal(parseDuration('250ms'), 250);
});

test('bad durations are usage errors that quote the input', () => {
  for (const bad of ['5x', '', 'h', '1.5h', '-1h', '1h ago', '9'.repeat(12) + 's']) {
    assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof UsageError && /invalid duration/.test((e as Error).message), bad);
  }
});

test('since: relative to now, or an ISO instant (UTC unless a zone is given)', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  assert.equal(parseSince('1h', now), Date.parse('2026-11-26T11:00:00Z'));
  assert.equal(parseSince('2026-11-01', now), Date.parse('2026-11-01T00:00:00Z'));
  assert.equal(parseSince('2026-11-01T10:30', now), Date.parse('2026-11-01T10:30:00Z'));
  assert.equal(parseSince('2026-11-01T10:30:00+02:00', now), Date.parse('2026-11-01T08:30:00Z'));
  assert.throws(() => parseSince('yesterday', now), UsageError);
});
