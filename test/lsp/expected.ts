// What the server should say about a fixture, computed independently of it: the analysis core run in this
// process, and the shapes real @tensorflow/tfjs gives when the fixture's model is built.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze, type AnalysisResult, type Shape } from '../../server/src/analysis';
import { createModuleScope } from '../support/fixtureModules';

export const fixturesDir = path.join(__dirname, 'fixtures');

export function fixture(name: string): { file: string; text: string } {
  const file = path.join(fixturesDir, name);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

export function analyzeFromDisk(file: string, text: string): AnalysisResult {
  return analyze(file, text, {
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

/** Calls `exportName` of a TS/JS module file with real tfjs. */
export function buildFile(file: string, exportName: string, args: unknown[] = []): tf.LayersModel {
  const build = createModuleScope(tf).load(file).exports[exportName];
  if (typeof build !== 'function') throw new Error(`${exportName} is not exported by ${file}`);
  return build(...args) as tf.LayersModel;
}

/** The same for source text without relative imports (an edited fixture, an expanded snippet). */
export function buildText(text: string, exportName: string, args: unknown[] = []): tf.LayersModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-lsp-'));
  const file = path.join(dir, 'model.ts');
  fs.writeFileSync(file, text);
  try {
    return buildFile(file, exportName, args);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** tfjs prints unknown dims as null, like the server's shape labels do for the batch axis. */
export function tfjsShape(shape: unknown): string {
  return `[${(shape as Shape).map((d) => (d === null || d === undefined ? 'null' : String(d))).join(',')}]`;
}

export function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`fixture has no line with ${needle}`);
  return line;
}
