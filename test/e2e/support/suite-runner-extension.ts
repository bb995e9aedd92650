// A throwaway extension that runs the @vscode/test-electron suite (test/vscode-electron/suite) in
// code-server's extension host once the workbench has started, and writes the outcome to a file: the same
// suite a desktop VS Code runs, exercised here where desktop VS Code cannot be downloaded.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteResult { status: 'passed' | 'failed'; detail?: string; passed?: string[]; skipped?: string[] }

const ID = 'skipcheck-tests.suite-runner';
const VERSION = '0.0.1';

/**
 * VS Code 1.100 loads only the extensions listed in the folder's extensions.json (what --install-extension
 * writes), so the runner is added there next to the installed Skipcheck.
 */
function register(extensionsDir: string, folder: string): void {
  const index = join(extensionsDir, 'extensions.json');
  const entries = existsSync(index) ? (JSON.parse(readFileSync(index, 'utf8')) as unknown[]) : [];
  const path = join(extensionsDir, folder);
  entries.push({
    identifier: { id: ID }, version: VERSION, relativeLocation: folder,
    location: { $mid: 1, fsPath: path, path, scheme: 'file' },
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  writeFileSync(index, JSON.stringify(entries));
}

export function writeSuiteRunnerExtension(extensionsDir: string, suiteBundle: string, resultFile: string): void {
  const folder = `${ID}-${VERSION}`;
  const dir = join(extensionsDir, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: ID.split('.')[1], publisher: ID.split('.')[0], version: VERSION, engines: { vscode: '^1.82.0' },
    activationEvents: ['onStartupFinished'], main: './extension.js',
  }, null, 2));
  writeFileSync(join(dir, 'extension.js'), `const { writeFileSync } = require('node:fs');
exports.activate = async function () {
  let result;
  try {
    const stats = await require(${JSON.stringify(suiteBundle)}).run();
    result = { status: 'passed', ...stats };
  } catch (err) {
    result = { status: 'failed', detail: String((err && err.message) || err) };
  }
  writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(result));
};
`);
  register(extensionsDir, folder);
}
