// Code checked as written, as the editor shows it: a helper nothing calls gets its contract in the hover of
// its name, and a builder with its sizes as parameters gets symbolic shapes in hovers and inlay hints. The
// server is the real one over stdio; what it says is checked against tfjs building the same functions with
// several concrete argument sets.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import { createModuleScope } from '../support/fixtureModules';
import { fileUri, LspHarness, repoRoot } from './lspHarness';

const source = `import * as tf from '@tensorflow/tfjs';

export function down(x: tf.SymbolicTensor, filters: number, strides = 2): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
}

export function stem(inputShape: number[], width: number): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const wide = tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: wide });
}
`;

/** A helper broken by its only call, and a builder nothing calls whose loop count is fixed. */
const flowSource = `import * as tf from '@tensorflow/tfjs';

function plain(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
}

export function callsPlain(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  return plain(x, filters, 2);
}

export function buildNet(inputShape: number[], numClasses: number): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) x = plain(x, 8);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;

/** Evaluates a shown dim (`⌈H/2⌉`, `2·width`) with the symbols' values, so it can be compared with tfjs. */
function evaluate(dim: string, values: Record<string, number>): number {
  let js = dim.replace(/·/g, '*').replace(/⌈/g, 'Math.ceil((').replace(/⌉/g, '))').replace(/⌊/g, 'Math.floor((').replace(/⌋/g, '))');
  js = js.replace(/[A-Za-z_$][\w$]*/g, (name) => (name === 'Math' || name === 'ceil' || name === 'floor' ? name : String(values[name] ?? NaN)));
  return Function(`"use strict"; return (${js});`)() as number;
}

describe('symbolic shapes and contracts in the editor (real analyzer over stdio)', function () {
  let lsp: LspHarness;
  let dir: string;
  let file: string;
  let exports: Record<string, (...args: unknown[]) => unknown>;
  const lines = source.split('\n');
  const at = (needle: string, offset = 1) => {
    const line = lines.findIndex((l) => l.includes(needle));
    return { line, character: lines[line].indexOf(needle) + offset };
  };
  const hoverAt = async (needle: string, offset = 1) => {
    const h = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri(file) }, position: at(needle, offset) });
    assert.ok(h, `a hover on ${needle}`);
    return (h.contents as MarkupContent).value;
  };

  before(async function () {
    this.timeout(120_000);
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'skipcheck-sym-'));
    file = path.join(dir, 'blocks.ts');
    writeFileSync(file, source);
    exports = createModuleScope(tf).load(file).exports as typeof exports;
    lsp = await LspHarness.spawn({ debounceMs: 0 });
    await lsp.open(fileUri(file), source);
    await lsp.diagnosticsFor(fileUri(file), 1);
  });
  after(async () => {
    await lsp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a helper's contract on its name, and tfjs agrees with it on argument sets that meet and break it", async () => {
    const value = await hoverAt('down(');
    assert.match(value, /^\*\*down\*\* requires:/);
    const conditions = [...value.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]).sort();
    assert.deepEqual(conditions, ['filters == x.shape[3]', 'strides == 1']);
    assert.match(value, /`x\.shape\[3\]` is axis 3 of `x`/);

    // The contract's verdict, argument set by argument set, against tfjs building the block.
    for (const [channels, filters, strides] of [[8, 8, 1], [16, 16, 1], [8, 16, 1], [8, 8, 2], [4, 8, 2]]) {
      const meets = filters === channels && strides === 1;
      const x = tf.input({ shape: [12, 12, channels] });
      let built = true;
      try {
        exports.down(x, filters, strides);
      } catch {
        built = false;
      }
      assert.equal(built, meets, `down(x with ${channels} channels, ${filters}, ${strides})`);
    }
    assert.equal(lsp.diagnostics.at(-1)?.diagnostics.filter((d) => d.code === 'residual-shape-mismatch').length, 0, 'a contract is not a finding');
  });

  it('shows symbolic shapes named from the source in hover and inlay hint, matching tfjs for several sizes', async () => {
    const value = await hoverAt('.apply(input)', 2);
    const shown = /→ `\[([^\]]*)\]`/.exec(value);
    assert.ok(shown, value);
    assert.match(value, /H = `inputShape\[0\]` \(item 0 of `inputShape`\)/);
    assert.match(value, /W = `inputShape\[1\]` \(item 1 of `inputShape`\)/);
    const dims = shown[1].split(',');
    assert.equal(dims[0], 'null');
    assert.deepEqual(dims.slice(1), ['⌈H/2⌉', '⌈W/2⌉', '2·width']);

    for (const [h, w, c, width] of [[32, 32, 3, 16], [7, 9, 1, 3], [1, 64, 5, 8]]) {
      const model = exports.stem([h, w, c], width) as tf.LayersModel;
      const symbols = { H: h, W: w, width };
      assert.deepEqual(dims.slice(1).map((d) => evaluate(d, symbols)), model.outputs[0].shape.slice(1), `stem([${h}, ${w}, ${c}], ${width})`);
    }

    const hints = await lsp.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: fileUri(file) }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
    });
    const wide = hints.find((h) => h.position.line === at('const wide').line);
    assert.equal(wide?.label, '[null,⌈H/2⌉,⌈W/2⌉,2·width]');
    const tip = wide?.tooltip;
    assert.match(typeof tip === 'string' ? tip : tip?.value ?? '', /H = `inputShape\[0\]`/);
  });

  it("a call that breaks a helper: the diagnostic at the helper's merge carries the call as related information; an uncalled builder's hover is its model summary", async () => {
    const flowFile = path.join(dir, 'flow.ts');
    writeFileSync(flowFile, flowSource);
    const flow = createModuleScope(tf).load(flowFile).exports as Record<string, (...a: unknown[]) => unknown>;
    const flowLines = flowSource.split('\n');
    const lineOf = (needle: string) => flowLines.findIndex((l) => l.includes(needle));
    await lsp.open(fileUri(flowFile), flowSource);
    const published = await lsp.diagnosticsFor(fileUri(flowFile), 1);
    const d = published.diagnostics.find((x) => x.code === 'residual-shape-mismatch');
    assert.ok(d, JSON.stringify(published.diagnostics));
    assert.equal(d.range.start.line, lineOf('add().apply'));
    const call = d.relatedInformation?.find((r) => r.location.range.start.line === lineOf('plain(x, filters, 2)'));
    assert.ok(call, JSON.stringify(d.relatedInformation));
    assert.equal(call.location.uri, fileUri(flowFile));
    assert.match(call.message, /the call of plain/);
    // tfjs: that call fails for every input and width.
    for (const [h, c, f] of [[8, 8, 8], [9, 16, 8], [16, 4, 16]]) {
      assert.throws(() => flow.callsPlain(tf.input({ shape: [h, h, c] }), f), Error, `callsPlain([${h}, ${h}, ${c}], ${f})`);
    }

    const at = { line: lineOf('export function buildNet'), character: flowLines[lineOf('export function buildNet')].indexOf('buildNet') + 2 };
    const h = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri: fileUri(flowFile) }, position: at });
    const value = (h?.contents as MarkupContent | undefined)?.value ?? '';
    const head = /\*\*Model `buildNet`\*\* \(functional\) · (\d+) layers/.exec(value);
    assert.ok(head, value);
    const out = /→ outputs `\[([^\]]*)\]`/.exec(value);
    assert.ok(out, value);
    for (const [hw, c, classes] of [[8, 3, 10], [15, 1, 4]]) {
      const model = flow.buildNet([hw, hw, c], classes) as tf.LayersModel;
      assert.equal(Number(head[1]), model.layers.length, `layers of buildNet([${hw}, ${hw}, ${c}], ${classes})`);
      assert.deepEqual(out[1].split(',').map((dim) => (dim === 'null' ? null : evaluate(dim, { numClasses: classes }))), model.outputs[0].shape);
    }
  });
});
