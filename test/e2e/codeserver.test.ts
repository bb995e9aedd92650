// The packed extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3, real Node extension host)
// driven through Chromium as a user would. Recipe: /work/shared/real-vscode.md. Screenshots of every step
// land in test-results/e2e-*.png.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { installVsix, startCodeServer, type RunningCodeServer } from './support/code-server-process';
import { expectFixture, FIXTURE, lineCol, type FixtureExpectation } from './support/fixture-expectation';
import { ensureCodeServer, InstallImpossible, type CodeServerInstall } from './support/install-code-server';
import { packVsix } from './support/vsix';
import {
  answerQuickPick, applyCodeAction, goToPosition, launchBrowser, notifications, openFile, openWorkbench, problemRows, runCommand, screenshot,
  showProblems, waitForProblems, webviewFrame,
} from './support/workbench';
import { skipUnlessSelected } from './support/selection';

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
  // The workspace deliberately has no node_modules (training must use the tfjs the .vsix carries), so
  // TypeScript's own "cannot find module" errors would only clutter the Problems panel.
  'typescript.validate.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** tf.model({ name }) in the fixture: what the training panel's header must show. */
const FIXTURE_MODEL_NAME = 'broken_block';

const isSkipcheckRow = (row: string): boolean => row.includes('skipcheck(');

describe('Skipcheck in a real VS Code (code-server + Chromium)', function () {
  this.timeout(420_000);
  let install: CodeServerInstall;
  let expected: FixtureExpectation;
  let stateDir: string;
  let workspace: string;
  let file: string;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let fixed = false;

  before(async function () {
    skipUnlessSelected(this, __filename);
    try {
      install = ensureCodeServer();
    } catch (err) {
      if (err instanceof InstallImpossible) {
        console.log(`      SKIPPED: code-server cannot be installed on this machine: ${err.message}`);
        this.skip();
      }
      throw err;
    }
    stateDir = mkdtempSync(join(tmpdir(), 'skipcheck-e2e-state-'));
    workspace = mkdtempSync(join(tmpdir(), 'skipcheck-e2e-ws-'));
    file = join(workspace, basename(FIXTURE));
    copyFileSync(FIXTURE, file);
    const output = installVsix(install.bin, stateDir, packVsix());
    assert.match(output, /was successfully installed/, output);
    server = await startCodeServer({ bin: install.bin, workspace, stateDir, settings: SETTINGS });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url, workspace);
  });

  after(async function () {
    if (page && this.currentTest?.state === 'failed') await screenshot(page, 'failure').catch(() => undefined);
    await browser?.close();
    await server?.stop();
    for (const dir of [stateDir, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && server) console.log(`      code-server output (tail):\n${server.output().slice(-3000)}`);
  });

  it('shows the Skipcheck diagnostic in the Problems panel', async function () {
    expected = await expectFixture(FIXTURE);
    await openFile(page, basename(file));
    await showProblems(page);
    const { line, col } = lineCol(expected.target);
    const wanted = `skipcheck(${expected.target.rule}) [Ln ${line}, Col ${col}]`;
    const rows = await waitForProblems(page, `"${wanted}"`, (r) => r.some((row) => row.includes(wanted)), 90_000);
    await screenshot(page, '1-diagnostic');
    const row = rows.find((r) => r.includes(wanted)) as string;
    assert.ok(row.includes(expected.target.message.split('\n')[0]), `row "${row}" lacks the message "${expected.target.message}"`);
  });

  it('applies the preferred quick fix from the light-bulb menu and the diagnostic goes', async function () {
    assert.ok(expected, 'needs the diagnostic from the previous step');
    const { line, col } = lineCol(expected.target);
    await goToPosition(page, line, col);
    await applyCodeAction(page, expected.preferred.title);
    const left = expected.remainingAfterFix.length;
    await waitForProblems(page, `${left} Skipcheck problem(s) after the fix`, (r) => r.filter(isSkipcheckRow).length === left, 30_000);
    await screenshot(page, '2-fixed');
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(readFileSync(file, 'utf8'), expected.fixedText, 'the saved file is the fixture with the preferred fix applied');
    assert.deepEqual((await problemRows(page)).filter(isSkipcheckRow).length, left);
    fixed = true;
  });

  it('runs "Skipcheck: Train on GPU" from the command palette and the training panel follows the run', async function () {
    // The unfixed fixture cannot be built (its add throws), so the run needs the fix from the previous step.
    assert.ok(fixed, 'needs the fixed fixture from the previous step');
    assert.ok(expected.fixedText.includes(`name: '${FIXTURE_MODEL_NAME}'`), `the fixture no longer names its model ${FIXTURE_MODEL_NAME}`);
    await runCommand(page, 'Skipcheck: Train on GPU');
    // The fixture exports one builder, so only the data is asked for; synthetic data needs no files.
    await answerQuickPick(page, 'Train on which data?', 'Synthetic');
    // The command opens a webview panel; a Skipcheck notification instead means it refused or failed.
    const panelTab = page.locator('.tabs-container .tab', { hasText: /train|skipcheck/i });
    const deadline = Date.now() + 60_000;
    while (await panelTab.count() === 0) {
      const toasts = (await notifications(page)).filter((t) => /skipcheck/i.test(t));
      if (toasts.length || Date.now() > deadline) {
        await screenshot(page, '3-train');
        assert.fail(`"Train on GPU" opened no training panel${toasts.length ? `; it says: ${toasts.join(' | ')}` : ' within 60 s'}`);
      }
      await page.waitForTimeout(250);
    }
    await screenshot(page, '3-train');
    const frame = await webviewFrame(page, 30_000);
    // The header names the model the trainer built (tf.model's name) once the run has started.
    await frame.locator('.sc-title', { hasText: FIXTURE_MODEL_NAME }).waitFor({ timeout: 120_000 }).catch(async (err: Error) => {
      throw new Error(`training panel never named the model "${FIXTURE_MODEL_NAME}": ${await panelText(frame)}\n${err.message}`);
    });
    await frame.locator('.sc-status[data-status="running"], .sc-status[data-status="completed"]').waitFor({ timeout: 120_000 })
      .catch(async () => { throw new Error(`training did not run: ${await panelText(frame)}`); });
    await screenshot(page, '4-training');
    console.log(`      training panel: ${(await panelText(frame)).slice(0, 300)}`);
  });
});

async function panelText(frame: Frame): Promise<string> {
  return (await frame.locator('body').innerText().catch(() => '(unreadable)')).replace(/\s+/g, ' ').trim();
}
