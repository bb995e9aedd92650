// Mocha wrapper around the @vscode/test-electron run, so `npm test` includes it: it passes only when the
// in-host suite ran and passed, and is reported as skipped (with the reason) when no VS Code is available.
import assert from 'node:assert/strict';
import { runElectronSuite } from './runner';

describe('Skipcheck in desktop VS Code (@vscode/test-electron)', function () {
  this.timeout(600_000);

  it('runs the extension-host suite', async function () {
    const outcome = await runElectronSuite();
    if (outcome.status === 'skipped') {
      console.log(`      SKIPPED: VS Code not available (set VSCODE_EXECUTABLE=/path/to/code): ${outcome.reason}`);
      this.skip();
    }
    assert.equal(outcome.exitCode, 0, 'the extension-host suite failed (its output is above)');
  });
});
