#!/usr/bin/env node
// Renders an HTML report (`sst report --html FILE`) in headless Chromium and saves a full-page PNG
// (or its first --height pixels: the README shows the summary and the flow diagram) through the same code as the report's browser test (dist/cli/report-html/browser.js:
// run `npm run build` first). Fails when the page logs errors or requests anything.
//   node scripts/report-screenshot.mjs [REPORT.html (default .sst/report.html)] [--out docs/report.png] [--width 1280] [--height 1100 | --full]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const out = resolve(opt('--out', join(root, 'docs', 'report.png')));
const width = Number(opt('--width', '1280'));
const fullAt = args.indexOf('--full');
if (fullAt >= 0) args.splice(fullAt, 1);
const height = fullAt >= 0 ? undefined : Number(opt('--height', '1100'));
const html = resolve(args[0] ?? '.sst/report.html');

const helper = join(root, 'dist', 'cli', 'report-html', 'browser.js');
if (!existsSync(helper)) { console.error(`report-screenshot: ${helper} is missing; run \`npm run build\` first`); process.exit(2); }
if (!existsSync(html)) { console.error(`report-screenshot: no report at ${html}; write one with \`sst report --html ${args[0] ?? '.sst/report.html'}\``); process.exit(2); }
const { chromiumMissing, visitReport } = createRequire(import.meta.url)(helper);
const missing = chromiumMissing();
if (missing) { console.error(`report-screenshot: ${missing}`); process.exit(2); }

const visit = await visitReport(html, async () => undefined, { screenshot: out, width, height });
const stray = visit.requests.filter((u) => u !== pathToFileURL(html).href);
const problems = [...visit.consoleErrors.map((e) => `console error: ${e}`), ...visit.pageErrors.map((e) => `page error: ${e}`), ...stray.map((u) => `request: ${u}`)];
if (problems.length) { console.error(`report-screenshot: the page is not clean:\n  ${problems.join('\n  ')}`); process.exit(1); }
console.log(`wrote ${visit.screenshot}`);
