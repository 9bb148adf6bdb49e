// Span data is attacker-controlled; the report's templates must never turn it into markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cut, escapeHtml, html, raw } from './escape';
import type { HtmlReportModel } from './model';
import { renderReport } from './templates';

test('escapeHtml: the five specials, backtick, control characters and lone surrogates', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&\`</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  assert.equal(escapeHtml('a\u0000b\u001bc\td\ne'), 'a\ufffdb\ufffdc\td\ne');
  assert.equal(escapeHtml('x\ud800y\udc00z😀'), 'x\ufffdy\ufffdz😀');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(42), '42');
});

test('html tag: values escaped once, SafeHtml kept, arrays joined, false/null dropped, 0 kept', () => {
  const inner = html`<b>${'<i>'}</b>`;
  assert.equal(html`<p title="${'"x"'}">${inner}${['<', html`<br>`]}${null}${undefined}${false}${0}</p>`.text,
    '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br>0</p>');
  assert.equal(html`${raw('<hr>')}`.text, '<hr>');
  // A plain string that looks like markup is still escaped (only SafeHtml passes).
  assert.equal(html`${'<hr>'}`.text, '&lt;hr&gt;');
  assert.equal(cut('abcdef', 4), 'abc…');
  assert.equal(cut('abc', 4), 'abc');
});

const H = `"'><script>window.__pwned=1</script><img src=x onerror=alert(1)>&amp;`;

function hostileModel(): HtmlReportModel {
  const when = '2026-11-20T12:00:00.000Z';
  const b = <T>(rows: T[]): { rows: T[]; total: number } => ({ rows, total: rows.length + 5 });
  return {
    generatedAt: when, store: H,
    totals: { spans: 1, sstSpans: 1, collect: 1, store: 1, load: 1, share: 1, thirdPartyShares: 1, detectionErrors: 1, services: [H], firstSeen: when, lastSeen: when },
    summary: { subjects: 1, categoriesCollected: [H], categoriesStored: [H], thirdParties: 1, shareSpans: 1, thirdPartyShareSpans: 1, detectionErrors: 1, truncated: 1, truncatedByFlow: { collect: 1 } },
    edges: b([
      { category: H, flow: 'share', destination: H, kind: H, thirdParty: true, spans: 2, subjects: 1 },
      { category: H, flow: 'store', destination: H, kind: 'database', thirdParty: false, spans: 1, subjects: 1 },
    ]),
    shares: b([{ vendor: H, host: H, kind: H, thirdParty: true, categories: [H], transforms: [H], services: [H], subjects: 1, spans: 1, firstSeen: when, lastSeen: when }]),
    fields: b([
      { flow: 'collect', service: H, target: H, category: H, fields: [H], spans: 1, subjects: 1 },
      { flow: 'store', service: H, target: H, category: H, fields: [H], spans: 1, subjects: 1 },
    ]),
    subjects: [{ fingerprint: H, picked: 'requested', destinations: 1, steps: b([
      { flow: H, service: H, target: H, vendor: H, kind: H, thirdParty: true, categories: [H], fields: [H], transforms: [H], spans: 1, firstSeen: when, lastSeen: when },
      { flow: 'share', service: H, target: H, vendor: H, kind: H, thirdParty: true, categories: [H], fields: [H], transforms: [H], spans: 1, firstSeen: when, lastSeen: when },
    ]) }],
    errors: b([{ message: H, spans: 1, services: [H], firstSeen: when, lastSeen: when }]),
  };
}

test('the whole page: a hostile value in every string field appears only escaped', () => {
  const page = renderReport(hostileModel());
  assert.ok(!page.includes('<script'), 'no script element');
  assert.ok(!page.includes('<img'), 'no img element');
  assert.ok(!page.includes(`"'>`), 'no attribute break-out');
  assert.ok(page.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;'), 'shown as text');
  // `&amp;` in the data is shown as the five characters, not as `&`.
  assert.ok(page.includes('&amp;amp;'));
  // Every "N more not shown" line is there.
  assert.match(page, /5 more destinations not shown/);
  assert.match(page, /5 more messages not shown/);
  assert.match(page, /5 more steps not shown/);
  assert.match(page, /Content-Security-Policy" content="default-src &#39;none&#39;/);
});
