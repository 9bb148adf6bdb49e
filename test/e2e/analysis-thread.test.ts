// The analysis thread (the default) and analysis on the app's thread (SST_ANALYSIS_THREAD=false)
// must export the same evidence: the same sst.* attributes and events on the same spans, the same
// first-party baggage, and nothing raw. express-register.cjs fans one sign-up out to nine partners.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inBackground } from './harness/background';
import { assertCleanExit, assertNoLeaks } from './harness/contract-checks';
import type { FlatSpan } from './harness/otlp-receiver';
import { runApp, type ExitInfo, type RunningApp } from './harness/run-app';
import { REGISTRANT_LEAK_PROFILE, registerRequest } from './people';

const FIRST_PARTY = ['accounts.internal.example'];
const PARTNERS = [
  'graph.facebook.com', 'api.segment.io', 'us.i.posthog.com', 'api.sendgrid.com', 'risk.partner-example.com',
  'www.google-analytics.com', 'datamanager.googleapis.com', 'accounts.internal.example', 'api.exchangerate.example',
];
const TEST_TIMEOUT = { timeout: 180_000 };

interface Outcome { app: RunningApp; status: number; exit: ExitInfo; spans: FlatSpan[] }

async function scenario(env: Record<string, string>): Promise<Outcome> {
  const app = await runApp({ app: 'express-register.cjs', args: 'require', env, config: { firstPartyHosts: FIRST_PARTY } });
  try {
    const register = await app.send('/register', registerRequest());
    await app.fakes.waitFor((rs) => PARTNERS.every((h) => rs.some((r) => r.host === h)), 5000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const exit = await app.stop();
    return { app, status: register.status, exit, spans: app.spans() };
  } finally {
    await app.stop();
  }
}

/** What a span says about personal data, keyed so both runs line up: name, kind, destination. */
function evidence(spans: readonly FlatSpan[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of spans) {
    const sst = Object.fromEntries(Object.entries(s.attributes).filter(([k]) => k.startsWith('sst.')).sort(([a], [b]) => a.localeCompare(b)));
    if (Object.keys(sst).length === 0) continue;
    const events = s.events.filter((e) => e.name.startsWith('sst.')).map((e) => JSON.stringify([e.name, Object.entries(e.attributes).sort()])).sort();
    const key = `${s.kind} ${s.name} ${String(s.attributes['sst.destination.host'] ?? s.attributes['url.path'] ?? '')}`;
    const prev = out.get(key) as unknown[] | undefined;
    out.set(key, [...(prev ?? []), { sst, events }].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  }
  return out;
}

const runs = {
  thread: inBackground(() => scenario({})),
  inline: inBackground(() => scenario({ SST_ANALYSIS_THREAD: 'false' })),
};

describe('analysis thread', () => {
  test('the default runs analysis on its own thread and says so at start-up', TEST_TIMEOUT, async () => {
    const [t, i] = [await runs.thread, await runs.inline];
    assert.equal(t.status, 200);
    assert.match(t.exit.stderr, /active; spans → .*\(analysis thread\)/);
    assert.doesNotMatch(i.exit.stderr, /\(analysis thread\)/);
    assertCleanExit(t.exit);
    assertCleanExit(i.exit);
    assert.doesNotMatch(t.exit.stderr, /analysis thread (failed|stopped|did not)/);
  });

  test('both modes export the same sst.* attributes and events on the same spans', TEST_TIMEOUT, async () => {
    const [t, i] = [await runs.thread, await runs.inline];
    const inline = evidence(i.spans);
    assert.ok(inline.size >= 8, `in-thread evidence on ${inline.size} spans`);
    assert.deepEqual(evidence(t.spans), inline);
  });

  test('the first-party call carries the request\'s fingerprint ids in baggage in both modes', TEST_TIMEOUT, async () => {
    for (const o of [await runs.thread, await runs.inline]) {
      const [internal] = o.app.fakes.forHost(FIRST_PARTY[0]!);
      assert.ok(internal, 'the first-party call was made');
      assert.match(String(internal.headers['baggage'] ?? ''), /sst\.fp=[A-Za-z0-9_-]{22}/);
    }
  });

  test('nothing raw leaves the process from the analysis thread', TEST_TIMEOUT, async () => {
    assertNoLeaks((await runs.thread).app, [REGISTRANT_LEAK_PROFILE]);
  });
});
