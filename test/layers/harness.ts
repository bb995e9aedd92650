// Compares the layer catalogue with real @tensorflow/tfjs. For every case tfjs builds the layer on symbolic
// inputs (shape and countParams() as tfjs reports them) and, when every non-batch dim is known, runs it once
// on zeros, because some failures (a window larger than its input, causal padding, strides with dilation,
// a reshape of the wrong size) only show when tfjs executes the layer.
import * as tf from '@tensorflow/tfjs';
import { UNKNOWN, specForFactory, type ConfigValue, type LayerConfig } from '../../server/src/analysis/layers';
import type { Dim, Shape } from '../../server/src/analysis/types';

export interface Case {
  factory: string;
  cfg: LayerConfig;
  inputs: Shape[];
}

export interface TfjsOutcome {
  /** What tfjs threw while constructing, building or running the layer. */
  error?: string;
  /** tfjs's symbolic output shape, when apply() succeeded. */
  shape?: Shape;
  params?: number;
}

type Factory = (cfg: unknown) => tf.layers.Layer;

function tfFactory(name: string): Factory {
  const f = (tf.layers as unknown as Record<string, Factory>)[name];
  if (typeof f !== 'function') throw new Error(`tf.layers.${name} does not exist`);
  return f;
}

function plain(v: ConfigValue): unknown {
  if (v === UNKNOWN) throw new Error('UNKNOWN cannot be given to tfjs');
  return Array.isArray(v) ? v.map(plain) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
}

const isBroken = (d: Dim): boolean => typeof d === 'number' && !(Number.isInteger(d) && d > 0);

export interface RunOptions {
  /**
   * Run the layer even when a non-batch dim is None, with that dim set to this size. For layers whose
   * run-time failures depend on the config alone (convolutions), given a size every window fits into.
   */
  noneAs?: number;
}

export function runTfjs(c: Case, opts: RunOptions = {}): TfjsOutcome {
  let layer: tf.layers.Layer;
  let shape: Shape;
  let params: number;
  try {
    // tfjs mutates some configs (Reshape's targetShape, pooling defaults): always give it a fresh copy.
    layer = tfFactory(c.factory)(plain(c.cfg));
    const xs = c.inputs.map((s) => tf.input({ batchShape: s as number[] }));
    const y = layer.apply(xs.length === 1 ? xs[0] : xs) as tf.SymbolicTensor;
    shape = y.shape;
    params = layer.countParams();
  } catch (e) {
    return { error: (e as Error).message };
  }
  const concrete = c.inputs.map((s) => s.map((d, i) => (d === null ? (i === 0 ? 1 : opts.noneAs) : d)));
  if (concrete.every((s) => s.every((d) => typeof d === 'number' && d > 0))) {
    let ran: number[];
    try {
      ran = tf.tidy(() => {
        const xs = concrete.map((s) => tf.zeros(s as number[]));
        return (layer.apply(xs.length === 1 ? xs[0] : xs) as tf.Tensor).shape;
      });
    } catch (e) {
      return { shape, params, error: `at run time: ${(e as Error).message}` };
    }
    // A layer whose real output disagrees with the shape it announced is broken too.
    const agrees = ran.length === shape.length && shape.every((d, i) => d === null || d === ran[i]);
    if (!agrees) return { shape, params, error: `runs to shape ${JSON.stringify(ran)}, not the announced ${JSON.stringify(shape)}` };
  }
  if (shape.some(isBroken)) return { shape, params, error: `tfjs reports the broken shape ${JSON.stringify(shape)}` };
  return { shape, params };
}

export function describeCase(c: Case): string {
  const cfg = JSON.stringify(c.cfg, (_k, v) => (v === UNKNOWN ? '?' : v));
  return `${c.factory}(${cfg}) on ${c.inputs.map((s) => JSON.stringify(s)).join(' & ')}`;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Why our answer differs from tfjs's for this case, or undefined when it agrees. */
export function disagreement(c: Case, t: TfjsOutcome): string | undefined {
  const spec = specForFactory(c.factory);
  if (!spec) return 'no spec';
  const ours = spec.computeOutputShape(c.cfg, c.inputs);
  const params = spec.countParams(c.cfg, c.inputs);
  if (t.error && !ours.error) return `tfjs fails (${t.error}) but we give ${JSON.stringify(ours.shape)}`;
  if (!t.error && ours.error) return `we fail (${ours.error}) but tfjs gives ${JSON.stringify(t.shape)}`;
  // Where tfjs still reports a (possibly broken) shape, ours must be that shape, even next to an error.
  const comparable = t.shape !== undefined && t.shape.every((d) => d === null || Number.isFinite(d));
  if (comparable && ours.shape !== undefined && !same(ours.shape, t.shape)) return `shape ${JSON.stringify(ours.shape)}, tfjs ${JSON.stringify(t.shape)}`;
  if (!t.error && ours.shape === undefined) return `no shape, tfjs ${JSON.stringify(t.shape)}`;
  if (t.params !== undefined && params !== t.params) return `params ${params}, tfjs ${t.params}`;
  return undefined;
}

export interface TableReport {
  total: number;
  failing: number;
  problems: string[];
}

/** Runs every case; the table must contain cases tfjs rejects and cases it accepts, or it proves little. */
export interface TableOptions extends RunOptions {
  /** False for tables of layers tfjs never rejects. */
  expectErrors?: boolean;
}

export function checkTable(cases: Case[], opts: TableOptions = {}): TableReport {
  const problems: string[] = [];
  let failing = 0;
  for (const c of cases) {
    const t = runTfjs(c, opts);
    if (t.error) failing++;
    const d = disagreement(c, t);
    if (d) problems.push(`${describeCase(c)}: ${d}`);
  }
  if (opts.expectErrors !== false && failing === 0) problems.push('table has no case tfjs rejects');
  if (failing === cases.length) problems.push('table has no case tfjs accepts');
  return { total: cases.length, failing, problems };
}

export function assertTable(cases: Case[], opts?: TableOptions): void {
  const r = checkTable(cases, opts);
  if (r.problems.length > 0) {
    throw new Error(`${r.problems.length} of ${r.total} cases disagree with tfjs:\n  ${r.problems.slice(0, 25).join('\n  ')}`);
  }
}

/** Every combination of the given option values, merged into `base`. Absent values leave the key out. */
export function combos(base: LayerConfig, options: Record<string, ConfigValue[]>): LayerConfig[] {
  let out: LayerConfig[] = [{ ...base }];
  for (const [key, values] of Object.entries(options)) {
    out = out.flatMap((cfg) => values.map((v) => (v === undefined ? { ...cfg } : { ...cfg, [key]: v })));
  }
  return out;
}

export function cases(factory: string, configs: LayerConfig[], inputs: Shape[][]): Case[] {
  return configs.flatMap((cfg) => inputs.map((i) => ({ factory, cfg, inputs: i })));
}
