// The flow layout drawn as inline SVG: bands first (under the nodes), then nodes with their labels.
// Every text comes from spans and goes through `html`; tooltips are SVG <title> elements, which
// need no script. data-* attributes name nodes and bands for tests and for readers of the source.
import { cut, html, type SafeHtml } from './escape';
import { bandPath, formatCount, nodeLabel, type FlowLayout, type LayoutNode } from './flow-layout';

/** Band and node colours by destination kind (third parties in warm colours). */
const KIND_COLOR: Record<string, string> = {
  advertising: '#d9480f', analytics: '#1971c2', cdp: '#7048e8', crm: '#0c8599', email: '#c2255c', sms: '#c2255c',
  llm: '#9c36b5', payments: '#2b8a3e', support: '#0c8599', observability: '#5c940d', internal: '#495057',
  database: '#868e96', other: '#adb5bd', unknown: '#e67700',
};
const FIRST_PARTY = '#2f9e44';

export function kindColor(kind: string, thirdParty: boolean): string {
  if (kind === 'database' || kind === 'other') return KIND_COLOR[kind];
  if (!thirdParty) return FIRST_PARTY;
  return KIND_COLOR[kind] ?? KIND_COLOR.unknown;
}

const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

function nodeTitle(n: LayoutNode, unit: string): string {
  const head = nodeLabel(n);
  const parts = [`${head}: ${formatCount(n.value)} ${unit}`];
  if (n.side === 'right' && !n.other && n.kind !== 'database') parts.push(n.thirdParty ? 'third party' : 'first party');
  if (n.other) parts.push(`includes ${n.members.join(', ')}${n.memberCount > n.members.length ? ', …' : ''}`);
  return parts.join(' · ');
}

export function flowSvg(layout: FlowLayout, maxLabelChars = 34): SafeHtml {
  const unit = layout.weight === 'subjects' ? 'subjects' : 'spans';
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const bands = layout.bands.map((b) => {
    const s = byId.get(b.source)!;
    const t = byId.get(b.target)!;
    const title = `${nodeLabel(s)} → ${nodeLabel(t)}: ${formatCount(b.spans)} spans, ${formatCount(b.subjects)} subjects`;
    return html`<path class="band" d="${bandPath(b)}" fill="${kindColor(b.kind, b.thirdParty)}" data-source="${s.name}" data-target="${nodeLabel(t)}" data-value="${b.value}" data-width="${n1(b.width)}"><title>${title}</title></path>`;
  });
  const nodes = layout.nodes.map((n) => {
    const label = nodeLabel(n);
    const text = cut(label, maxLabelChars);
    const left = n.side === 'left';
    const tx = left ? n.x - 6 : n.x + n.width + 6;
    const ty = n.y + n.height / 2;
    const fill = left ? '#343a40' : kindColor(n.other ? 'other' : n.kind, n.thirdParty);
    const role = left ? 'category' : n.kind === 'database' ? 'stored' : 'destination';
    const other = n.other ? html` data-other="${n.memberCount}"` : '';
    return html`<g class="node ${role}" data-node="${role}" data-name="${n.name}" data-value="${n.value}"${other}><title>${nodeTitle(n, unit)}</title><rect x="${n1(n.x)}" y="${n1(n.y)}" width="${n.width}" height="${n1(n.height)}" rx="2" fill="${fill}"/><text x="${n1(tx)}" y="${n1(ty)}" text-anchor="${left ? 'end' : 'start'}" dominant-baseline="middle">${text} <tspan class="count">${formatCount(n.value)}</tspan></text></g>`;
  });
  return html`<svg class="flow" role="img" aria-label="Personal data categories and where they go" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" xmlns="http://www.w3.org/2000/svg"><g class="bands">${bands}</g><g class="nodes">${nodes}</g></svg>`;
}
