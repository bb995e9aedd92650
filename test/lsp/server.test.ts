// The language server as an editor sees it: spawned from dist/server.js, spoken to over stdio. Expected
// findings come from the analysis core run in-process, expected shapes from building the models with tfjs.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeLens, Diagnostic, Hover, InlayHint, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import type { Finding } from '../../server/src/analysis';
import { matchLayer, type SourceLayer } from '../../client/src/training/layerMatch';
import { depthArgs, type DepthParam } from '../../contract/depthArgs';
import { analyzeFromDisk, buildFile, buildText, fixture, lineOf, tfjsShape } from './expected';
import { fileUri, LspHarness, repoRoot } from './lspHarness';

const byJson = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const asPublished = (f: Finding) => ({ source: 'skipcheck', code: f.rule, range: f.range, message: f.message });
const published = (d: Diagnostic) => ({ source: d.source, code: d.code, range: d.range, message: d.message });
const wholeFile = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

function applyEdit(text: string, action: CodeAction, uri: string, version: number): string {
  const edits = (action.edit?.documentChanges ?? []) as TextDocumentEdit[];
  assert.ok(edits.length > 0, `${action.title} carries document changes`);
  for (const e of edits) {
    assert.equal(e.textDocument.uri, uri);
    assert.equal(e.textDocument.version, version, 'edits are tied to the analysed version');
  }
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', version, text), edits.flatMap((e) => e.edits));
}

describe('language server over stdio', function () {
  let lsp: LspHarness;

  before(function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  });
  beforeEach(async () => {
    lsp = await LspHarness.spawn({ debounceMs: 0 });
  });
  afterEach(async () => {
    await lsp.stop();
  });

  describe('a residual block tfjs refuses to build (broken.ts)', () => {
    const { file, text } = fixture('broken.ts');
    const uri = fileUri(file);
    const expected = analyzeFromDisk(file, text).findings.filter((f) => f.file === file);

    it('is really broken, and the analyzer says so', () => {
      assert.throws(() => buildFile(file, 'buildModel'), /shape|broadcast|incompatible/i);
      assert.ok(expected.length > 0, 'the analyzer reports the bug tfjs throws on');
    });

    it('publishes every finding as a versioned diagnostic with source, code and related information', async () => {
      await lsp.open(uri, text);
      const pub = await lsp.diagnosticsFor(uri, 1);
      assert.equal(pub.version, 1);
      assert.deepEqual(byJson(pub.diagnostics.map(published)), byJson(expected.map(asPublished)));
      for (const d of pub.diagnostics) {
        // The rule's code links to its section of docs/rules.md (shipped as dist/rules.md).
        const [where, line] = d.codeDescription!.href.split('#L');
        assert.ok(where.endsWith('/dist/rules.md'), where);
        assert.equal(readFileSync(new URL(where), 'utf8').split('\n')[Number(line) - 1], `## ${d.code}`);
      }
      for (const f of expected.filter((f) => f.related?.length)) {
        const d = pub.diagnostics.find((d) => d.message === f.message)!;
        assert.deepEqual(d.relatedInformation?.map((r) => r.message), f.related!.map((r) => r.message));
      }
    });

    it('offers each fix as a quick fix attached to its diagnostic, and fix-all repairs the model', async () => {
      await lsp.open(uri, text);
      const pub = await lsp.diagnosticsFor(uri, 1);
      for (const diagnostic of pub.diagnostics) {
        const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic], only: ['quickfix'] },
        });
        const finding = expected.find((f) => f.message === diagnostic.message)!;
        const forThis = actions.filter((a) => a.diagnostics?.some((d) => d.message === diagnostic.message));
        const fixes = forThis.filter((a) => !a.title.startsWith('Disable ') && !a.title.startsWith('Fix all'));
        assert.deepEqual(fixes.map((a) => a.title).sort(), finding.fixes.map((f) => f.title).sort());
        const disable = forThis.find((a) => a.title === `Disable ${finding.rule} for this line`);
        assert.ok(disable, 'a disable-comment quick fix');
        const silenced = applyEdit(text, disable, uri, 1);
        const ofRule = (fs: Finding[]) => fs.filter((f) => f.file === file && f.rule === finding.rule).length;
        assert.equal(ofRule(analyzeFromDisk(file, silenced).findings), ofRule(expected) - 1, 'the comment silences the finding');
        for (const a of fixes) {
          assert.equal(a.kind, 'quickfix');
          assert.equal(a.isPreferred, finding.fixes.find((f) => f.title === a.title)!.isPreferred === true);
          applyEdit(text, a, uri, 1);
        }
      }

      const [fixAll, ...rest] = await lsp.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: wholeFile,
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      assert.equal(rest.length, 0);
      assert.equal(fixAll.kind, 'source.fixAll.skipcheck');
      const fixed = applyEdit(text, fixAll, uri, 1);
      assert.doesNotThrow(() => buildText(fixed, 'buildModel'), 'tfjs builds the fixed model');

      await lsp.change(uri, 2, fixed);
      const after = await lsp.diagnosticsFor(uri, 2);
      assert.deepEqual(after.diagnostics.filter((d) => d.severity === 1), [], 'no errors left after fix-all');
    });

    it('applies per-rule severity settings and turns rules off', async () => {
      await lsp.open(uri, text);
      const first = await lsp.diagnosticsFor(uri, 1);
      const rules = [...new Set(first.diagnostics.map((d) => String(d.code)))];
      const [offRule, hintRule] = rules;
      lsp.settings = { debounceMs: 0, rules: { [offRule]: 'off', ...(hintRule ? { [hintRule]: 'hint' } : {}) } };
      const from = lsp.diagnostics.length;
      await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const again = await lsp.diagnosticsFor(uri, 1, from);
      assert.ok(!again.diagnostics.some((d) => d.code === offRule), `${offRule} is off`);
      for (const d of again.diagnostics.filter((d) => d.code === hintRule)) assert.equal(d.severity, 4);
      assert.equal(again.diagnostics.length, first.diagnostics.filter((d) => d.code !== offRule).length);
    });
  });

  describe('a correct residual model (clean.ts)', () => {
    const { file, text } = fixture('clean.ts');
    const uri = fileUri(file);
    const lines = text.split('\n');
    let model: tf.LayersModel;
    before(() => {
      model = buildFile(file, 'buildModel');
    });
    /** The tfjs layer created on a line of clean.ts: `name: 'stem'`, or `${name}_c1` with name 'b1'. */
    const layerOnLine = (line: number) => {
      const m = /name: (?:'(\w+)'|`\$\{name\}(_\w+)`)/.exec(lines[line]);
      assert.ok(m, `line ${line + 1} names its layer`);
      return model.getLayer(m[1] ?? `b1${m[2]}`);
    };
    const hoverAt = async (line: number, needle: string) => {
      const character = lines[line].indexOf(needle) + 1;
      const h = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
      assert.ok(h, `hover at ${line + 1}:${character} (${needle})`);
      return (h.contents as MarkupContent).value;
    };

    it('gets an empty diagnostics list', async () => {
      await lsp.open(uri, text);
      assert.deepEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics, []);
    });

    it('hovers show the output shape and parameter count tfjs reports', async () => {
      await lsp.open(uri, text);
      for (const needle of ["'stem'", '`${name}_c1`', '`${name}_c2`', "'head'"]) {
        const line = lineOf(text, needle);
        const layer = layerOnLine(line);
        for (const at of ['apply', needle]) {
          const value = await hoverAt(line, at);
          assert.ok(value.includes(tfjsShape(layer.outputShape)), `${at} on line ${line + 1}: ${value}`);
          assert.ok(value.includes(`${layer.countParams().toLocaleString('en-US')} params`), value);
        }
      }
    });

    it('hovers on the residual add list both operand shapes', async () => {
      await lsp.open(uri, text);
      const line = lineOf(text, '`${name}_add`');
      const value = await hoverAt(line, 'apply');
      const inputs = layerOnLine(line).input as tf.SymbolicTensor[];
      assert.equal(inputs.length, 2);
      const operands = value.split('\n').find((l) => l.startsWith('inputs:'));
      assert.ok(operands, value);
      assert.equal(operands.match(/\[[^\]]*\]/g)!.join(' + '), inputs.map((i) => tfjsShape(i.shape)).join(' + '));
    });

    it("hovers on tf.model(...) and on the builder's name show tfjs's model summary", async () => {
      await lsp.open(uri, text);
      const modelLine = lineOf(text, 'tf.model(');
      const builderLine = lineOf(text, 'function buildModel');
      for (const [line, needle] of [[modelLine, 'model('], [builderLine, 'buildModel']] as const) {
        const value = await hoverAt(line, needle);
        assert.ok(value.startsWith('**Model `buildModel`** (functional)'), value);
        assert.ok(value.includes(`${model.layers.length} layers · ${model.countParams().toLocaleString('en-US')} params`), value);
        assert.ok(value.includes(`inputs \`${tfjsShape(model.inputs[0].shape)}\` → outputs \`${tfjsShape(model.outputs[0].shape)}\``), value);
        const rows = value.split('\n').filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
        assert.deepEqual(
          rows.map((r) => [r[2], r[3].replace(/`/g, ''), r[4]]),
          model.layers.map((l) => [l.getClassName(), tfjsShape(l.outputShape), l.countParams().toLocaleString('en-US')]),
        );
      }
    });

    it('puts an inlay hint with the tfjs shape after every stored .apply(...)', async () => {
      await lsp.open(uri, text);
      const hints = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: wholeFile });
      const stored = lines.flatMap((l, i) => (/^\s*(const |let )?\w+ = .*\.apply\(/.test(l) ? [i] : []));
      assert.deepEqual(hints.map((h) => h.position.line), stored);
      for (const h of hints) {
        assert.equal(h.label, tfjsShape(layerOnLine(h.position.line).outputShape));
        const line = lines[h.position.line];
        assert.equal(h.position.character, line.trimEnd().length, 'at the end of the line, after any cast');
      }
    });

    it('trims long hints and can turn them off', async () => {
      lsp.settings = { debounceMs: 0, inlayHints: { maxLength: 8 } };
      await lsp.open(uri, text);
      const trimmed = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: wholeFile });
      assert.ok(trimmed.length > 0);
      for (const { label } of trimmed) {
        const text = typeof label === 'string' ? label : JSON.stringify(label);
        assert.ok(text.length <= 8 && text.endsWith('…'), text);
      }
      lsp.settings = { 'inlayHints.enabled': false };
      await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await lsp.request('textDocument/inlayHint', { textDocument: { uri }, range: wholeFile }), []);
    });

    it('shows "▶ Train" and, its model having residual Adds, "Compare with plain network" above the exported zero-argument builder only', async () => {
      await lsp.open(uri, text);
      const lenses = await lsp.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(model.layers.some((l) => l.getClassName() === 'Add'), 'tfjs builds the Add the lens is offered for');
      const line = lineOf(text, 'export function buildModel');
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command]),
        [
          [line, { title: '▶ Train', command: 'skipcheck.trainOnGpu', arguments: [{ uri, entry: 'buildModel' }] }],
          [line, { title: 'Compare with plain network', command: 'skipcheck.comparePlain', arguments: [{ uri, entry: 'buildModel' }] }],
        ],
      );
    });

    it('answers skipcheck/entryLayers so the panel can link every trained layer to its source line', async () => {
      await lsp.open(uri, text);
      const source = await lsp.request<SourceLayer[]>('skipcheck/entryLayers', { uri, entry: 'buildModel' });
      const trained = model.layers.map((l) => ({ name: l.name, className: l.getClassName() }));
      let checked = 0;
      for (const layer of model.layers) {
        if (layer.getClassName() === 'InputLayer') continue;
        const hit = matchLayer(trained, source, layer.name);
        assert.ok(hit, `${layer.name} placed`);
        // Explicitly named layers: the matched line is the one creating exactly that layer.
        if (/name: /.test(lines[hit.line])) { assert.equal(layerOnLine(hit.line).name, layer.name); checked++; }
      }
      assert.ok(checked >= 3, `${checked} named layers checked`);
    });

    it('answers skipcheck/entries with the trainable builders, for the client\'s Train command', async () => {
      await lsp.open(uri, text);
      assert.deepEqual(await lsp.request<string[]>('skipcheck/entries', { uri }), ['buildModel']);
    });
  });

  describe('a builder with a depth parameter (clean.ts with its block repeated `depth` times)', () => {
    const { file, text: clean } = fixture('clean.ts');
    const text = clean
      .replace('export function buildModel(): tf.LayersModel {', 'export function buildModel({ depth = 2 } = {}): tf.LayersModel {')
      .replace("  const block = residual(stem, 16, 'b1');", "  let block = stem;\n  for (let i = 0; i < depth; i++) block = residual(block, 16, `b${i}`);");
    const uri = fileUri(file.replace(/clean\.ts$/, 'deep.ts'));
    const adds = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() === 'Add').length;

    it('adds "Depth sweep vs plain" to the lenses, and the depth it names really sets the number of blocks', async () => {
      assert.notEqual(text, clean, 'the fixture was rewritten');
      await lsp.open(uri, text);
      const lenses = await lsp.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      const line = lineOf(text, 'export function buildModel');
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
        [
          [line, '▶ Train', 'skipcheck.trainOnGpu'],
          [line, 'Compare with plain network', 'skipcheck.comparePlain'],
          [line, 'Depth sweep vs plain (depth)', 'skipcheck.depthSweep'],
        ],
      );
      assert.deepEqual(lenses[2].command?.arguments, [{ uri, entry: 'buildModel' }]);
      // The palette command asks the same question; the sweep calls the builder with depthArgs of the answer.
      const param = await lsp.request<DepthParam | null>('skipcheck/depthParam', { text, entry: 'buildModel' });
      assert.ok(param);
      assert.deepEqual([1, 3].map((d) => adds(buildText(text, 'buildModel', depthArgs(param, d)))), [1, 3]);
      assert.equal(await lsp.request('skipcheck/depthParam', { text: clean, entry: 'buildModel' }), null, 'clean.ts has none');
    });
  });

  it('offers no fix when every candidate fails its check, and republishes the message saying so', async () => {
    const { file, text } = fixture('noVerifiedFix.ts');
    const uri = fileUri(file);
    const expected = analyzeFromDisk(file, text).findings;
    assert.ok(expected.every((f) => f.fixes.length === 0 && f.message.includes('No verified fix is available')));
    await lsp.open(uri, text);
    const first = await lsp.diagnosticsFor(uri, 1);
    // Published before any fix is checked: the messages do not say yet.
    assert.ok(first.diagnostics.every((d) => !d.message.includes('No verified fix')));
    const from = lsp.diagnostics.length;
    const merge = first.diagnostics.find((d) => d.code === 'residual-shape-mismatch')!;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: merge.range, context: { diagnostics: [merge] },
    });
    assert.deepEqual(actions.map((a) => a.title).filter((t) => !t.startsWith('Disable ')), [], 'no shape fix offered');
    const again = await lsp.diagnosticsFor(uri, 1, from);
    const retold = again.diagnostics.find((d) => d.code === 'residual-shape-mismatch')!;
    assert.equal(retold.message, expected.find((f) => f.rule === 'residual-shape-mismatch')!.message);
  });

  it('sends findings in an imported helper to the helper file, once even when both files are open', async () => {
    const main = fixture('usesBlocks.ts');
    const helper = fixture('blocks.ts');
    const expected = analyzeFromDisk(main.file, main.text).findings.filter((f) => f.file === helper.file);
    assert.ok(expected.length > 0, 'the analyzer follows the import and flags the helper');
    await lsp.open(fileUri(main.file), main.text);
    const pub = await lsp.diagnosticsFor(fileUri(helper.file));
    assert.deepEqual(byJson(pub.diagnostics.map(published)), byJson(expected.map(asPublished)));

    const from = lsp.diagnostics.length;
    await lsp.open(fileUri(helper.file), helper.text);
    const both = await lsp.diagnosticsFor(fileUri(helper.file), 1, from);
    assert.deepEqual(byJson(both.diagnostics.map(published)), byJson(expected.map(asPublished)));
  });

  it('never publishes an older version after a newer one, and ends on the newest text', async () => {
    const broken = fixture('broken.ts');
    const clean = fixture('clean.ts');
    const uri = fileUri(broken.file);
    const brokenCount = analyzeFromDisk(broken.file, broken.text).findings.filter((f) => f.file === broken.file).length;
    await lsp.open(uri, clean.text);
    for (let v = 2; v <= 21; v++) await lsp.change(uri, v, v % 2 ? broken.text : clean.text);
    const last = await lsp.diagnosticsFor(uri, 21);
    assert.equal(last.diagnostics.length, brokenCount);
    const versions = lsp.diagnostics.filter((d) => d.uri === uri).map((d) => d.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions ${versions}`);
  });

  it('debounces a burst of edits into one analysis of the last version', async () => {
    lsp.settings = { debounceMs: 150 };
    const { file, text } = fixture('broken.ts');
    const uri = fileUri(file);
    await lsp.open(uri, text);
    await lsp.diagnosticsFor(uri, 1);
    for (let v = 2; v <= 11; v++) await lsp.change(uri, v, `${text}\n// edit ${v}\n`);
    await lsp.diagnosticsFor(uri, 11);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(lsp.diagnostics.filter((d) => d.uri === uri).map((d) => d.version), [1, 11]);
  });

  it('ignores documents that do not use tfjs', async () => {
    const uri = 'untitled:plain.ts';
    await lsp.open(uri, 'export const x: number = 1;\n');
    assert.deepEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics, []);
    assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 14 } }), null);
  });

  it('survives garbage on its input and keeps answering', async () => {
    const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    lsp.proc!.stdin.write(frame('{"jsonrpc":"2.0","id":'));
    lsp.proc!.stdin.write(frame('[1,2,3]'));
    lsp.proc!.stdin.write(frame('{"jsonrpc":"2.0","id":999,"method":"skipcheck/noSuchMethod"}'));
    lsp.proc!.stdin.write(frame('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":null}}'));
    const { file, text } = fixture('broken.ts');
    await assert.rejects(lsp.request('textDocument/hover', { textDocument: 42 }));
    await lsp.open(fileUri(file), text);
    assert.ok((await lsp.diagnosticsFor(fileUri(file), 1)).diagnostics.length > 0);
    assert.equal(lsp.proc!.exitCode, null, 'still running');
  });
});
