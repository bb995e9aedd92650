// Runs the user's model file. It is bundled with esbuild (so TypeScript and local imports just work)
// and every tfjs import is pointed at the one tf instance the trainer loaded: a model built with a
// second copy of tfjs would fail `instanceof` checks and could not be trained by our optimizer.
import * as esbuild from 'esbuild';
import { SourceMap, type SourceMapPayload, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import type { TrainerErrorCode } from '../../../contract/protocol';

export class ModelLoadError extends Error {
  constructor(readonly code: TrainerErrorCode, message: string, readonly detail?: string) { super(message); }
}

const TF_IMPORT = /^@tensorflow\/tfjs(-node|-node-gpu|-layers|-core)?$/;
const TF_INSTANCE = 'skipcheck:tf-instance';

/** Bundles `modelFile` into one CommonJS string with tfjs imports left as requires of TF_INSTANCE. */
export async function bundleModelFile(modelFile: string): Promise<string> {
  const tfPlugin: esbuild.Plugin = {
    name: 'skipcheck-single-tf',
    setup(build) {
      build.onResolve({ filter: TF_IMPORT }, () => ({ path: TF_INSTANCE, external: true }));
    },
  };
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [modelFile], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false,
      logLevel: 'silent', plugins: [tfPlugin], sourcemap: 'inline',
    });
  } catch (err) {
    const errors = (err as { errors?: esbuild.Message[] }).errors ?? [];
    const detail = errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`).join('\n');
    throw new ModelLoadError('model-load-failed', `Could not compile ${modelFile}`, detail || String(err));
  }
  return result.outputFiles[0].text;
}

/** Evaluates the bundle as a fresh CommonJS module and returns its exports. */
export function evaluateBundle(code: string, modelFile: string, tf: Tf): Record<string, unknown> {
  const localRequire = createRequire(modelFile);
  const req = Object.assign((id: string): unknown => (id === TF_INSTANCE ? tf : localRequire(id)), localRequire);
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: modelFile }) as
    (exports: unknown, require: unknown, module: unknown, filename: string, dirname: string) => void;
  try {
    wrapper(module.exports, req, module, modelFile, dirname(modelFile));
  } catch (err) {
    const stack = stackOf(err);
    throw new ModelLoadError('model-load-failed', `${modelFile} threw while loading: ${errorText(err)}`, stack && mapStack(stack, code, modelFile));
  }
  bundles.set(module.exports, { code, modelFile });
  return module.exports;
}

/** The bundle each exports object came from, to map stack traces of its functions back to the sources. */
const bundles = new WeakMap<object, { code: string; modelFile: string }>();

/**
 * Rewrites `modelFile:line:col` frames of a stack (positions in the bundle) to the user's own files and
 * lines through the bundle's inline source map. Frames it cannot map are left as they are.
 */
export function mapStack(stack: string, code: string, modelFile: string): string {
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!inline) return stack;
  let map: SourceMap;
  try { map = new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')) as SourceMapPayload); } catch { return stack; }
  const escaped = modelFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (whole, line: string, col: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(col) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry?.originalSource || entry.originalLine === undefined) return whole;
    return `${resolve(entry.originalSource)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

/** Exported functions taking no arguments: the candidates for a default entry. */
export function zeroArgFunctions(exports: Record<string, unknown>): string[] {
  return Object.keys(exports).filter((k) => typeof exports[k] === 'function' && (exports[k] as () => unknown).length === 0);
}

async function callEntry(exports: Record<string, unknown>, entry: string, modelFile: string, tf: Tf, args: unknown[] = []): Promise<tfType.LayersModel> {
  const fn = exports[entry];
  if (typeof fn !== 'function') {
    const fns = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
    throw new ModelLoadError('entry-not-found', `${modelFile} does not export a function named "${entry}".`,
      fns.length ? `Exported functions: ${fns.join(', ')}` : 'The file exports no functions; add `export function ' + entry + '() { ... return model; }`.');
  }
  let value: unknown;
  try {
    // JSON has no undefined: null stands for "leave this parameter to its default".
    value = await (fn as (...a: unknown[]) => unknown)(...args.map((a) => (a === null ? undefined : a)));
  } catch (err) {
    const from = bundles.get(exports);
    const stack = stackOf(err);
    throw new ModelLoadError('model-load-failed', `${entry}() threw: ${errorText(err)}`, stack && from ? mapStack(stack, from.code, from.modelFile) : stack);
  }
  if (!(value instanceof tf.LayersModel)) {
    const what = value === null ? 'null' : typeof value === 'object' ? (value).constructor?.name ?? 'an object' : typeof value;
    throw new ModelLoadError('not-a-model', `${entry}() returned ${what}, not a tf.LayersModel.`,
      'Return the model built with tf.model({inputs, outputs}) or tf.sequential(). A model built with another copy of tfjs is not accepted either.');
  }
  return value;
}

/**
 * Loads `modelFile` and calls `entry`. An empty entry picks the only exported zero-argument function that
 * returns a model; several candidates are all called and must leave exactly one model-returning function.
 */
export async function loadModel(modelFile: string, entry: string, tf: Tf, args?: unknown[]): Promise<{ model: tfType.LayersModel; entry: string }> {
  const exports = evaluateBundle(await bundleModelFile(modelFile), modelFile, tf);
  if (entry) return { model: await callEntry(exports, entry, modelFile, tf, args), entry };
  const candidates = zeroArgFunctions(exports);
  const found: { model: tfType.LayersModel; entry: string }[] = [];
  const threw: ModelLoadError[] = [];
  for (const name of candidates) {
    try { found.push({ model: await callEntry(exports, name, modelFile, tf), entry: name }); } catch (err) {
      // Not a model builder, or a builder that failed: the latter's error is what the user needs.
      if (err instanceof ModelLoadError && err.code === 'model-load-failed') threw.push(err);
    }
  }
  if (found.length === 1) return found[0];
  for (const f of found) f.model.dispose();
  if (found.length === 0 && threw.length === 1) throw threw[0];
  throw new ModelLoadError('entry-not-found',
    found.length === 0 ? `${modelFile} exports no zero-argument function returning a tf.LayersModel.` :
      `${modelFile} exports several model builders (${found.map((f) => f.entry).join(', ')}); choose one with --entry.`,
    candidates.length ? `Zero-argument exported functions: ${candidates.join(', ')}` : undefined);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function stackOf(err: unknown): string | undefined {
  return err instanceof Error ? err.stack : undefined;
}
