// The @vscode/test-electron suite needs a desktop VS Code, which cannot be downloaded on this machine; the
// same suite runs here inside code-server's extension host (VS Code 1.100.3), through the same API calls.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSuite } from '../vscode-electron/runner';
import { openEditorSession } from './support/editor-session';
import { expectInEditor } from './support/fixture-expectation';
import { writeSuiteRunnerExtension, type SuiteResult } from './support/suite-runner-extension';
import { pollUntil, screenshot } from './support/workbench';

describe('the test-electron suite inside code-server\'s extension host', function () {
  this.timeout(420_000);

  it('passes: diagnostics, quick fix, hover, inlay hints and the training command through the VS Code API', async function () {
    const expectation = await expectInEditor();
    const suite = await bundleSuite();
    const resultDir = mkdtempSync(join(tmpdir(), 'skipcheck-suite-result-'));
    const resultFile = join(resultDir, 'result.json');
    const session = await openEditorSession(this, {
      prepareExtensions: (dir) => writeSuiteRunnerExtension(dir, suite, resultFile),
      env: { SKIPCHECK_EXPECT: JSON.stringify(expectation) },
    });
    try {
      await pollUntil(session.page, () => existsSync(resultFile), 240_000);
      await screenshot(session.page, 'host-suite');
      assert.ok(existsSync(resultFile), `the suite did not finish within 240 s; code-server said:\n${session.server.output().slice(-3000)}`);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
      assert.equal(result.status, 'passed', result.detail);
      console.log(`      in the extension host: ${result.passed?.map((t) => `✔ ${t}`).join('; ')}`);
      assert.deepEqual(result.skipped, [], 'no test of the suite may skip');
      assert.ok(result.passed?.length, 'the suite ran no test');
    } finally {
      await session.close();
      rmSync(resultDir, { recursive: true, force: true });
    }
  });
});
