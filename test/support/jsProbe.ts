// Runs a snippet of plain JS whose result `n` decides a layer's size through the analyzer and through Node,
// so that tests can ask: does the analyzer compute what Node computes, or say it does not know?
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { analyze, type Dim } from '../../server/src/analysis';

export const VIRTUAL = path.join(os.tmpdir(), 'skipcheck-virtual', 'model.ts');

/** The size the analyzer infers for `n` (null: unknown). */
export function sizeFrom(body: string, file = VIRTUAL): Dim {
  const text = `import * as tf from '@tensorflow/tfjs';\n${body}\nexport function probe() { const x = tf.input({ shape: [Number(n)] }); return tf.model({ inputs: x, outputs: x }); }`;
  const r = analyze(file, text, { readFile: () => undefined });
  assert.deepEqual(r.notes.filter((n) => n.startsWith('internal error')), []);
  assert.equal(r.models.length, 1, `notes: ${r.notes}`);
  return r.models[0].inputShapes[0]?.[1];
}

/** What Node computes for `n` (TypeScript transpiled, `process.env` empty). */
export function runInNode(body: string): unknown {
  const js = ts.transpileModule(`${body}\nreturn n;`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function('process', js)({ env: {} });
}
