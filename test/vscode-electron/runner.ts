// Runs the in-host suite (suite/) in a desktop VS Code through @vscode/test-electron. VS Code comes from
// VSCODE_EXECUTABLE or, failing that, a download with a short timeout; when neither is possible the result
// says so, and the mocha wrapper reports the suite as skipped with that reason.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { expectInEditor } from '../e2e/support/fixture-expectation';

const REPO = resolve(__dirname, '..', '..');
const DOWNLOAD_TIMEOUT_MS = 15_000;

export type SuiteOutcome = { status: 'skipped'; reason: string } | { status: 'ran'; exitCode: number };

async function findVsCode(): Promise<string | { reason: string }> {
  const configured = process.env.VSCODE_EXECUTABLE;
  if (configured) {
    // Asked for explicitly: a wrong path is a mistake to report, not a reason to skip.
    if (!existsSync(configured)) throw new Error(`VSCODE_EXECUTABLE=${configured} does not exist`);
    return configured;
  }
  try {
    // `timeout` is an idle timeout; the race bounds the whole attempt (name lookup and retries included).
    const download = downloadAndUnzipVSCode({ cachePath: join(REPO, '.vscode-test'), timeout: DOWNLOAD_TIMEOUT_MS });
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS).unref());
    return await Promise.race([download, timer]);
  } catch (err) {
    return { reason: `download failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The suite as one CommonJS file inside the repository, so `require('mocha')` finds node_modules. */
export async function bundleSuite(): Promise<string> {
  const out = join(REPO, '.vscode-test', 'suite', 'index.js');
  await esbuild.build({
    entryPoints: [join(__dirname, 'suite', 'index.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
  return out;
}

export async function runElectronSuite(): Promise<SuiteOutcome> {
  // Desktop VS Code needs a display; CI machines without one run it under xvfb-run.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { status: 'skipped', reason: 'no display to open VS Code on (run under xvfb-run)' };
  }
  const vscodeExecutablePath = await findVsCode();
  if (typeof vscodeExecutablePath !== 'string') return { status: 'skipped', reason: vscodeExecutablePath.reason };
  if (!existsSync(join(REPO, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run `npm run build` first');
  const expectation = await expectInEditor();
  const extensionTestsPath = await bundleSuite();
  // A copy, because the suite applies the fix and saves the file.
  const workspace = mkdtempSync(join(tmpdir(), 'skipcheck-electron-ws-'));
  cpSync(join(__dirname, 'workspace'), workspace, { recursive: true });
  const userData = mkdtempSync(join(tmpdir(), 'skipcheck-electron-user-'));
  try {
    const exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO,
      extensionTestsPath,
      extensionTestsEnv: { SKIPCHECK_EXPECT: JSON.stringify(expectation) },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', userData, '--no-sandbox', '--disable-gpu'],
    }).catch((err: unknown) => {
      // runTests rejects with the exit code ("Failed") when the suite fails.
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    });
    return { status: 'ran', exitCode };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
}
