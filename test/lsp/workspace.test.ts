// The workspace index with the real analyzer: a helper's findings come from callers in files that are not
// open, stay when a caller's tab closes, follow disk changes, and an edit re-analyses only the files that
// import the edited one. The server runs in this process so the analyses it runs can be counted.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { analyze } from '../../server/src/analysis';
import { startServer } from '../../server/src/lsp/startServer';
import { fileUri, LspHarness } from './lspHarness';

const header = "import * as tf from '@tensorflow/tfjs';\n";

/** Identity shortcut: fine only when `filters` equals the input's channels (a contract on its callers). */
const helperText = `${header}
export function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
}
`;
const ADD_LINE = 4;

const caller = (name: string, channels: number, filters: number, from = './helper') => `${header}import { block } from '${from}';

export function ${name}(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, ${channels}] });
  return tf.model({ inputs: input, outputs: block(input, ${filters}) });
}
`;

describe('language server workspace index (real analyzer, in process)', () => {
  let dir: string;
  let lsp: LspHarness;
  let analysed: string[];
  const at = (name: string) => path.join(dir, name);
  const uri = (name: string) => fileUri(at(name));
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(at(name)), { recursive: true });
    writeFileSync(at(name), text);
  };

  async function start(folder = dir) {
    analysed = [];
    lsp = await LspHarness.inProcess((input, output) => {
      const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
      startServer(connection, {
        analyze: (file, text, host) => (analysed.push(path.relative(dir, file)), analyze(file, text, host, { verify: false })),
      });
    }, { debounceMs: 0 }, undefined, folder);
    await lsp.waitFor('the index to be built', () => lsp.logs.find((l) => l.includes('skipcheck: indexed')));
  }

  const mismatchesIn = (name: string, from = 0) =>
    lsp.diagnostics.slice(from).filter((d) => d.uri === uri(name)).at(-1)?.diagnostics.filter((d) => d.code === 'residual-shape-mismatch') ?? [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'skipcheck-ws-'));
    write('helper.ts', helperText);
    write('caller.ts', caller('build', 16, 32));
    write('fine.ts', caller('fine', 16, 16));
    write('deep/uses.ts', `${header}import { fine } from '../fine';\nexport const m = fine();\n`);
    write('other.ts', `${header}export function lone() { return tf.sequential(); }\n`);
    write('plain.ts', 'export const answer = 42;\n');
    // Not the user's code: never indexed, never analysed.
    write('node_modules/lib/index.ts', caller('vendored', 3, 64, '../../helper'));
    write('dist/bundle.js', caller('bundled', 3, 64, '../helper'));
  });

  afterEach(async () => {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a helper's finding from a caller that was never opened, and keeps it when a caller's tab closes", async () => {
    await start();
    await lsp.open(uri('helper.ts'), helperText);
    const found = await lsp.waitFor('the finding from caller.ts', () => {
      const m = mismatchesIn('helper.ts');
      return m.length > 0 ? m : undefined;
    });
    assert.equal(found[0].range.start.line, ADD_LINE);
    assert.ok(!analysed.some((f) => f.includes('node_modules') || f.includes('dist')), `analysed: ${analysed.join(', ')}`);
    assert.ok(!analysed.includes('plain.ts'), 'a file without tfjs is not analysed');

    // Open the caller, then close it: the helper's finding must not blink away.
    await lsp.open(uri('caller.ts'), caller('build', 16, 32));
    await lsp.diagnosticsFor(uri('caller.ts'), 1);
    const beforeClose = lsp.diagnostics.length;
    analysed = [];
    await lsp.close(uri('caller.ts'));
    await lsp.waitFor('caller re-read from disk', () => (analysed.includes('caller.ts') ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    const helperAfter = lsp.diagnostics.slice(beforeClose).filter((d) => d.uri === uri('helper.ts'));
    assert.ok(helperAfter.every((d) => d.diagnostics.some((x) => x.code === 'residual-shape-mismatch')), JSON.stringify(helperAfter));
    assert.equal(mismatchesIn('helper.ts').length, 1);
  });

  it('re-analyses exactly the files that import an edited helper, and follows files created and deleted on disk', async () => {
    await start();
    await lsp.open(uri('helper.ts'), helperText);
    await lsp.waitFor('background analysis of the workspace', () =>
      ['caller.ts', 'fine.ts', 'deep/uses.ts', 'other.ts'].every((f) => analysed.includes(f)) ? true : undefined);
    await lsp.waitFor('the finding', () => (mismatchesIn('helper.ts').length > 0 ? true : undefined));

    // Break the helper for every caller (a 'valid' conv shrinks the branch): all importers re-run, and only they.
    analysed = [];
    const from = lsp.diagnostics.length;
    await lsp.change(uri('helper.ts'), 2, helperText.replace("padding: 'same'", "padding: 'valid'"));
    const edited = await lsp.waitFor('helper diagnostics at v2', () =>
      lsp.diagnostics.slice(from).find((d) => d.uri === uri('helper.ts') && d.version === 2));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([...new Set(analysed)].sort(), ['caller.ts', 'deep/uses.ts', 'fine.ts', 'helper.ts']);
    assert.ok(edited.diagnostics.some((d) => d.code === 'residual-shape-mismatch'));

    // Back to the contract-respecting helper; a new caller that violates it appears on disk, then goes.
    await lsp.change(uri('helper.ts'), 3, helperText);
    await lsp.waitFor('helper v3 with the one finding', () =>
      lsp.diagnostics.find((d) => d.uri === uri('helper.ts') && d.version === 3) ? true : undefined);
    write('fine.ts', caller('fine', 16, 48));
    const before = lsp.diagnostics.length;
    analysed = [];
    await lsp.filesChanged([{ uri: uri('fine.ts'), type: 2 }]);
    await lsp.waitFor('two callers now break the helper', () => {
      const d = lsp.diagnostics.slice(before).filter((p) => p.uri === uri('helper.ts')).at(-1);
      return d && d.diagnostics.filter((x) => x.code === 'residual-shape-mismatch').length >= 1 && analysed.includes('deep/uses.ts') ? d : undefined;
    });
    assert.ok(!analysed.includes('other.ts') && !analysed.includes('caller.ts'), `analysed: ${analysed.join(', ')}`);

    rmSync(at('caller.ts'));
    write('fine.ts', caller('fine', 16, 16));
    const gone = lsp.diagnostics.length;
    await lsp.filesChanged([{ uri: uri('caller.ts'), type: 3 }, { uri: uri('fine.ts'), type: 2 }]);
    const cleared = await lsp.waitFor('the helper clean again', () =>
      lsp.diagnostics.slice(gone).find((d) => d.uri === uri('helper.ts') && d.diagnostics.length === 0));
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('follows workspace folders added and removed', async () => {
    write('more/late.ts', caller('late', 16, 64, '../helper'));
    mkdirSync(at('first'));
    write('first/x.ts', header);
    await start(at('first'));
    await lsp.open(uri('helper.ts'), helperText);
    await lsp.diagnosticsFor(uri('helper.ts'), 1);
    // Only first/ is a folder: helper.ts (outside it) is analysed as an open file, nothing calls it.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(mismatchesIn('helper.ts'), []);

    await lsp.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri('more'), name: 'more' }], removed: [] } });
    await lsp.waitFor("the new folder's caller breaking the helper", () => (mismatchesIn('helper.ts').length > 0 ? true : undefined));
    assert.ok(!analysed.includes('caller.ts'), 'files outside the folders stay out');

    const from = lsp.diagnostics.length;
    await lsp.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uri('more'), name: 'more' }] } });
    await lsp.waitFor('the helper clean once the folder is gone', () =>
      lsp.diagnostics.slice(from).find((d) => d.uri === uri('helper.ts') && d.diagnostics.length === 0));
  });
});
