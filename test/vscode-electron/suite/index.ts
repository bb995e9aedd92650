// Entry VS Code loads as --extensionTestsPath: runs the Skipcheck suite with mocha inside the extension
// host. Bundled by the runner (vscode stays external, mocha resolves from the repository's node_modules).
import Mocha from 'mocha';
import { defineSkipcheckSuite } from './skipcheck.suite';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false });
  // Installs describe/it as globals for the suite definition below, as mocha does for spec files.
  mocha.suite.emit('pre-require', globalThis, 'skipcheck.suite', mocha);
  defineSkipcheckSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed in the VS Code extension host`)) : resolve()));
  });
}
