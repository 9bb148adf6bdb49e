// The flow diagram's geometry: nodes never overlap and keep a label line each, band thickness is
// one scale × weight everywhere, weights are conserved when nodes are merged into "other", and
// the database node is kept whatever else is merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FlowEdge } from '../../clickhouse/report-queries';
import { bandPath, formatCount, layoutFlows, nodeLabel, OTHER_LEFT, OTHER_RIGHT, STORED_ID, type FlowLayout } from './flow-layout';

const share = (category: string, destination: string, spans: number, kind = 'advertising', thirdParty = true, subjects = 1): FlowEdge =>
  ({ category, flow: 'share', destination, kind, thirdParty, spans, subjects });
const store = (category: string, spans: number): FlowEdge =>
  ({ category, flow: 'store', destination: 'postgresql/app/users', kind: 'database', thirdParty: false, spans, subjects: 1 });

const EPS = 1e-6;

function checkGeometry(l: FlowLayout, minNodeHeight = 20): void {
  for (const side of ['left', 'right'] as const) {
    const col = l.nodes.filter((n) => n.side === side).sort((a, b) => a.y - b.y);
    for (const n of col) {
      assert.ok(n.height >= minNodeHeight - EPS, `${n.id} too short for its label`);
      assert.ok(n.y >= -EPS && n.y + n.height <= l.height + EPS, `${n.id} outside the picture`);
    }
    for (let i = 1; i < col.length; i++) assert.ok(col[i - 1].y + col[i - 1].height <= col[i].y + EPS, `${col[i - 1].id} overlaps ${col[i].id}`);
  }
  const byId = new Map(l.nodes.map((n) => [n.id, n]));
  for (const b of l.bands) {
    assert.ok(Math.abs(b.width - b.value * l.scale) < EPS, 'band width = value × scale');
    const s = byId.get(b.source)!;
    const t = byId.get(b.target)!;
    assert.ok(b.sy >= s.y - EPS && b.sy + b.width <= s.y + s.height + EPS, `band leaves ${s.id} inside it`);
    assert.ok(b.ty >= t.y - EPS && b.ty + b.width <= t.y + t.height + EPS, `band enters ${t.id} inside it`);
  }
  // Bands of one node do not overlap each other at that node.
  for (const n of l.nodes) {
    const ys = l.bands.filter((b) => b.source === n.id).map((b) => [b.sy, b.sy + b.width])
      .concat(l.bands.filter((b) => b.target === n.id).map((b) => [b.ty, b.ty + b.width]))
      .sort((a, b) => a[0] - b[0]);
    const side = n.side === 'left' ? l.bands.filter((b) => b.source === n.id).length : l.bands.filter((b) => b.target === n.id).length;
    const mine = n.side === 'left' ? ys.slice(0, side) : ys;
    for (let i = 1; i < mine.length; i++) assert.ok(mine[i - 1][1] <= mine[i][0] + EPS, `bands overlap at ${n.id}`);
  }
  // Labels fit in the picture (estimated width, as the layout reserves it).
  const o = { charWidth: 7, maxLabelChars: 34 };
  for (const n of l.nodes.filter((x) => x.side === 'right')) {
    const chars = Math.min(o.maxLabelChars, [...nodeLabel(n)].length) + 1 + formatCount(n.value).length;
    assert.ok(n.x + n.width + 6 + chars * o.charWidth <= l.width + EPS, `label of ${n.id} cut off`);
  }
  for (const n of l.nodes.filter((x) => x.side === 'left')) {
    const chars = Math.min(o.maxLabelChars, [...nodeLabel(n)].length) + 1 + formatCount(n.value).length;
    assert.ok(n.x - 6 - chars * o.charWidth >= -EPS, `label of ${n.id} cut off`);
  }
}

test('one node per category and destination, one band per pair, widths proportional to spans', () => {
  const l = layoutFlows([share('email', 'meta', 30), share('phone', 'meta', 20), share('email', 'openai', 10, 'llm'), store('email', 40), store('name', 5)]);
  assert.deepEqual(l.nodes.filter((n) => n.side === 'left').map((n) => [n.name, n.value]), [['email', 80], ['phone', 20], ['name', 5]]);
  // Third parties by weight, the database last.
  assert.deepEqual(l.nodes.filter((n) => n.side === 'right').map((n) => [n.id, n.value]), [['r:meta\u0000advertising\u00001', 50], ['r:openai\u0000llm\u00001', 10], [STORED_ID, 45]]);
  assert.equal(l.bands.length, 5);
  const w = (s: string, t: string): number => l.bands.find((b) => b.source === `l:${s}` && b.target.startsWith(t))!.width;
  assert.ok(Math.abs(w('email', 'r:meta') / w('phone', 'r:meta') - 30 / 20) < 1e-9);
  assert.ok(Math.abs(w('email', STORED_ID) / w('email', 'r:openai') - 4) < 1e-9);
  checkGeometry(l);
  assert.match(bandPath(l.bands[0]), /^M[\d.]+,[\d.]+C.+L.+C.+Z$/);
});

test('weights by subjects when asked', () => {
  const l = layoutFlows([share('email', 'meta', 100, 'advertising', true, 7), share('email', 'ga4', 100, 'analytics', true, 1)], { weight: 'subjects' });
  assert.equal(l.weight, 'subjects');
  assert.deepEqual(l.bands.map((b) => b.value).sort(), [1, 7]);
});

test('beyond 20 categories and 25 destinations the lightest merge into "other"; weights are conserved; the database stays', () => {
  const edges: FlowEdge[] = [];
  for (let c = 0; c < 30; c++) for (let d = 0; d < 40; d++) if ((c * 7 + d * 3) % 5 === 0) edges.push(share(`cat${c}`, `vendor-${d}.example`, 1 + ((c * d) % 13), d % 2 ? 'analytics' : 'advertising', d % 3 !== 0));
  edges.push(store('cat0', 1));
  const l = layoutFlows(edges);
  const left = l.nodes.filter((n) => n.side === 'left');
  const right = l.nodes.filter((n) => n.side === 'right');
  assert.equal(left.length, 20);
  assert.equal(right.length, 25);
  assert.ok(left.some((n) => n.id === OTHER_LEFT && n.memberCount === 30 - 19));
  const other = right.find((n) => n.id === OTHER_RIGHT)!;
  assert.equal(other.memberCount, 40 + 1 - 24);
  assert.ok(other.members.length <= 12);
  assert.equal(right.at(-1)!.id, STORED_ID);
  const total = edges.reduce((a, e) => a + e.spans, 0);
  assert.equal(l.bands.reduce((a, b) => a + b.value, 0), total);
  assert.equal(left.reduce((a, n) => a + n.value, 0), total);
  assert.equal(right.reduce((a, n) => a + n.value, 0), total);
  checkGeometry(l);
});

test('random inputs: no overlaps, proportional bands, every label its own line (property)', () => {
  const edge = fc.record({
    c: fc.integer({ min: 0, max: 35 }), d: fc.integer({ min: 0, max: 50 }),
    spans: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1_000_000 })),
    store: fc.boolean(), tp: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(edge, { minLength: 1, maxLength: 300 }), (es) => {
    const edges = es.map((e) => (e.store && e.d % 4 === 0 ? store(`c${e.c}`, e.spans) : share(`c${e.c}`, `d${e.d}-${'x'.repeat(e.d)}`, e.spans, 'cdp', e.tp)));
    const l = layoutFlows(edges);
    assert.ok(l.nodes.filter((n) => n.side === 'left').length <= 20);
    assert.ok(l.nodes.filter((n) => n.side === 'right').length <= 25);
    assert.equal(l.bands.reduce((a, b) => a + b.value, 0), edges.reduce((a, e) => a + e.spans, 0));
    checkGeometry(l);
  }), { numRuns: 150 });
});

test('nothing to draw gives an empty layout', () => {
  const l = layoutFlows([]);
  assert.deepEqual([l.nodes.length, l.bands.length], [0, 0]);
  assert.equal(layoutFlows([share('email', 'meta', 0)]).bands.length, 0);
});
