// The flow diagram's geometry, computed here rather than in the browser (the page has no script):
// categories in a left column, destinations in a right column, one band per category ×
// destination whose thickness is proportional to its weight. One scale (px per unit) serves every
// band and node, so thicknesses compare across the whole picture. Nodes get a minimum height so
// each label has its own line; beyond `maxLeft` / `maxRight` nodes the lightest are merged into
// one "other" node, which keeps the picture readable for any store.
import type { FlowEdge } from '../../clickhouse/report-queries';

export type Weight = 'spans' | 'subjects';

export interface LayoutOptions {
  maxLeft?: number;
  maxRight?: number;
  weight?: Weight;
  width?: number;
  /** Minimum node height: one label line. */
  minNodeHeight?: number;
  nodeGap?: number;
  nodeWidth?: number;
  /** Pixels per character for label-width estimates (12px sans). */
  charWidth?: number;
  /** Longest label kept, in characters (the full text goes in a tooltip). */
  maxLabelChars?: number;
}

export interface LayoutNode {
  id: string;
  side: 'left' | 'right';
  /** Category, vendor/host, or `stored`. */
  name: string;
  /** Destination kind (`advertising`, `llm`, …), `database` for the stored node, `` for categories. */
  kind: string;
  thirdParty: boolean;
  /** The merged "other" node: the names it stands for (up to a few). */
  other: boolean;
  members: string[];
  memberCount: number;
  value: number;
  spans: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutBand {
  source: string;
  target: string;
  value: number;
  spans: number;
  subjects: number;
  /** Thickness in px: value × scale. */
  width: number;
  /** Top of the band where it leaves the source and enters the target. */
  sy: number;
  ty: number;
  x0: number;
  x1: number;
  kind: string;
  thirdParty: boolean;
}

export interface FlowLayout {
  width: number;
  height: number;
  /** px per unit of weight. */
  scale: number;
  weight: Weight;
  nodes: LayoutNode[];
  bands: LayoutBand[];
  leftLabelWidth: number;
  rightLabelWidth: number;
}

const DEFAULTS = { maxLeft: 20, maxRight: 25, width: 1120, minNodeHeight: 20, nodeGap: 8, nodeWidth: 14, charWidth: 7, maxLabelChars: 34 };
const PAD = 12;
export const STORED_ID = 'r:stored';
export const OTHER_LEFT = 'l:other';
export const OTHER_RIGHT = 'r:other';

interface Agg { id: string; name: string; kind: string; thirdParty: boolean; value: number; spans: number; stored: boolean }

const rightId = (e: FlowEdge): string => (e.flow === 'store' ? STORED_ID : `r:${e.destination}\u0000${e.kind}\u0000${e.thirdParty ? 1 : 0}`);

/** The weight of an edge; a share with no subject recorded still counts by its spans. */
function weightOf(e: FlowEdge, w: Weight): number {
  return w === 'subjects' ? e.subjects : e.spans;
}

/** Keeps the `max` heaviest (ties by name), merging the rest into one node. `pinned` is always kept. */
function keep(nodes: Agg[], max: number, pinned?: string): { kept: Set<string>; merged: Agg[] } {
  const sorted = [...nodes].sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
  if (sorted.length <= max) return { kept: new Set(sorted.map((n) => n.id)), merged: [] };
  const kept = new Set<string>();
  const pin = sorted.find((n) => n.id === pinned);
  if (pin) kept.add(pin.id);
  for (const n of sorted) if (kept.size < max - 1 && n.id !== pinned) kept.add(n.id);
  return { kept, merged: sorted.filter((n) => !kept.has(n.id)) };
}

/** Largest scale with Σ max(minH, v·k) + gaps ≤ avail (bisection: the sum grows with k). */
function fitScale(values: number[], avail: number, minH: number, gap: number): number {
  const room = avail - gap * Math.max(0, values.length - 1);
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0 || room <= 0) return 0;
  const used = (k: number): number => values.reduce((a, v) => a + Math.max(minH, v * k), 0);
  let lo = 0;
  let hi = room / total;
  if (used(hi) <= room) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (used(mid) <= room) lo = mid; else hi = mid;
  }
  return lo;
}

/** Counts as shown on the page: 375,000. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Room for the longest label as drawn: the text (cut at maxLabelChars), a space, the count. */
function labelWidth(ns: LayoutNode[], o: typeof DEFAULTS): number {
  const chars = Math.max(4, ...ns.map((n) => Math.min(o.maxLabelChars, [...nodeLabel(n)].length) + 1 + formatCount(n.value).length));
  return chars * o.charWidth + 16;
}

export function nodeLabel(n: Pick<LayoutNode, 'side' | 'name' | 'kind' | 'other' | 'memberCount' | 'value'>): string {
  if (n.other) return `${n.side === 'left' ? 'other categories' : 'other destinations'} (${n.memberCount})`;
  if (n.side === 'left') return n.name;
  if (n.kind === 'database') return 'stored in databases';
  return n.kind && n.kind !== 'unknown' ? `${n.name} · ${n.kind}` : n.name;
}

export function layoutFlows(edges: readonly FlowEdge[], options: LayoutOptions = {}): FlowLayout {
  const o = { ...DEFAULTS, ...options };
  const weight: Weight = options.weight ?? 'spans';
  const left = new Map<string, Agg>();
  const right = new Map<string, Agg>();
  for (const e of edges) {
    const v = weightOf(e, weight);
    if (v <= 0) continue;
    const lid = `l:${e.category}`;
    const l = left.get(lid) ?? { id: lid, name: e.category, kind: '', thirdParty: false, value: 0, spans: 0, stored: false };
    l.value += v; l.spans += e.spans; left.set(lid, l);
    const rid = rightId(e);
    const r = right.get(rid) ?? { id: rid, name: e.flow === 'store' ? 'stored' : e.destination, kind: e.kind, thirdParty: e.thirdParty, value: 0, spans: 0, stored: e.flow === 'store' };
    r.value += v; r.spans += e.spans; right.set(rid, r);
  }
  const L = keep([...left.values()], Math.max(2, o.maxLeft));
  const R = keep([...right.values()], Math.max(2, o.maxRight), STORED_ID);

  // Bands between the kept (or merged) nodes.
  const bandMap = new Map<string, { source: string; target: string; value: number; spans: number; subjects: number; kind: string; thirdParty: boolean }>();
  for (const e of edges) {
    const v = weightOf(e, weight);
    if (v <= 0) continue;
    const s = L.kept.has(`l:${e.category}`) ? `l:${e.category}` : OTHER_LEFT;
    const rid = rightId(e);
    const t = R.kept.has(rid) ? rid : OTHER_RIGHT;
    const key = `${s}\u0001${t}`;
    const b = bandMap.get(key) ?? { source: s, target: t, value: 0, spans: 0, subjects: 0, kind: t === OTHER_RIGHT ? 'other' : e.kind, thirdParty: t !== OTHER_RIGHT && e.thirdParty };
    b.value += v; b.spans += e.spans; b.subjects += e.subjects;
    bandMap.set(key, b);
  }

  const mkNodes = (side: 'left' | 'right', all: Map<string, Agg>, k: { kept: Set<string>; merged: Agg[] }): LayoutNode[] => {
    const out: LayoutNode[] = [...all.values()].filter((a) => k.kept.has(a.id)).map((a) => ({
      id: a.id, side, name: a.name, kind: a.kind, thirdParty: a.thirdParty, other: false, members: [], memberCount: 0,
      value: a.value, spans: a.spans, x: 0, y: 0, width: o.nodeWidth, height: 0,
    }));
    // Heaviest first; on the right third parties before first party, the database last.
    out.sort((a, b) => (side === 'right' ? Number(a.id === STORED_ID) - Number(b.id === STORED_ID) || Number(b.thirdParty) - Number(a.thirdParty) : 0)
      || b.value - a.value || a.name.localeCompare(b.name));
    if (k.merged.length) {
      const other: LayoutNode = {
        id: side === 'left' ? OTHER_LEFT : OTHER_RIGHT, side, name: 'other', kind: 'other', thirdParty: false, other: true,
        members: k.merged.slice(0, 12).map((m) => nodeLabel({ side, name: m.name, kind: m.kind, other: false, memberCount: 0, value: m.value })),
        memberCount: k.merged.length, value: k.merged.reduce((a, m) => a + m.value, 0), spans: k.merged.reduce((a, m) => a + m.spans, 0),
        x: 0, y: 0, width: o.nodeWidth, height: 0,
      };
      const stored = out.findIndex((n) => n.id === STORED_ID);
      if (stored >= 0) out.splice(stored, 0, other); else out.push(other);
    }
    return out;
  };
  const lefts = mkNodes('left', left, L);
  const rights = mkNodes('right', right, R);

  const leftLabelWidth = labelWidth(lefts, o);
  const rightLabelWidth = labelWidth(rights, o);
  const rows = Math.max(lefts.length, rights.length, 1);
  const height = Math.max(200, Math.ceil(rows * (o.minNodeHeight + o.nodeGap) * 1.6) + 2 * PAD);
  const width = Math.max(o.width, leftLabelWidth + rightLabelWidth + 2 * o.nodeWidth + 240);
  const avail = height - 2 * PAD;
  const scale = Math.min(
    fitScale(lefts.map((n) => n.value), avail, o.minNodeHeight, o.nodeGap),
    fitScale(rights.map((n) => n.value), avail, o.minNodeHeight, o.nodeGap),
  );

  const place = (ns: LayoutNode[], x: number): void => {
    let y = 0;
    for (const n of ns) {
      n.x = x;
      n.height = Math.max(o.minNodeHeight, n.value * scale);
      n.y = y;
      y += n.height + o.nodeGap;
    }
    const used = y - o.nodeGap;
    const off = PAD + Math.max(0, (avail - used) / 2);
    for (const n of ns) n.y += off;
  };
  const xLeft = leftLabelWidth;
  const xRight = width - rightLabelWidth - o.nodeWidth;
  place(lefts, xLeft);
  place(rights, xRight);

  // Bands leave each node in the order of the node at the other end, so they do not cross there;
  // a node taller than its bands (minimum height) has them centred.
  const index = new Map<string, number>();
  lefts.forEach((n, i) => index.set(n.id, i));
  rights.forEach((n, i) => index.set(n.id, i));
  const bands: LayoutBand[] = [...bandMap.values()].map((b) => ({
    source: b.source, target: b.target, value: b.value, spans: b.spans, subjects: b.subjects, width: b.value * scale,
    sy: 0, ty: 0, x0: xLeft + o.nodeWidth, x1: xRight, kind: b.kind, thirdParty: b.thirdParty,
  }));
  const stack = (node: LayoutNode, mine: LayoutBand[], other: (b: LayoutBand) => string, set: (b: LayoutBand, y: number) => void): void => {
    mine.sort((a, b) => index.get(other(a))! - index.get(other(b))!);
    const total = mine.reduce((a, b) => a + b.width, 0);
    let y = node.y + Math.max(0, (node.height - total) / 2);
    for (const b of mine) { set(b, y); y += b.width; }
  };
  for (const n of lefts) stack(n, bands.filter((b) => b.source === n.id), (b) => b.target, (b, y) => { b.sy = y; });
  for (const n of rights) stack(n, bands.filter((b) => b.target === n.id), (b) => b.source, (b, y) => { b.ty = y; });
  bands.sort((a, b) => index.get(a.source)! - index.get(b.source)! || index.get(a.target)! - index.get(b.target)!);
  return { width, height, scale, weight, nodes: [...lefts, ...rights], bands, leftLabelWidth, rightLabelWidth };
}

/** The SVG path of a band: two cubic curves (top and bottom edge) closed into a ribbon. */
export function bandPath(b: LayoutBand, minWidth = 1): string {
  const w = Math.max(minWidth, b.width);
  const xm = (b.x0 + b.x1) / 2;
  const f = (n: number): string => (Math.round(n * 100) / 100).toString();
  return `M${f(b.x0)},${f(b.sy)}C${f(xm)},${f(b.sy)} ${f(xm)},${f(b.ty)} ${f(b.x1)},${f(b.ty)}`
    + `L${f(b.x1)},${f(b.ty + w)}C${f(xm)},${f(b.ty + w)} ${f(xm)},${f(b.sy + w)} ${f(b.x0)},${f(b.sy + w)}Z`;
}
