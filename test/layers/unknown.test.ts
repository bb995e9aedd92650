// UNKNOWN config values and unknown (undefined) input dims: never an error, and an unknown output dim
// exactly where the value matters. "Matters" is decided by tfjs: we run it with several candidate values in
// place of the unknown one, and an output dim must be unknown iff it changes between the runs that succeed.
import assert from 'node:assert/strict';
import { UNKNOWN, specForFactory, type ConfigValue, type LayerConfig } from '../../server/src/analysis/layers';
import type { Dim, Shape } from '../../server/src/analysis/types';
import { describeCase, runTfjs, type Case } from './harness';

/** Where the unknown goes: a config key (optionally one element of an array value) or an input dim. */
type Hole = { key: string; index?: number; candidates: ConfigValue[] } | { input: number; axis: number; candidates: Dim[] };

function fill(c: Case, hole: Hole, value: ConfigValue | Dim): Case {
  if ('key' in hole) {
    const cfg: LayerConfig = { ...c.cfg };
    if (hole.index === undefined) cfg[hole.key] = value;
    else {
      const arr = (cfg[hole.key] as ConfigValue[]).slice();
      arr[hole.index] = value;
      cfg[hole.key] = arr;
    }
    return { ...c, cfg };
  }
  const inputs = c.inputs.map((s) => s.slice());
  inputs[hole.input][hole.axis] = value as Dim;
  return { ...c, inputs };
}

/** The first difference between our answer with the hole and tfjs's answers for each candidate. */
function problem(c: Case, hole: Hole): string | undefined {
  const spec = specForFactory(c.factory)!;
  const open = fill(c, hole, 'key' in hole ? UNKNOWN : undefined);
  const ours = spec.computeOutputShape(open.cfg, open.inputs);
  const params = spec.countParams(open.cfg, open.inputs);
  if (ours.error) return `error ${ours.error}`;
  const runs = hole.candidates.map((v) => runTfjs(fill(c, hole, v))).filter((r) => !r.error);
  if (runs.length === 0) return 'no candidate builds in tfjs';
  const shapes = runs.map((r) => r.shape as Shape);
  if (!ours.shape || ours.shape.length !== shapes[0].length) return `shape ${JSON.stringify(ours.shape)} vs tfjs ${JSON.stringify(shapes)}`;
  for (let i = 0; i < shapes[0].length; i++) {
    const seen = new Set(shapes.map((s) => s[i]));
    const expected = seen.size > 1 ? undefined : shapes[0][i];
    if (ours.shape[i] !== expected) return `dim ${i} is ${String(ours.shape[i])}, tfjs gives ${[...seen].join(' / ')}`;
  }
  const counts = new Set(runs.map((r) => r.params));
  const expectedParams = counts.size > 1 ? null : runs[0].params;
  if (params !== expectedParams) return `params ${params}, tfjs gives ${[...counts].join(' / ')}`;
  return undefined;
}

function check(c: Case, holes: Hole[]): string[] {
  return holes.flatMap((h) => {
    const p = problem(c, h);
    return p ? [`${describeCase(c)} with ${'key' in h ? `${h.key}${h.index === undefined ? '' : `[${h.index}]`}` : `input ${h.input} axis ${h.axis}`} unknown: ${p}`] : [];
  });
}

/** Every non-batch dim of every input, each in turn. */
function inputHoles(c: Case, candidates: Dim[] = [null, 1, 4, 5, 9]): Hole[] {
  return c.inputs.flatMap((s, input) => s.slice(1).map((_d, i) => ({ input, axis: i + 1, candidates })));
}

const cfgHole = (key: string, candidates: ConfigValue[], index?: number): Hole => ({ key, candidates, index });

const table: [Case, Hole[]][] = [
  [{ factory: 'conv2d', cfg: { filters: 4, kernelSize: 3, strides: 2 }, inputs: [[null, 9, 11, 3]] }, [
    cfgHole('filters', [2, 4, 8]), cfgHole('kernelSize', [1, 3, 5]), cfgHole('strides', [1, 2, 3]),
    cfgHole('padding', ['same', 'valid']), cfgHole('useBias', [true, false]), cfgHole('activation', ['relu', 'linear']),
  ]],
  [{ factory: 'conv2d', cfg: { filters: 4, kernelSize: [3, 2], padding: 'same' }, inputs: [[null, 9, 11, 3]] }, [
    cfgHole('kernelSize', [1, 3, 5], 1), cfgHole('dilationRate', [1, 2, 3]), cfgHole('dataFormat', ['channelsLast', 'channelsFirst']),
  ]],
  [{ factory: 'conv1d', cfg: { filters: 2, kernelSize: 3, dilationRate: 2 }, inputs: [[null, 12, 3]] }, [cfgHole('dilationRate', [1, 2, 3])]],
  [{ factory: 'depthwiseConv2d', cfg: { kernelSize: 3, depthMultiplier: 2 }, inputs: [[null, 8, 8, 3]] }, [cfgHole('depthMultiplier', [1, 2, 3])]],
  [{ factory: 'separableConv2d', cfg: { filters: 5, kernelSize: 3 }, inputs: [[null, 8, 8, 3]] }, [cfgHole('depthMultiplier', [1, 2]), cfgHole('filters', [2, 5])]],
  [{ factory: 'conv2dTranspose', cfg: { filters: 5, kernelSize: 3, strides: 2 }, inputs: [[null, 8, 7, 3]] }, [cfgHole('strides', [1, 2, 3]), cfgHole('kernelSize', [1, 3, 4])]],
  [{ factory: 'maxPooling2d', cfg: { poolSize: 3, strides: 2 }, inputs: [[null, 9, 10, 3]] }, [
    cfgHole('poolSize', [2, 3, 4]), cfgHole('strides', [1, 2, 3]), cfgHole('padding', ['same', 'valid']),
  ]],
  [{ factory: 'averagePooling1d', cfg: { poolSize: 3 }, inputs: [[null, 9, 3]] }, [cfgHole('poolSize', [2, 3, 4])]],
  [{ factory: 'globalAveragePooling2d', cfg: {}, inputs: [[null, 9, 10, 3]] }, [cfgHole('dataFormat', ['channelsLast', 'channelsFirst'])]],
  [{ factory: 'batchNormalization', cfg: {}, inputs: [[null, 4, 5, 6]] }, [
    cfgHole('axis', [-1, 1, 2]), cfgHole('center', [true, false]), cfgHole('scale', [true, false]),
  ]],
  [{ factory: 'layerNormalization', cfg: { axis: [1, 2] }, inputs: [[null, 4, 5, 6]] }, [cfgHole('axis', [1, 2, 3], 1)]],
  [{ factory: 'dense', cfg: { units: 7 }, inputs: [[null, 6]] }, [cfgHole('units', [2, 7]), cfgHole('useBias', [true, false])]],
  [{ factory: 'dense', cfg: { units: 7 }, inputs: [[null, 3, 6]] }, []],
  [{ factory: 'flatten', cfg: {}, inputs: [[null, 3, 4, 5]] }, []],
  [{ factory: 'reshape', cfg: { targetShape: [-1, 6] }, inputs: [[2, 3, 4]] }, []],
  [{ factory: 'permute', cfg: { dims: [2, 1] }, inputs: [[null, 3, 4]] }, [cfgHole('dims', [[1, 2], [2, 1]])]],
  [{ factory: 'repeatVector', cfg: { n: 3 }, inputs: [[null, 4]] }, [cfgHole('n', [2, 3])]],
  [{ factory: 'dropout', cfg: { rate: 0.5 }, inputs: [[null, 4, 4]] }, [cfgHole('rate', [0.1, 0.5])]],
  [{ factory: 'zeroPadding2d', cfg: { padding: [[1, 2], [0, 3]] }, inputs: [[null, 5, 6, 2]] }, [cfgHole('padding', [1, 2, [1, 2]])]],
  [{ factory: 'cropping2D', cfg: { cropping: [[1, 2], [0, 3]] }, inputs: [[null, 8, 9, 2]] }, [cfgHole('cropping', [[0, 3], [2, 2], [1, 1]], 1)]],
  [{ factory: 'upSampling2d', cfg: { size: [2, 3] }, inputs: [[null, 5, 6, 2]] }, [cfgHole('size', [[2, 2], [3, 1]])]],
  [{ factory: 'add', cfg: {}, inputs: [[null, 4, 4, 8], [null, 4, 4, 8]] }, []],
  [{ factory: 'concatenate', cfg: { axis: -1 }, inputs: [[null, 4, 4, 3], [null, 4, 4, 5]] }, [cfgHole('axis', [1, 2, 3, -1])]],
];

describe('layers: unknown values', () => {
  it('UNKNOWN config values and unknown input dims make exactly the dims that depend on them unknown', () => {
    const problems = table.flatMap(([c, holes]) => check(c, [...holes, ...inputHoles(c)]));
    assert.deepEqual(problems, []);
  });

  it('unknown dims never raise errors, even where the same dims would be wrong if None', () => {
    const u = undefined;
    const probes: [string, LayerConfig, Shape[]][] = [
      ['conv2d', { filters: 2, kernelSize: 3 }, [[null, u, u, u]]],
      ['dense', { units: 2 }, [[u, u]]],
      ['flatten', {}, [[null, u, 3]]],
      ['batchNormalization', {}, [[null, 3, u]]],
      ['prelu', {}, [[null, u, 2]]],
      ['add', {}, [[u, 4, u], [null, u, 5]]],
      ['concatenate', {}, [[null, u, 4], [null, 3, u]]],
      ['reshape', { targetShape: [-1, 5] }, [[2, u, 3]]],
      ['maxPooling2d', { poolSize: 5 }, [[null, u, u, 2]]],
    ];
    for (const [factory, cfg, inputs] of probes) {
      const r = specForFactory(factory)!.computeOutputShape(cfg, inputs);
      assert.equal(r.error, undefined, `${factory} on ${JSON.stringify(inputs)}: ${r.error}`);
      assert.ok(r.shape, `${factory}: no shape`);
    }
  });
});
