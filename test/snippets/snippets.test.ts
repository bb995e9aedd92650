// Every snippet, expanded with its defaults, must be code the analyzer finds nothing wrong with and that
// real tfjs builds into the same number of layers the analyzer reports; the TypeScript set must type-check
// and the JavaScript set must parse as JavaScript.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { analyze } from '../../server/src/analysis';
import { createModuleScope } from '../support/fixtureModules';
import { expandSnippet, tabStops } from './expandSnippet';

const root = path.resolve(__dirname, '..', '..');
type Snippets = Record<string, { prefix: string; description: string; body: string[] }>;
const load = (file: string): Snippets => JSON.parse(fs.readFileSync(path.join(root, 'snippets', file), 'utf8'));
const languages = [
  { language: 'typescript', ext: '.ts', snippets: load('typescript.code-snippets') },
  { language: 'javascript', ext: '.js', snippets: load('javascript.code-snippets') },
];
const header = "import * as tf from '@tensorflow/tfjs';\n\n";

/** The input each block snippet is tried on: channels equal to its default filters, so identity shortcuts fit. */
const blockInputs: Record<string, number[]> = {
  'tfres-basic': [8, 8, 64],
  'tfres-basic-proj': [8, 8, 64],
  'tfres-bottleneck': [8, 8, 64],
  'tfres-preact': [8, 8, 64],
  'tfres-stem': [64, 64, 3],
};
const builders = ['tfres-resnet20', 'tfres-resnet50'];

function functionName(code: string): string {
  const m = /function (\w+)\(/.exec(code);
  assert.ok(m, 'the snippet defines a function');
  return m[1];
}

/** The expanded snippet as a module exporting `entry()` that returns a model. */
function asModule(prefix: string, code: string): { text: string; entry: string } {
  const fn = functionName(code);
  if (builders.includes(prefix)) return { text: header + code + '\n', entry: fn };
  const shape = blockInputs[prefix];
  assert.ok(shape, `${prefix} has a test input (add one when adding a snippet)`);
  return {
    text: `${header}${code}\n\nexport function entry() {\n  const input = tf.input({ shape: [${shape.join(', ')}] });\n  return tf.model({ inputs: input, outputs: ${fn}(input) });\n}\n`,
    entry: 'entry',
  };
}

function withTempFile<T>(name: string, text: string, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-snippet-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('snippets', function () {
  this.timeout(120_000);

  it('are generated from snippets/src and up to date', () => {
    execFileSync(process.execPath, [path.join(root, 'snippets', 'build.mjs'), '--check'], { stdio: 'pipe' });
    assert.deepEqual(Object.keys(languages[0].snippets), Object.keys(languages[1].snippets));
    assert.ok(Object.keys(languages[0].snippets).length >= 8);
  });

  it('give tab stops for names and sizes, and the expander handles mirrors, choices and escapes', () => {
    for (const { snippets } of languages) {
      for (const s of Object.values(snippets)) assert.ok(tabStops(s.body).filter((n) => n > 0).length >= 2, s.prefix);
    }
    assert.equal(expandSnippet('a ${1:x${2:y}} $1 ${3|p,q|} \\$4 \\} $0'), 'a xy xy p $4 } ');
    assert.throws(() => expandSnippet('$TM_FILENAME'), /variables are not supported/);
    assert.throws(() => expandSnippet('${1:open'), /unclosed/);
  });

  it('type-check as strict TypeScript once expanded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-snippet-tsc-'));
    try {
      const files = Object.values(languages[0].snippets).map((s) => {
        const file = path.join(dir, `${s.prefix}.ts`);
        fs.writeFileSync(file, header + expandSnippet(s.body) + '\n');
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true,
        skipLibCheck: true, types: [], baseUrl: root, paths: { '@tensorflow/tfjs': [path.join(root, 'node_modules/@tensorflow/tfjs')] },
      });
      const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      assert.deepEqual(errors, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const { language, ext, snippets } of languages) {
    describe(language, () => {
      for (const s of Object.values(snippets)) {
        if (s.prefix === 'tfres-train') continue;
        it(`${s.prefix}: no findings, and tfjs builds as many layers as the analyzer reports`, () => {
          const code = expandSnippet(s.body);
          if (ext === '.js') {
            const out = ts.transpileModule(code, { fileName: 'snippet.js', reportDiagnostics: true, compilerOptions: { allowJs: true } });
            assert.deepEqual(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], 'plain JavaScript');
          }
          const { text, entry } = asModule(s.prefix, code);
          withTempFile(`snippet${ext}`, text, (file) => {
            const result = analyze(file, text);
            assert.deepEqual(result.findings.map((f) => `${f.rule}: ${f.message}`), []);
            const model = createModuleScope(tf).load(file).exports[entry] as () => tf.LayersModel;
            const built = model();
            try {
              const analysed = result.models.find((m) => m.entry === entry);
              assert.ok(analysed, `the analyzer sees the model built by ${entry}: ${JSON.stringify(result.models.map((m) => [m.name, m.entry]))} ${result.notes.join('; ')}`);
              assert.equal(analysed.layers.length, built.layers.length);
              assert.deepEqual(analysed.outputShapes, built.outputs.map((o) => o.shape));
            } finally {
              built.dispose();
            }
          });
        });
      }

      it('tfres-train: trains a model with real tfjs, logging every epoch', async () => {
        const code = expandSnippet(Object.values(snippets).find((s) => s.prefix === 'tfres-train')!.body);
        const epochs = Number(/epochs: (\d+)/.exec(code)![1]);
        const text = `${header}${code}\n
export function entry() {
  const input = tf.input({ shape: [4, 4, 1] });
  const flat = tf.layers.flatten().apply(input);
  const output = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(flat);
  return tf.model({ inputs: input, outputs: output });
}
export function run() {
  const xs = tf.randomUniform([10, 4, 4, 1]);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
  return ${functionName(code)}(entry(), xs, ys);
}
`;
        await withTempFile(`train${ext}`, text, async (file) => {
          assert.deepEqual(analyze(file, text).findings, []);
          const logged: unknown[][] = [];
          const log = console.log;
          console.log = (...args: unknown[]) => void logged.push(args);
          try {
            const history = await (createModuleScope(tf).load(file).exports.run as () => Promise<tf.History>)();
            assert.equal(history.history.loss.length, epochs);
            assert.ok(history.history.val_loss, 'validation split is used');
          } finally {
            console.log = log;
          }
          assert.deepEqual(logged.map((l) => l.slice(0, 2)), Array.from({ length: epochs }, (_, i) => ['epoch', i + 1]));
        });
      });
    });
  }
});
