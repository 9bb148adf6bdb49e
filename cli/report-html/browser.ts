// Opens a report file in a real headless Chromium (playwright-core, the system's Chromium) and
// records everything that would betray a broken page: console errors, uncaught page errors and
// every request the page makes. Used by the browser test and by scripts/report-screenshot.mjs, so
// the README's screenshot is taken exactly the way the test looks at the page.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_PATH = process.env.SST_CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Why the browser cannot run here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SST_CHROMIUM_PATH)`;
  try {
    require.resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed';
  }
  return undefined;
}

// Only the types the callers use, so this module compiles without playwright's typings in scope.
export interface PageLike {
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<R>;
  evaluate<R>(fn: () => R): Promise<R>;
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  textContent(sel: string): Promise<string | null>;
  locator(sel: string): { count(): Promise<number> };
}

export interface PageVisit<T> {
  /** What `inspect` returned. */
  result: T;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every URL the page requested (the report itself is the only file:// one expected). */
  requests: string[];
  screenshot?: string;
}

export interface VisitOptions {
  /** Write a PNG here: the whole page, or only the first `height` pixels when given. */
  screenshot?: string;
  width?: number;
  height?: number;
}

interface BrowserLike {
  newContext(o: object): Promise<{ newPage(): Promise<PageLike & { on(ev: string, fn: (x: never) => void): void; goto(url: string, o: object): Promise<unknown> }>; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** Loads `htmlFile` with networking forbidden to nothing (so the test can see any attempt), runs
 *  `inspect` on the page, optionally takes a screenshot, and closes the browser. */
export async function visitReport<T>(htmlFile: string, inspect: (page: PageLike) => Promise<T>, opts: VisitOptions = {}): Promise<PageVisit<T>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as { chromium: { launch(o: object): Promise<BrowserLike> } };
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, javaScriptEnabled: true, offline: true });
    const page = await context.newPage();
    page.on('console', (m: never) => {
      const msg = m as { type(): string; text(): string };
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (e: never) => { pageErrors.push(String((e as Error).message ?? e)); });
    page.on('request', (r: never) => { requests.push((r as { url(): string }).url()); });
    await page.goto(pathToFileURL(resolve(htmlFile)).href, { waitUntil: 'load' });
    const result = await inspect(page);
    let shot: string | undefined;
    if (opts.screenshot) {
      shot = resolve(opts.screenshot);
      mkdirSync(dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: opts.height === undefined });
    }
    await context.close();
    return { result, consoleErrors, pageErrors, requests, screenshot: shot };
  } finally {
    await browser.close();
  }
}
