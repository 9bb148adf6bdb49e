// Assertions of the data contract (semconv §1, §2, §6, §7) shared by the e2e test files.
import assert from 'node:assert/strict';
import type { FakeVendors } from './fakes';
import { describeLeaks, findLeaks, leakNeedles, type Person } from './leak-check';
import { SPAN_KIND, type FlatSpan } from './otlp-receiver';
import type { ExitInfo, RunningApp } from './run-app';
import { describeSpans, eventPairs, hostOf, isShare, shareSpansTo, sstKeys, strings, union } from './spans';

export const EXIT_DEADLINE_MS = 10_000;
const CONTEXT_HEADERS = ['traceparent', 'tracestate', 'baggage'];

export interface ShareExpectation {
  host: string;
  vendor?: string;
  kind?: string;
  thirdParty: boolean;
  /** Must all be in sst.categories of the host's share spans (union over its calls). */
  categories: string[];
  /** Must not be reported for this host (e.g. a value that only left as a derived bracket). */
  absent?: string[];
  /** Some entry of sst.transforms must match. */
  transform?: RegExp;
}

export function assertCleanExit(exit: ExitInfo): void {
  assert.equal(exit.hung, false, `the app did not exit within ${EXIT_DEADLINE_MS} ms of SIGTERM`);
  assert.equal(exit.code, 0, `exit code ${exit.code} signal ${exit.signal}; stderr:\n${exit.stderr.slice(-2000)}`);
  assert.ok(exit.ms <= EXIT_DEADLINE_MS, `exit took ${exit.ms} ms`);
}

/** §7: no trace context or baggage to third parties (first-party hosts may receive it). */
export function assertNoContextHeadersToThirdParties(fakes: FakeVendors, firstParty: readonly string[]): void {
  const offenders: string[] = [];
  for (const r of fakes.requests) {
    if (firstParty.includes(r.host)) continue;
    // host and method only: paths can carry personal values
    for (const h of CONTEXT_HEADERS) if (r.headers[h] !== undefined) offenders.push(`${h} -> ${r.method} ${r.host}`);
  }
  assert.deepEqual(offenders, [], 'context headers sent to third parties');
}

/** §3: no raw value or unkeyed hash of the people in anything exported or spooled. */
export function assertNoLeaks(app: RunningApp, people: readonly Person[]): void {
  const hits = findLeaks(leakNeedles(people), app.leakSources());
  assert.equal(hits.length, 0, `personal data leaked:\n${describeLeaks(hits)}`);
}

/** The instrumentation exported something at all (otherwise every other check is vacuous). */
export function assertExported(spans: readonly FlatSpan[]): void {
  assert.ok(spans.length > 0, 'no spans reached the OTLP receiver');
}

export function assertCollect(span: FlatSpan | undefined, categories: readonly string[], fingerprints: readonly string[]): void {
  assert.ok(span, 'no SERVER span for the collecting request');
  assert.equal(span.kind, SPAN_KIND.SERVER);
  assert.equal(span.attributes['sst.flow'], 'collect', `SERVER span without sst.flow=collect: ${sstKeys(span).join(',') || 'no sst.* attributes'}`);
  const cats = strings(span.attributes['sst.categories']);
  for (const c of categories) assert.ok(cats.includes(c), `collect sst.categories ${JSON.stringify(cats)} lacks ${c}`);
  assert.deepEqual(cats, [...cats].sort(), 'sst.categories is sorted (§2)');
  const fps = strings(span.attributes['sst.fingerprints']);
  for (const fp of fingerprints) assert.ok(fps.includes(fp), `collect sst.fingerprints lacks the contract id ${fp} (§3)`);
  assert.ok(span.events.some((e) => e.name === 'sst.tag'), 'collect span has no sst.tag events (§6)');
}

export function assertShare(spans: readonly FlatSpan[], exp: ShareExpectation): FlatSpan[] {
  const found = shareSpansTo(spans, exp.host);
  assert.ok(found.length > 0, `no share span for ${exp.host}; spans:\n${describeSpans(spans)}`);
  for (const s of found) {
    assert.equal(s.kind, SPAN_KIND.CLIENT);
    assert.equal(s.attributes['sst.destination.host'], exp.host);
    if (exp.vendor) assert.equal(s.attributes['sst.destination.vendor'], exp.vendor, `${exp.host} vendor`);
    if (exp.kind) assert.equal(s.attributes['sst.destination.kind'], exp.kind, `${exp.host} kind`);
    assert.equal(s.attributes['sst.destination.third_party'], exp.thirdParty, `${exp.host} third_party`);
    assert.ok(s.events.some((e) => e.name === 'sst.match'), `${exp.host}: share span without sst.match events (§6)`);
  }
  const cats = union(found, 'sst.categories');
  for (const c of exp.categories) assert.ok(cats.has(c), `${exp.host}: sst.categories ${JSON.stringify([...cats])} lacks ${c}`);
  for (const c of exp.absent ?? []) assert.ok(!cats.has(c), `${exp.host}: ${c} reported but it never left the app`);
  if (exp.transform) {
    const transforms = [...union(found, 'sst.transforms')];
    assert.ok(transforms.some((t) => exp.transform!.test(t)), `${exp.host}: sst.transforms ${JSON.stringify(transforms)} has nothing matching ${exp.transform}`);
  }
  return found;
}

/**
 * Linked (§3, §6): every fingerprint a share span reports was collected, and under the same
 * category (sst.match pairs ⊆ sst.tag pairs).
 */
export function assertLinked(spans: readonly FlatSpan[], collectSpans: readonly FlatSpan[]): void {
  const collected = union(collectSpans, 'sst.fingerprints');
  const tagged = eventPairs(collectSpans, 'sst.tag');
  for (const s of spans.filter(isShare)) {
    const host = hostOf(s);
    for (const fp of strings(s.attributes['sst.fingerprints'])) {
      assert.ok(collected.has(fp), `${host}: share fingerprint ${fp} was never collected`);
    }
    for (const pair of eventPairs([s], 'sst.match')) {
      assert.ok(tagged.has(pair), `${host}: sst.match ${pair} has no sst.tag with the same category and fingerprint`);
    }
  }
}

/** A host that received nothing personal: its CLIENT span exists and carries no sst.* attribute. */
export function assertNotShared(spans: readonly FlatSpan[], host: string): void {
  const calls = spans.filter((s) => s.kind === SPAN_KIND.CLIENT && hostOf(s) === host);
  assert.ok(calls.length > 0, `no CLIENT span for ${host}: the negative check would be vacuous`);
  for (const s of calls) assert.deepEqual(sstKeys(s), [], `${host} carries sst.* attributes though nothing personal was sent`);
}
