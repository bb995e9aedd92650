// Ground truth for the analyzer's shape inference: runs a fixture with the real @tensorflow/tfjs and
// reports every model it builds, layer by layer, exactly as tfjs reports it.
//
// Order of execution mirrors what the analyzer treats as entry points: the module's top-level code first,
// then every exported function callable without arguments (`fn.length === 0`, which includes functions
// whose parameters all have defaults), in declaration order.
import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../server/src/analysis/types';
import type { CallSite } from './callSites';
import { createModuleScope, exportedNamesInOrder, type LoadedModule, type ModuleScope } from './fixtureModules';
import { createRecordingTf, type ModelKind, type RecordingTf } from './recordingTf';

export { loadExpectations, parseExpectations, type Expectations, type ExpectedFinding } from './expectations';

type TfLayer = tf.LayersModel['layers'][number];

export interface GroundTruthLayer {
  className: string;
  /** tfjs's own layer name, e.g. 'conv2d_Conv2D3'; unique within a tfjs session, so not stable across runs. */
  name: string;
  /** `layer.outputShape`; null when tfjs refuses to give one (a shared layer applied to different shapes). */
  outputShape: Shape | Shape[] | null;
  /** Output shape of each application of the layer, in application order. */
  nodeOutputShapes: (Shape | Shape[])[];
  paramCount: number | null;
  /** The factory call (`tf.layers.conv2d(...)`, `new MyLayer(...)`, `tf.input(...)`) that created it. */
  site?: CallSite;
}

export interface GroundTruthModel {
  /**
   * The top-level variable or export holding the model, or the entry point that returned it
   * (`entry.key` when returned inside an object or array); otherwise `entry#k` / `#k`, the k-th model
   * created by that entry point / by the whole run (1-based).
   */
  name: string;
  /** Exported zero-argument function that built the model; undefined for top-level code. */
  entry?: string;
  kind: ModelKind;
  layers: GroundTruthLayer[];
  inputShapes: Shape[];
  outputShapes: Shape[];
  paramCount: number;
  /** The `tf.model(...)` / `tf.sequential(...)` call. */
  site?: CallSite;
}

/** An error thrown while running a fixture, with where it happened. */
export class FixtureBuildError extends Error {
  constructor(readonly file: string, readonly entry: string | undefined, readonly tfjsMessage: string, options?: ErrorOptions) {
    super(`${file}${entry ? ` (entry ${entry})` : ' (top-level code)'}: ${tfjsMessage}`, options);
  }
}

export async function buildWithTfjs(file: string): Promise<GroundTruthModel[]> {
  return withIsolatedTfjs(async (recording) => {
    const { names, scope } = await runFixture(file, recording);
    return recording.created.map(({ model, kind, entry }, index) => ({
      name: names.get(model) ?? `#${index + 1}`,
      entry,
      kind,
      layers: model.layers.map((layer) => ({ ...describeLayer(layer), site: scope.siteOf(layer) })),
      inputShapes: (model.inputs ?? []).map((input) => copyShape(input.shape)),
      outputShapes: (model.outputs ?? []).map((output) => copyShape(output.shape)),
      paramCount: model.countParams(),
      site: scope.siteOf(model),
    }));
  });
}

/** The message tfjs (or the fixture) throws while building, or undefined when everything builds. */
export async function expectBuildError(file: string): Promise<string | undefined> {
  return withIsolatedTfjs(async (recording) => {
    try {
      await runFixture(file, recording);
      return undefined;
    } catch (error) {
      if (error instanceof FixtureBuildError) return error.tfjsMessage;
      throw error;
    }
  });
}

interface FixtureRun {
  /** Names the run could give to the models it built. */
  names: Map<tf.LayersModel, string>;
  scope: ModuleScope;
}

async function runFixture(file: string, recording: RecordingTf): Promise<FixtureRun> {
  const names = new Map<tf.LayersModel, string>();
  const nameModels = (value: unknown, name: string): void => {
    if (value instanceof tf.LayersModel) {
      if (!names.has(value)) names.set(value, name);
    }
  };

  const scope = createModuleScope(recording.tf, { siteKey: layerOf });
  let loaded: LoadedModule;
  try {
    loaded = scope.load(file);
  } catch (error) {
    throw new FixtureBuildError(file, undefined, messageOf(error), { cause: error });
  }
  for (const [name, value] of Object.entries(loaded.exports)) nameModels(value, name);
  for (const [name, value] of loaded.locals) nameModels(value, name);

  for (const entry of entryPoints(file, loaded.exports)) {
    recording.setEntry(entry.name);
    const before = recording.created.length;
    let returned: unknown;
    try {
      returned = await entry.fn();
    } catch (error) {
      throw new FixtureBuildError(file, entry.name, messageOf(error), { cause: error });
    }
    nameModels(returned, entry.name);
    if (returned !== null && typeof returned === 'object' && !(returned instanceof tf.LayersModel)) {
      for (const [key, value] of Object.entries(returned)) nameModels(value, `${entry.name}.${key}`);
    }
    recording.created.slice(before).forEach(({ model }, k) => nameModels(model, `${entry.name}#${k + 1}`));
  }
  recording.setEntry(undefined);
  return { names, scope };
}

/** The layer a call's result stands for: the layer itself, or the InputLayer behind `tf.input()`. */
function layerOf(value: unknown): object | undefined {
  if (value instanceof tf.layers.Layer) return value;
  if (value instanceof tf.SymbolicTensor && value.sourceLayer.getClassName() === 'InputLayer') return value.sourceLayer;
  return undefined;
}

interface EntryPoint { name: string; fn: () => unknown }

function entryPoints(file: string, exports: Record<string, unknown>): EntryPoint[] {
  // Source order first; then names only visible at run time (`module.exports = {...}` in plain JS).
  const ordered = [...new Set([...exportedNamesInOrder(file), ...Object.keys(exports)])];
  const result: EntryPoint[] = [];
  for (const name of ordered) {
    const value = exports[name];
    if (typeof value !== 'function' || value.length !== 0 || isClass(value)) continue;
    result.push({ name, fn: value as () => unknown });
  }
  return result;
}

function isClass(fn: object): boolean {
  return /^class\b/.test(Function.prototype.toString.call(fn));
}

function describeLayer(layer: TfLayer): GroundTruthLayer {
  let outputShape: Shape | Shape[] | null;
  try {
    outputShape = copyShape(layer.outputShape);
  } catch {
    outputShape = null;
  }
  let paramCount: number | null;
  try {
    paramCount = layer.countParams();
  } catch {
    paramCount = null;
  }
  return {
    className: layer.getClassName(),
    name: layer.name,
    outputShape,
    nodeOutputShapes: layer.inboundNodes.map((node) => nodeOutputShape(node.outputShapes as Shape[])),
    paramCount,
  };
}

/** Unwrapped for single-output nodes, the way tfjs's own `outputShape` getter does it. */
function nodeOutputShape(outputShapes: Shape[]): Shape | Shape[] {
  return copyShape(outputShapes.length === 1 ? outputShapes[0] : outputShapes);
}

/** Detached copy, so callers can keep it after the model is disposed. */
function copyShape<T>(shape: T): T {
  return JSON.parse(JSON.stringify(shape)) as T;
}

/**
 * Runs `work` with a fresh recording view of tfjs, then frees what the fixture allocated: the tensors
 * made in the run's engine scope, the recorded models' weights, and any variable created during the run
 * (layers that never made it into a model, or a build that threw half way). Variables that existed
 * before are left alone: other tests may own them.
 */
async function withIsolatedTfjs<T>(work: (recording: RecordingTf) => Promise<T>): Promise<T> {
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.state.registeredVariables));
  const recording = createRecordingTf();
  engine.startScope();
  try {
    return await work(recording);
  } finally {
    engine.endScope();
    for (const { model } of recording.created) {
      try {
        model.dispose();
      } catch {
        // Already disposed through an enclosing model that used it as a layer.
      }
    }
    for (const [name, variable] of Object.entries(engine.state.registeredVariables)) {
      if (!variablesBefore.has(name)) variable.dispose();
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
