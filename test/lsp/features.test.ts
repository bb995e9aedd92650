// The server's glue, in process, against a scripted analysis core: the analyzer's answers are set per test
// so debouncing, versioning, cross-file publishing, fix-all and failure handling can be checked exactly.
import { strict as assert } from 'node:assert';
import { CancellationTokenSource, StreamMessageReader, StreamMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { CodeAction, Hover, InlayHint, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { verifyStep, type AnalysisHost, type AnalysisResult, type Finding, type Range, type SiteInfo } from '../../server/src/analysis';
import { startServer } from '../../server/src/lsp/startServer';
import { editorCapabilities, LspHarness } from './lspHarness';

type ScriptedAnalyze = (file: string, text: string, host?: AnalysisHost) => AnalysisResult;

const range = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });
const result = (file: string, extra: Partial<AnalysisResult> = {}): AnalysisResult => ({
  file, findings: [], models: [], sites: [], entries: [], notes: [], usesTfjs: true, ...extra,
});
const tfText = (body: string) => `import * as tf from '@tensorflow/tfjs';\n${body}`;
/** An editor that resolves a code action's edit when it is chosen, as VS Code does. */
const resolvingClient = {
  ...editorCapabilities,
  textDocument: { ...editorCapabilities.textDocument, codeAction: { ...editorCapabilities.textDocument!.codeAction, resolveSupport: { properties: ['edit'] } } },
};
const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

/** One finding per line that contains BUG, with a preferred fix replacing the word. */
function bugsIn(file: string, text: string): Finding[] {
  return text.split('\n').flatMap((line, i) => {
    const at = line.indexOf('BUG');
    if (at < 0) return [];
    const r = range(i, at, at + 3);
    return [{ rule: 'missing-same-padding', severity: 'error', message: `bug on line ${i + 1}`, file, range: r,
      fixes: [{ title: 'Fix it', file, isPreferred: true, edits: [{ range: r, newText: 'OK' }] }] } satisfies Finding];
  });
}

describe('language server features (scripted analyzer, in process)', () => {
  let lsp: LspHarness;
  let analyzeImpl: ScriptedAnalyze;
  let calls: string[];
  /** Re-analyses made to check a fix, and how long each one takes (to make them slow on purpose). */
  let checked: number;
  let checkMs: number;
  const verifications = () => checked;

  async function start(settings: Record<string, unknown> = { debounceMs: 0 }, capabilities = editorCapabilities) {
    calls = [];
    checked = 0;
    checkMs = 0;
    lsp = await LspHarness.inProcess((input, output) => {
      const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
      startServer(connection, {
        analyze: (file, text, host) => (calls.push(text), analyzeImpl(file, text, host)),
        verifyStep: (...args) => {
          const settled = verifyStep(...args);
          if (!settled) { checked++; busy(checkMs); }
          return settled;
        },
      });
    }, settings, capabilities);
  }
  afterEach(async () => {
    await lsp.stop();
  });

  it('logs an analyzer exception, clears that document, and keeps serving', async () => {
    analyzeImpl = (file, text) => {
      if (text.includes('THROW')) throw new RangeError('Maximum call stack size exceeded');
      return result(file, { findings: bugsIn(file, text) });
    };
    await start();
    await lsp.open('file:///w/a.ts', tfText('THROW BUG\n'));
    const a = await lsp.diagnosticsFor('file:///w/a.ts', 1);
    assert.deepEqual(a.diagnostics, []);
    await lsp.waitFor('an error log', () => lsp.logs.find((l) => l.includes('analysis of file:///w/a.ts failed') && l.includes('Maximum call stack')));
    await lsp.open('file:///w/b.ts', tfText('BUG\n'));
    assert.equal((await lsp.diagnosticsFor('file:///w/b.ts', 1)).diagnostics.length, 1);
    await lsp.change('file:///w/a.ts', 2, tfText('BUG\n'));
    assert.equal((await lsp.diagnosticsFor('file:///w/a.ts', 2)).diagnostics.length, 1, 'recovers on the next edit');
  });

  it('runs one analysis for a burst of edits and publishes only the newest version', async () => {
    analyzeImpl = (file, text) => result(file, { findings: bugsIn(file, text) });
    await start({ debounceMs: 40 });
    const uri = 'file:///w/m.ts';
    await lsp.open(uri, tfText(''));
    await lsp.diagnosticsFor(uri, 1);
    for (let v = 2; v <= 30; v++) await lsp.change(uri, v, tfText('BUG\n'.repeat(v)));
    const last = await lsp.diagnosticsFor(uri, 30);
    assert.equal(last.diagnostics.length, 30);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(lsp.diagnostics.map((d) => d.version), [1, 30]);
    assert.equal(calls.length, 2, 'the stale versions were never analysed');
  });

  it('reads imported files from the editor first, publishes their findings to their URI, and follows their edits', async () => {
    const helper = '/w/blocks.ts';
    analyzeImpl = (file, text, host) => {
      if (file !== '/w/model.ts') return result(file, { usesTfjs: false });
      const helperText = host?.readFile(helper) ?? '';
      return result(file, { findings: [...bugsIn(file, text), ...bugsIn(helper, helperText)] });
    };
    await start();
    await lsp.open('file:///w/blocks.ts', 'export const x = 1; // BUG\nBUG\n');
    await lsp.open('file:///w/model.ts', tfText('const y = 2;\n'));
    const first = await lsp.diagnosticsFor('file:///w/blocks.ts', 1, 1);
    assert.deepEqual(first.diagnostics.map((d) => d.range.start.line), [0, 1], 'the unsaved helper text was analysed');
    assert.deepEqual((await lsp.diagnosticsFor('file:///w/model.ts', 1)).diagnostics, []);

    const from = lsp.diagnostics.length;
    await lsp.change('file:///w/blocks.ts', 2, 'export const x = 1;\n\n\nBUG\n');
    const after = await lsp.waitFor('helper re-published from the model', () =>
      lsp.diagnostics.slice(from).find((d) => d.uri === 'file:///w/blocks.ts' && d.diagnostics.length === 1));
    assert.equal(after.version, 2);
    assert.equal(after.diagnostics[0].range.start.line, 3);

    const closing = lsp.diagnostics.length;
    await lsp.close('file:///w/model.ts');
    const cleared = await lsp.diagnosticsFor('file:///w/blocks.ts', 2, closing);
    assert.deepEqual(cleared.diagnostics, [], "a closed model's findings leave the helper");
  });

  it('fix-all applies non-overlapping preferred fixes in one versioned edit', async () => {
    analyzeImpl = (file, text) => {
      const [a, b, c] = bugsIn(file, text);
      // b's fix overlaps a's; c has a preferred and a non-preferred fix.
      b.fixes[0].edits[0].range = { start: a.range.start, end: b.range.end };
      c.fixes.push({ title: 'Other way', file, edits: [{ range: c.range, newText: 'ALT' }] });
      return result(file, { findings: [a, b, c] });
    };
    await start();
    const uri = 'file:///w/fix.ts';
    await lsp.open(uri, tfText('BUG\nBUG\nBUG\n'), 7);
    await lsp.diagnosticsFor(uri, 7);
    const all = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: range(0, 0, 100), context: { diagnostics: [] },
    });
    const fixAll = all.find((a) => a.kind === 'source.fixAll.skipcheck')!;
    const [edit] = fixAll.edit!.documentChanges as TextDocumentEdit[];
    assert.equal(edit.textDocument.version, 7);
    assert.deepEqual(edit.edits.map((e) => [e.range.start.line, e.newText]), [[1, 'OK'], [3, 'OK']]);

    const quick = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: range(3, 1, 1), context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(quick.map((a) => [a.title, a.isPreferred, a.diagnostics?.[0].message]), [
      ['Fix it', true, 'bug on line 4'],
      ['Other way', false, 'bug on line 4'],
      ['Fix all Skipcheck problems (2)', undefined, 'bug on line 2'],
      ['Disable missing-same-padding for this line', undefined, 'bug on line 4'],
      ['Disable missing-same-padding for the entire file', undefined, 'bug on line 4'],
    ]);
    const disable = quick[3].edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(disable.edits, [{ range: range(3, 0, 0), newText: '// skipcheck-disable-next-line missing-same-padding\n' }]);
    const source = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: range(3, 1, 1), context: { diagnostics: [], only: ['source'] },
    });
    assert.deepEqual(source.map((a) => a.kind), ['source.fixAll.skipcheck']);
  });

  it('formats hovers and hints for several call contexts and unknown dims', async () => {
    const sites = (file: string): SiteInfo[] => [
      { kind: 'apply', file, range: range(1, 10, 30), className: 'Conv2D', storedIn: 'y',
        shapes: [[null, 32, 32, 16], [null, 16, 16, undefined]], paramCounts: [2304, null] },
      { kind: 'layer', file, range: range(1, 10, 20), className: 'Conv2D', shapes: [[null, 32, 32, 16]], paramCounts: [2304] },
      { kind: 'apply', file, range: range(2, 4, 40), className: 'Add', storedIn: 's',
        shapes: [[null, 8]], paramCounts: [0], operandShapes: [[[null, 8], [null, 1]]] },
      { kind: 'apply', file, range: range(3, 0, 9), className: 'ReLU', shapes: [[null, 8]], paramCounts: [0] },
    ];
    analyzeImpl = (file) => result(file, { sites: sites(file) });
    await start({ debounceMs: 0, 'inlayHints.maxLength': 20 });
    const uri = 'file:///w/h.ts';
    await lsp.open(uri, tfText('x\ny\nz\n'));
    const hoverAt = async (line: number, character: number) =>
      ((await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character } })).contents as MarkupContent).value;
    assert.equal(await hoverAt(1, 25), '**Conv2D** → `[null,32,32,16] | [null,16,16,?]` · 2,304 | unknown params');
    assert.equal(await hoverAt(1, 12), '**Conv2D** → `[null,32,32,16]` · 2,304 params', 'the innermost site wins');
    assert.equal(await hoverAt(2, 5), '**Add** → `[null,8]` · 0 params  \ninputs: `[null,8]` + `[null,1]`');
    assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } }), null);

    const hints = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    // At the end of each line (the test's lines are one character long), not inside the statement.
    assert.deepEqual(hints.map((h) => [h.position, h.label, h.tooltip]), [
      [{ line: 1, character: 1 }, '[null,32,32,16] | […', '[null,32,32,16] | [null,16,16,?]'],
      [{ line: 2, character: 1 }, '[null,8]', undefined],
    ]);
    // A lone \r ends a line for the editor too: the hints stay at the ends of those lines.
    const crUri = 'file:///w/h-cr.ts';
    await lsp.open(crUri, tfText('x\ry\rz\r').replace('\n', '\r'));
    const crHints = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: crUri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    assert.deepEqual(crHints.map((h) => h.position), [{ line: 1, character: 1 }, { line: 2, character: 1 }]);
  });

  it("shows hints only where the shape changes with inlayHints.show 'changes', and by default in files with many layers", async () => {
    const apply = (file: string, line: number, input: number, output: number): SiteInfo => ({
      kind: 'apply', file, range: range(line, 10, 30), className: 'Conv2D', storedIn: `y${line}`,
      shapes: [[null, output, output, 16]], paramCounts: [10], inputShapes: [[null, input, input, 16]],
    });
    // Line 1 halves the size, line 2 keeps it; `lines` more layers that keep it make the file "many layers".
    const sitesOf = (file: string, lines: number) => [apply(file, 1, 32, 16), ...Array.from({ length: lines }, (_, i) => apply(file, i + 2, 16, 16))];
    let layers = 3;
    analyzeImpl = (file) => result(file, { sites: sitesOf(file, layers) });
    await start({ debounceMs: 0 });
    const hintsFor = async (uri: string, n: number) => {
      layers = n;
      await lsp.open(uri, tfText('const y = 1;\n'.repeat(n + 2)));
      await lsp.diagnosticsFor(uri, 1);
      const hints = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
      return hints.map((h) => [h.position.line, h.position.character]);
    };
    assert.equal((await hintsFor('file:///w/few.ts', 3)).length, 4, 'few layers: every stored apply');
    assert.deepEqual(await hintsFor('file:///w/many.ts', 40), [[1, 12]], 'many layers: only the one that changes the shape');
    lsp.settings = { debounceMs: 0, inlayHints: { show: 'changes' } };
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await hintsFor('file:///w/few2.ts', 3), [[1, 12]]);
    lsp.settings = { debounceMs: 0, inlayHints: { show: 'all' } };
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await hintsFor('file:///w/many2.ts', 40)).length, 41);
  });

  it('shows symbolic shapes with short names and their origins, beside the shapes callers give', async () => {
    const down = "⌈inputShape[0]/2⌉";
    const sites = (file: string) => [
      // Only analysed without a caller: the shape as written is the shape.
      { kind: 'apply', file, range: range(1, 10, 30), className: 'Conv2D', storedIn: 'y', shapes: [], paramCounts: [],
        symbolicShapes: [[null, down, '⌈inputShape[1]/2⌉', '2·width']] },
      // Also reached from a caller with sizes: both, the concrete first.
      { kind: 'apply', file, range: range(2, 4, 40), className: 'Add', storedIn: 's', shapes: [[null, 16, 16, 32]], paramCounts: [0],
        operandShapes: [[[null, 16, 16, 32], [null, 16, 16, 32]]],
        symbolicShapes: [[null, 'x.shape[1]', 'x.shape[2]', 'filters']],
        symbolicOperandShapes: [[[null, 'x.shape[1]', 'x.shape[2]', 'filters'], [null, 'x.shape[1]', 'x.shape[2]', 'x.shape[3]']]] },
    ] as unknown as SiteInfo[];
    analyzeImpl = (file) => result(file, { sites: sites(file) });
    await start();
    const uri = 'file:///w/sym.ts';
    await lsp.open(uri, tfText('x\ny\nz\n'));
    const hoverAt = async (line: number, character: number) =>
      ((await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character } })).contents as MarkupContent).value;
    assert.equal(await hoverAt(1, 20), '**Conv2D** → `[null,⌈H/2⌉,⌈W/2⌉,2·width]`  \n' +
      'where H = `inputShape[0]` (item 0 of `inputShape`), W = `inputShape[1]` (item 1 of `inputShape`)');
    assert.equal(await hoverAt(2, 20), '**Add** → `[null,16,16,32]` · 0 params  \nas written: `[null,H,W,filters]`  \n' +
      'inputs: `[null,16,16,32]` + `[null,16,16,32]`  \ninputs as written: `[null,H,W,filters]` + `[null,H,W,C]`  \n' +
      'where H = `x.shape[1]` (axis 1 of `x`), W = `x.shape[2]` (axis 2 of `x`), C = `x.shape[3]` (axis 3 of `x`)');
    const hints = await lsp.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
    assert.deepEqual(hints.map((h) => [h.label, h.tooltip]), [
      ['[null,⌈H/2⌉,⌈W/2⌉,2·width]', 'H = `inputShape[0]` (item 0 of `inputShape`)\nW = `inputShape[1]` (item 1 of `inputShape`)'],
      ['[null,16,16,32]', undefined],
    ]);
  });

  it("shows a function's contract on a hover of its name, with its model summary when it builds one", async () => {
    const cond = (text: string, line: number, when?: string) => ({ text, ...(when ? { when } : {}), file: '/w/c.ts', range: range(line, 2, 9) });
    const contracts = [
      { function: 'block', file: '/w/c.ts', range: range(1, 9, 14), requires: [cond('filters == x.shape[3]', 3), cond('strides == 1', 3, '!project')] },
      { function: 'clean', file: '/w/c.ts', range: range(5, 9, 14), requires: [] },
    ];
    analyzeImpl = (file) => result(file, { contracts: file === '/w/c.ts' ? contracts : [] });
    await start();
    const uri = 'file:///w/c.ts';
    await lsp.open(uri, tfText('function block(x, filters, strides, project) {\n\n  add\n}\nfunction clean() {}\n'));
    await lsp.diagnosticsFor(uri, 1);
    const hover = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 11 } });
    assert.equal((hover.contents as MarkupContent).value, [
      '**block** requires:',
      '- `filters == x.shape[3]` (line 4)',
      '- `strides == 1` (line 4, when `!project`)',
      '',
      '`x.shape[3]` is axis 3 of `x`',
      '',
      'Each call is checked against this; a call that breaks it gets the finding.',
    ].join('\n'));
    assert.deepEqual(hover.range, range(1, 9, 14));
    assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 11 } }), null, 'no conditions, nothing to show');
  });

  it('shows a "not analysed" hint on each function the analyzer could not follow, unless turned off', async () => {
    analyzeImpl = (file, text) => result(file, {
      findings: bugsIn(file, text),
      functionNotes: text.includes('LOOP') ? [{ function: 'grow', file, range: range(1, 9, 13), reason: 'step budget exceeded' }] : [],
    });
    await start();
    const uri = 'file:///w/n.ts';
    await lsp.open(uri, tfText('function grow() { LOOP }\nBUG\n'));
    const shown = (await lsp.diagnosticsFor(uri, 1)).diagnostics;
    const hint = shown.find((d) => d.code === 'not-analysed');
    assert.deepEqual([hint?.severity, hint?.message, hint?.range], [4, 'not analysed: grow: step budget exceeded', range(1, 9, 13)]);
    assert.equal(shown.length, 2, 'the finding elsewhere stays');
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: range(1, 9, 13), context: { diagnostics: [] } });
    assert.deepEqual(actions.filter((a) => a.kind === 'quickfix'), [], 'a note offers no fix');

    lsp.settings = { debounceMs: 0, notAnalysed: false };
    const from = lsp.diagnostics.length;
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await lsp.diagnosticsFor(uri, 1, from)).diagnostics.map((d) => d.code), ['missing-same-padding']);
    await lsp.change(uri, 2, tfText('function grow() { }\nBUG\n'));
    lsp.settings = { debounceMs: 0 };
    const again = lsp.diagnostics.length;
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await lsp.diagnosticsFor(uri, 2, again)).diagnostics.map((d) => d.code), ['missing-same-padding'], 'followed now: no hint');
  });

  it('reads flat dotted rule settings from editors that send them', async () => {
    analyzeImpl = (file, text) => result(file, { findings: bugsIn(file, text) });
    await start({ debounceMs: 0, 'rules.missing-same-padding': 'warning' });
    await lsp.open('file:///w/s.ts', tfText('BUG\n'));
    const [d] = (await lsp.diagnosticsFor('file:///w/s.ts', 1)).diagnostics;
    assert.deepEqual([d.severity, d.source, d.code], [2, 'skipcheck', 'missing-same-padding']);
  });

  it('keeps answering requests while a queue of documents is analysed', async () => {
    analyzeImpl = (file, text) => (text.includes('SLOW') && busy(120), result(file));
    // Without workspace/configuration the server never waits on the client, so only its own yields let a request in.
    await start({}, { ...editorCapabilities, workspace: { ...editorCapabilities.workspace, configuration: false } });
    for (const n of [1, 2, 3, 4]) void lsp.open(`file:///w/slow${n}.ts`, tfText('SLOW'));
    await lsp.diagnosticsFor('file:///w/slow1.ts', 1);
    const publishedWhenAnswered = await lsp
      .request('textDocument/codeLens', { textDocument: { uri: 'file:///w/none.ts' } })
      .then(() => lsp.diagnostics.length);
    await lsp.diagnosticsFor('file:///w/slow4.ts', 1);
    assert.ok(publishedWhenAnswered < 4, `answered after ${publishedWhenAnswered} of 4 documents`);
  });
  it('defers fix-all to codeAction/resolve for clients that resolve edits, and checks only the requested range', async () => {
    analyzeImpl = (file, text) => result(file, { findings: bugsIn(file, text) });
    await start({ debounceMs: 0 }, resolvingClient);
    const uri = 'file:///w/lazy.ts';
    await lsp.open(uri, tfText('BUG\nBUG\nBUG\n'));
    await lsp.diagnosticsFor(uri, 1);
    const before = calls.length;
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: range(2, 0, 0), context: { diagnostics: [] },
    });
    assert.equal(verifications(), 1, 'one fix checked: the one under the cursor');
    const fixAll = actions.filter((a) => a.title.startsWith('Fix all'));
    assert.deepEqual(fixAll.map((a) => [a.kind, a.edit]), [['quickfix', undefined], ['source.fixAll.skipcheck', undefined]]);
    const resolved = await lsp.request<CodeAction>('codeAction/resolve', fixAll[0]);
    assert.equal(resolved.title, 'Fix all Skipcheck problems (3)');
    assert.deepEqual((resolved.edit!.documentChanges![0] as TextDocumentEdit).edits.map((e) => e.range.start.line), [1, 2, 3]);
    assert.equal(calls.length - before, 0, 'the scripted analyzer ran no extra analysis of the document');

    // A resolve for a version the document has left is refused, not applied to the wrong text.
    await lsp.change(uri, 2, tfText('BUG\n'));
    await lsp.diagnosticsFor(uri, 2);
    await assert.rejects(lsp.request('codeAction/resolve', fixAll[0]), (e: { code: number }) => e.code === -32801);
  });

  it('stops checking fixes when the request is cancelled, and answers hovers meanwhile', async () => {
    analyzeImpl = (file, text) => result(file, { findings: bugsIn(file, text) });
    await start({ debounceMs: 0 }, resolvingClient);
    const uri = 'file:///w/cancel.ts';
    checkMs = 20;
    await lsp.open(uri, tfText('BUG\n'.repeat(60)));
    await lsp.diagnosticsFor(uri, 1);
    const source = new CancellationTokenSource();
    const all = lsp.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 70, character: 0 } }, context: { diagnostics: [], only: ['quickfix'] },
    }, source.token);
    while (verifications() === 0) await new Promise((r) => setTimeout(r, 5));
    const hover = await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    assert.equal(hover, null, 'a hover is answered while the checks run');
    source.cancel();
    await assert.rejects(all, (e: { code: number }) => e.code === -32800);
    const stoppedAt = verifications();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(verifications(), stoppedAt, 'no check after the cancel');
    assert.ok(stoppedAt < 60, `stopped after ${stoppedAt} of 60 checks`);
  });
});
