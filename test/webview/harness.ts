// A real Chromium serving the webview bundle the way VS Code does: the panel HTML from the extension's own
// builder (same CSP), scripts and styles from a fake webview origin, acquireVsCodeApi stubbed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildPanelHtml } from '../../client/src/training/html';
import type { TrainerMessage } from '../../contract/protocol';

export const chromiumPath = '/usr/bin/chromium';
export const origin = 'https://webview.skipcheck.test';

export function recordedRun(): TrainerMessage[] {
  return readFileSync(join(__dirname, 'recorded-run.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrainerMessage);
}

/** Bundles webview/src/main.ts with the options scripts/build.mjs uses, into a temp folder. */
export async function buildBundle(): Promise<{ js: string; css: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skipcheck-webview-'));
  await esbuild.build({
    entryPoints: [join(__dirname, '../../webview/src/main.ts')], outfile: join(dir, 'webview.js'),
    bundle: true, platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning',
  });
  return { js: readFileSync(join(dir, 'webview.js'), 'utf8'), css: readFileSync(join(dir, 'webview.css'), 'utf8') };
}

export async function launch(): Promise<Browser | undefined> {
  if (!existsSync(chromiumPath)) return undefined;
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export interface PanelPageOptions {
  bundle: { js: string; css: string };
  restored?: boolean;
  /** What getState() returns, as VS Code would after a reload. */
  savedState?: unknown;
  colorScheme?: 'light' | 'dark';
  /** Variables VS Code sets on <html>, e.g. a dark theme's. */
  vscodeVars?: Record<string, string>;
  bodyClass?: string;
  /** Serve this page instead of the panel HTML, without acquireVsCodeApi (the stand-alone report). */
  reportHtml?: string;
}

/** Collected in the page: what was posted to the extension, the last setState, CSP violations. */
export interface PageProbe {
  posted: unknown[];
  state: unknown;
  csp: string[];
}

export async function openPanel(browser: Browser, o: PanelPageOptions): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 }, colorScheme: o.colorScheme ?? 'light' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  pageErrors.set(page, errors);
  // A string, not a function: tsx's keepNames would reference its __name helper, which the page lacks.
  const setup = JSON.stringify({ saved: o.savedState ?? null, vars: o.vscodeVars ?? {}, bodyClass: o.bodyClass ?? '', stub: o.reportHtml === undefined });
  await page.addInitScript(`(() => {
    const { saved, vars, bodyClass, stub } = ${setup};
    window.__probe = { posted: [], state: saved ?? undefined, csp: [] };
    document.addEventListener('securitypolicyviolation', (e) => window.__probe.csp.push(e.violatedDirective + ' ' + e.blockedURI));
    let acquired = false;
    if (stub) window.acquireVsCodeApi = function () {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage(m) { window.__probe.posted.push(m); },
        getState() { return window.__probe.state; },
        setState(s) { window.__probe.state = JSON.parse(JSON.stringify(s)); },
      };
    };
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      if (bodyClass) document.body.classList.add(bodyClass);
    });
  })();`);
  const html = o.reportHtml ?? buildPanelHtml({
    cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css`,
    nonce: 'dGVzdC1ub25jZS0xMjM0', title: 'Train resnet20', restored: o.restored,
  });
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/panel.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/dist/webview.js') return route.fulfill({ contentType: 'text/javascript', body: o.bundle.js });
    if (path === '/dist/webview.css') return route.fulfill({ contentType: 'text/css', body: o.bundle.css });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${origin}/panel.html`);
  await page.waitForSelector('.sc-view');
  return page;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Uncaught exceptions and console errors of a page opened by openPanel. */
export function hostErrors(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

export async function probe(page: Page): Promise<PageProbe> {
  return page.evaluate(() => (window as unknown as { __probe: PageProbe }).__probe);
}

/** Delivers messages the way VS Code does: as window 'message' events. */
export async function post(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate((ms) => { for (const m of ms) window.postMessage(m, '*'); }, messages);
  // Message events are queued tasks and drawing waits for an animation frame.
  await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 0)));
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Pixels that are not fully transparent (uPlot's canvas has no background fill). */
  painted: number;
  /** Pixels within a small distance of the given CSS colour. */
  matching: number;
}

/** Reads the pixels of the chart canvas in `selector`, counting those close to `color` (any CSS colour). */
export async function canvasStats(page: Page, selector: string, color: string): Promise<CanvasStats> {
  return page.evaluate(({ selector, color }) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${selector} canvas`);
    if (!canvas) throw new Error(`no canvas in ${selector}`);
    const probeCtx = document.createElement('canvas').getContext('2d')!;
    probeCtx.fillStyle = color;
    probeCtx.fillRect(0, 0, 1, 1);
    const [r, g, b] = probeCtx.getImageData(0, 0, 1, 1).data;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0, matching = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      painted++;
      if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) matching++;
    }
    return { width: canvas.width, height: canvas.height, painted, matching };
  }, { selector, color });
}

/** Distinct colours in a PNG, decoded by the browser itself (no image library needed in Node). */
export async function distinctColours(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
}
