// One editor session for a test file: code-server with the packed .vsix installed, a temp workspace
// holding the broken fixture, and Chromium showing the workbench. Skips the calling hook, with the reason,
// only when the machine cannot host code-server at all.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { extensionsDir, installVsix, startCodeServer, type RunningCodeServer } from './code-server-process';
import { FIXTURE } from './fixture-expectation';
import { ensureCodeServer, InstallImpossible, type CodeServerInstall } from './install-code-server';
import { packVsix } from './vsix';
import { launchBrowser, openWorkbench } from './workbench';

export const EDITOR_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
  // Built-in extensions would otherwise try to reach Microsoft's telemetry host, unreachable here; the
  // failed lookup surfaces as an uncaught error in the extension host.
  'telemetry.telemetryLevel': 'off',
  // The workspace deliberately has no node_modules (training must use the tfjs the .vsix carries), so
  // TypeScript's own "cannot find module" errors would only clutter the Problems panel.
  'typescript.validate.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
};

export interface EditorSession {
  page: Page;
  workspace: string;
  /** The fixture's copy in the workspace. */
  file: string;
  server: RunningCodeServer;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Runs after the .vsix is installed, before code-server starts (e.g. to add a test extension). */
  prepareExtensions?: (extensionsDir: string) => void;
  /** Extra environment for code-server and so for its extension host. */
  env?: Record<string, string>;
}

function installOrSkip(ctx: Mocha.Context): CodeServerInstall {
  try {
    return ensureCodeServer();
  } catch (err) {
    if (err instanceof InstallImpossible) {
      console.log(`      SKIPPED: code-server cannot be installed on this machine: ${err.message}`);
      ctx.skip();
    }
    throw err;
  }
}

export async function openEditorSession(ctx: Mocha.Context, options: SessionOptions = {}): Promise<EditorSession> {
  const install = installOrSkip(ctx);
  const stateDir = mkdtempSync(join(tmpdir(), 'skipcheck-e2e-state-'));
  const workspace = mkdtempSync(join(tmpdir(), 'skipcheck-e2e-ws-'));
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
    for (const dir of [stateDir, workspace]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const file = join(workspace, basename(FIXTURE));
    copyFileSync(FIXTURE, file);
    const output = installVsix(install.bin, stateDir, packVsix());
    assert.match(output, /was successfully installed/, output);
    options.prepareExtensions?.(extensionsDir(stateDir));
    server = await startCodeServer({ bin: install.bin, workspace, stateDir, settings: EDITOR_SETTINGS, env: options.env });
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.url, workspace);
    return { page, workspace, file, server, close };
  } catch (err) {
    await close();
    throw err;
  }
}
