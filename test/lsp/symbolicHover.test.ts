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
});
