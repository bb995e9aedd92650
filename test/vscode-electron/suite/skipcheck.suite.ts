// The Skipcheck extension as VS Code's own API sees it: diagnostics, the quick fix, hovers, inlay hints
// and the training command, against what the analysis core says about the fixture (passed in by the
// runner as SKIPCHECK_EXPECT, since the core is not loaded into the extension host).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EditorExpectation } from '../../e2e/support/fixture-expectation';

const FIXTURE_NAME = 'broken-block.ts';

function skipcheckDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'skipcheck');
}

/** The rule id; with a rule docs link (codeDescription) VS Code gives the code as { value, target }. */
function ruleOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === 'string' ? label : label.map((p) => p.value).join('');
}

type Hint = EditorExpectation['inlayHints'][number];

async function shapeHints(doc: vscode.TextDocument): Promise<Hint[]> {
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole);
  return hints.map((h) => ({ position: { line: h.position.line, character: h.position.character }, label: labelText(h.label).trim() }));
}

export function defineSkipcheckSuite(): void {
  describe('Skipcheck extension in VS Code', () => {
    const expected = JSON.parse(process.env.SKIPCHECK_EXPECT ?? 'null') as EditorExpectation | null;
    let doc: vscode.TextDocument;

    before(async () => {
      assert.ok(expected, 'SKIPCHECK_EXPECT is not set: run this suite through test/vscode-electron/runner.ts');
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'VS Code was started without the fixture workspace');
      doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, FIXTURE_NAME));
      await vscode.window.showTextDocument(doc);
    });

    it('reports the finding as a diagnostic', async () => {
      const want = expected!.target;
      const found = await until('the Skipcheck diagnostic', () =>
        skipcheckDiagnostics(doc.uri).find((d) => ruleOf(d) === want.rule), 60_000);
      assert.equal(found.message, want.message);
      const code = found.code as { value: string; target: vscode.Uri };
      assert.ok(typeof code === 'object' && code.target.toString().includes('rules.md'), 'the diagnostic links to its rule docs');
      assert.match(code.target.fragment, /^L\d+$/, 'the link opens the rule\'s section at its line');
      assert.deepEqual({ line: found.range.start.line, character: found.range.start.character }, want.start);
    });

    it('shows the shape hover the core computed', async function () {
      if (!expected!.hover) this.skip();
      const { position, markdown } = expected!.hover;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri,
        new vscode.Position(position.line, position.character));
      assert.ok(hoverMarkdown(hovers).includes(markdown), `hover shows:\n${hoverMarkdown(hovers)}\nexpected to include:\n${markdown}`);
    });

    it('shows the shape inlay hints after stored .apply(...) calls', async () => {
      assert.ok(expected!.inlayHints.length > 0, 'the core reports no stored .apply(...) sites for the fixture');
      assert.deepEqual(await shapeHints(doc), expected!.inlayHints);
    });

    it('offers the preferred quick fix, which removes the diagnostic', async () => {
      const want = expected!;
      const diagnostic = skipcheckDiagnostics(doc.uri).find((d) => ruleOf(d) === want.target.rule);
      assert.ok(diagnostic, 'the diagnostic is gone before the fix');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
      const fix = actions.find((a) => a.title === want.preferredTitle);
      assert.ok(fix, `no action "${want.preferredTitle}" among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(fix.isPreferred, true, 'the fix is not marked preferred');
      assert.ok(fix.edit, 'the fix carries no edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'VS Code refused the edit');
      assert.equal(doc.getText(), want.fixedText);
      await until(`${want.remainingAfterFix} Skipcheck diagnostic(s) after the fix`, () =>
        (skipcheckDiagnostics(doc.uri).length === want.remainingAfterFix ? true : undefined), 30_000);
      assert.deepEqual(await shapeHints(doc), want.inlayHintsAfterFix, 'hints after the fix');
      await doc.save();
    });

    it('opens the training panel for the fixed model', async () => {
      // Entry and data given, as the code lens does for the entry, so no question stops the run.
      await vscode.commands.executeCommand('skipcheck.trainOnGpu', { uri: doc.uri.toString(), entry: expected!.entry, dataset: { kind: 'synthetic' }, pureJs: 'quick' });
      const panel = await until('a Skipcheck webview panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && /skipcheck/i.test(t.input.viewType)), 30_000);
      assert.ok(panel.label.length > 0);
    });
  });
}
