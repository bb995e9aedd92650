// Drives the VS Code workbench in Chromium the way a person does: keyboard shortcuts, the Problems panel,
// the light-bulb menu, the command palette. Selectors are VS Code 1.100's (code-server 4.100.3).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM } from './install-code-server';
import { REPO } from './vsix';

const SCREENSHOTS = join(REPO, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function openWorkbench(browser: Browser, url: string, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // Keyboard shortcuts only reach the workbench once it has focus.
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `e2e-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Ctrl+P, the file name, Enter; resolves once the editor tab for it is active. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

export async function showProblems(page: Page): Promise<void> {
  // The shortcut toggles: pressed while the panel has the focus it would hide it.
  if (await page.locator('.markers-panel').isVisible()) return;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible' });
}

/** Text of every marker row in the Problems panel (file rows have no "[Ln" suffix and are left out). */
export async function problemRows(page: Page): Promise<string[]> {
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  return rows.map((r) => r.replace(/\s+/g, ' ').trim()).filter((r) => /\[Ln \d+, Col \d+\]/.test(r));
}

/** Re-checks every 250 ms until `check` holds or `timeoutMs` passes; says whether it held. */
export async function pollUntil(page: Page, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await page.waitForTimeout(250);
  }
}

/** Polls the Problems panel until `done` holds; on timeout the error lists what the panel showed. */
export async function waitForProblems(page: Page, what: string, done: (rows: string[]) => boolean, timeoutMs: number): Promise<string[]> {
  let rows: string[] = [];
  if (await pollUntil(page, async () => done(rows = await problemRows(page)), timeoutMs)) return rows;
  throw new Error(`Problems panel: ${what} not seen within ${timeoutMs / 1000} s; it shows ${rows.length ? rows.map((r) => `\n  ${r}`).join('') : 'nothing'}`);
}

/** The shape hints the editor shows (injected text such as "[null,8,8,8]"), top to bottom. */
export async function shownShapeHints(page: Page): Promise<string[]> {
  const lines = await page.locator('.monaco-editor .view-lines .view-line').evaluateAll((els) =>
    els.map((el) => ({ top: parseFloat((el as HTMLElement).style.top) || 0, text: el.textContent ?? '' })));
  lines.sort((a, b) => a.top - b.top);
  return lines.flatMap((l) => l.text.match(/\[null[^\]]*\]/g) ?? []);
}

/** Ctrl+G line:col, so the cursor sits where the diagnostic starts. */
export async function goToPosition(page: Page, line: number, col: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  // Go to Line is quick access behind ':'; without it the text becomes a file search.
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Ctrl+. and a click on the action titled `title`; the error names the actions that were offered. Right
 * after the cursor moves VS Code may still answer "No code actions available" (its request raced the
 * language server), so the menu is asked for again, as a person would, for up to 20 s.
 */
export async function applyCodeAction(page: Page, title: string): Promise<void> {
  const menu = page.locator('.action-widget');
  const deadline = Date.now() + 20_000;
  for (;;) {
    await page.keyboard.press('Control+.');
    if (await menu.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error('Ctrl+. opened no light-bulb menu within 20 s');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
  const item = menu.locator('.monaco-list-row', { hasText: title });
  if (await item.count() === 0) {
    const offered = await menu.locator('.monaco-list-row').allInnerTexts();
    throw new Error(`the light-bulb menu does not offer "${title}"; it offers: ${offered.join(' | ') || 'nothing'}`);
  }
  // Keyboard, as the menu expects: an overlay over the editor takes the mouse while it is open.
  const focused = menu.locator('.monaco-list-row.focused');
  for (let i = 0; i < await menu.locator('.monaco-list-row').count(); i++) {
    if ((await focused.innerText().catch(() => '')).includes(title)) break;
    await page.keyboard.press('ArrowDown');
  }
  assert.ok((await focused.innerText()).includes(title), `could not move the menu's focus to "${title}"`);
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** F1, the command's palette label, Enter. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  try {
    await row.waitFor({ timeout: 10_000 });
  } catch {
    const offered = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    throw new Error(`the command palette has no "${label}"; it lists: ${offered.join(' | ') || 'nothing'}`);
  }
  await row.click();
}

/** Answers a quick pick the extension shows (identified by its title) by clicking the item `label`. */
export async function answerQuickPick(page: Page, title: string, label: string): Promise<void> {
  const widget = page.locator('.quick-input-widget', { hasText: title });
  try {
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    throw new Error(`the question "${title}" was not asked within 15 s`);
  }
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  await widget.waitFor({ state: 'hidden' });
}

/** Answers a modal dialog whose message matches `text` by clicking `button`; returns the dialog's message. */
export async function answerDialog(page: Page, text: RegExp, button: string | RegExp): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  try {
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new Error(`no dialog saying ${text} within 30 s`);
  }
  const message = (await dialog.innerText()).trim();
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden' });
  return message;
}

/** Clicks `button` on the notification whose message matches `text`; returns that message. */
export async function answerNotification(page: Page, text: RegExp, button: string): Promise<string> {
  const toast = page.locator('.notification-toast', { hasText: text });
  try {
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new Error(`no notification saying ${text} within 30 s; shown: ${(await notifications(page)).join(' | ')}`);
  }
  const message = (await toast.locator('.notification-list-item-message').innerText()).trim();
  await toast.locator('.monaco-button', { hasText: button }).first().click();
  return message;
}

export async function notifications(page: Page): Promise<string[]> {
  const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  return toasts.map((t) => t.trim());
}

/** The frame holding a webview's own document (VS Code nests it in two iframes). */
export async function webviewFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      // The inner frame is the one VS Code loads the extension's HTML into: fake.html inside the host frame.
      if (frame.url().includes('fake.html')) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview document appeared within ${timeoutMs / 1000} s`);
}
