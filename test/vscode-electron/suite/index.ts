// Entry VS Code loads as --extensionTestsPath: runs the Skipcheck suite with mocha inside the extension
// host. Bundled by the runner (vscode stays external, mocha resolves from the repository's node_modules).
import Mocha from 'mocha';
import { defineSkipcheckSuite } from './skipcheck.suite';

export interface SuiteStats { passed: string[]; skipped: string[] }

/** Resolves with what passed and what skipped (test-electron ignores the value; other hosts report it). */
export function run(): Promise<SuiteStats> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false });
  // Installs describe/it as globals for the suite definition below, as mocha does for spec files.
  mocha.suite.emit('pre-require', globalThis, 'skipcheck.suite', mocha);
  defineSkipcheckSuite();
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const stats: SuiteStats = { passed: [], skipped: [] };
    const runner = mocha.run((count) => {
      if (count === 0) resolve(stats);
      // The messages travel with the rejection: the extension host's console is not always visible.
      else reject(new Error(`${count} test(s) failed in the VS Code extension host:\n${failures.join('\n')}`));
    });
    runner.on('fail', (test, err: Error) => failures.push(`- ${test.fullTitle()}: ${err.message}`));
    runner.on('pass', (test) => stats.passed.push(test.title));
    runner.on('pending', (test) => stats.skipped.push(test.title));
  });
}
