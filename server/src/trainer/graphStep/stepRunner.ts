// Decides, batch by batch, whether a training step runs eagerly through tfjs (trainOnBatch) or as one
// compiled TensorFlow graph. On tfjs-node with Skipcheck's graph addon: the first full batch warms up
// (optimizer slots and cached constants are created), the next two are recorded while they run eagerly,
// and if both recorded the same computation the graph is built, checked against the eager step it
// recorded, and used from then on. Anything unexpected leaves training on the eager path, with the reason.
import type * as tfType from '@tensorflow/tfjs';
import type { AddonLoad, GraphAddon, TensorValue } from './addon';
import { CompiledStep, variableValues } from './compiledStep';
import { traceDifference } from './sameStep';
import { traceStep, type StepTrace } from './trace';

type Tf = typeof tfType;
export interface StepBatch { x: tfType.Tensor; y: tfType.Tensor }
export type StepResult = number | number[];

export interface ExecutionReport { mode: 'graph' | 'eager'; message: string }

/** Off switch for diagnosing a difference: SKIPCHECK_GRAPH_STEP=0 trains op by op. */
export function graphStepWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SKIPCHECK_GRAPH_STEP !== '0';
}

/** How closely the compiled step must reproduce the eager step it was recorded from. */
export const SELF_CHECK_TOLERANCE = 1e-3;

export class StepRunner {
  private phase: 'eager' | 'warmup' | 'trace-a' | 'trace-b' | 'graph';
  private compiled?: CompiledStep;
  private fullShapes?: string;
  private first?: StepTrace;
  /** The graph holds newer variable values than tfjs. */
  private dirty = false;

  private readonly addon?: GraphAddon;

  constructor(private readonly tf: Tf, private readonly model: tfType.LayersModel, load: AddonLoad | undefined,
    private readonly report: (r: ExecutionReport) => void) {
    this.addon = load?.addon;
    this.phase = this.addon && tf.getBackend() === 'tensorflow' && graphStepWanted() ? 'warmup' : 'eager';
    // On native TensorFlow op by op is the slow path: say why it is taken. Pure JS has no other.
    if (this.phase === 'eager' && tf.getBackend() === 'tensorflow') {
      this.giveUp(!graphStepWanted() ? 'SKIPCHECK_GRAPH_STEP=0' : `no graph runner: ${load && 'reason' in load ? load.reason : 'not looked for'}`);
    }
  }

  get mode(): 'graph' | 'eager' | 'pending' {
    return this.phase === 'graph' ? 'graph' : this.phase === 'eager' ? 'eager' : 'pending';
  }

  async train(batch: StepBatch): Promise<StepResult> {
    const shapes = [batch.x.shape, batch.y.shape];
    if (this.phase === 'graph' && this.compiled) {
      if (this.compiled.accepts(shapes)) {
        try {
          const reads = this.compiled.run([batch.x.dataSync(), batch.y.dataSync()]);
          this.dirty = true;
          return reads.length === 1 ? reads[0] : reads;
        } catch (err) {
          // A failed run changed no weights: training goes on eagerly from the last good ones.
          this.sync();
          this.dispose();
          this.giveUp(`the graph failed: ${(err as Error).message.split('\n')[0]}`);
          return this.eager(batch);
        }
      }
      // A batch of another size (the last of an epoch) runs eagerly from the graph's weights.
      this.sync();
      const result = await this.eager(batch);
      this.compiled.loadFrom(this.tf);
      return result;
    }
    if (this.phase === 'eager') return this.eager(batch);
    const key = JSON.stringify(shapes);
    this.fullShapes ??= key;
    if (key !== this.fullShapes) return this.eager(batch);
    if (this.phase === 'warmup') {
      this.phase = 'trace-a';
      return this.eager(batch);
    }
    if (this.phase === 'trace-a') {
      const { trace, result } = await this.traced(batch);
      this.first = trace;
      if (trace) this.phase = 'trace-b';
      return result;
    }
    // trace-b: record once more, from a snapshot the compiled step can then repeat the step from.
    const before = variableValues(this.tf, Object.keys(this.tf.engine().state.registeredVariables));
    const { trace, result } = await this.traced(batch);
    if (trace && this.first) this.compile(this.first, trace, before, batch, result);
    this.first = undefined;
    return result;
  }

  /** Brings tfjs's variables up to date with the graph's (before evaluation, probing or saving). */
  sync(): void {
    if (this.dirty && this.compiled) this.compiled.storeTo(this.tf);
    this.dirty = false;
  }

  dispose(): void {
    this.compiled?.dispose();
    this.compiled = undefined;
  }

  private eager(batch: StepBatch): Promise<StepResult> {
    return this.model.trainOnBatch(batch.x, batch.y);
  }

  private async traced(batch: StepBatch): Promise<{ trace?: StepTrace; result: StepResult }> {
    const traced = await traceStep(this.tf, [batch.x, batch.y], () => this.eager(batch));
    if (traced.problem) this.giveUp(traced.problem);
    return traced;
  }

  private compile(a: StepTrace, b: StepTrace, before: Map<string, TensorValue>, batch: StepBatch, result: StepResult): void {
    const difference = traceDifference(a, b);
    if (difference) return this.giveUp(difference);
    const returned = Array.isArray(result) ? result : [result];
    if (b.reads.length !== returned.length) return this.giveUp('the step reads tensor values back to JavaScript while it runs (a custom layer or loss?)');
    let compiled: CompiledStep | undefined;
    const started = performance.now();
    try {
      compiled = new CompiledStep(this.addon!, b);
      compiled.load(before);
      const reads = compiled.run([batch.x.dataSync(), batch.y.dataSync()]);
      const mismatch = stepMismatch(reads, returned, compiled.values(), variableValues(this.tf, compiled.variables));
      if (mismatch) {
        compiled.dispose();
        return this.giveUp(`the graph does not reproduce the eager step (${mismatch})`);
      }
      compiled.loadFrom(this.tf);
    } catch (err) {
      compiled?.dispose();
      return this.giveUp((err as Error).message.split('\n')[0]);
    }
    this.compiled = compiled;
    this.phase = 'graph';
    this.report({
      mode: 'graph',
      message: `training steps run as one TensorFlow graph (${compiled.nodes} nodes, recorded from tfjs's step, ` +
        `built and checked against it in ${Math.round(performance.now() - started)} ms)`,
    });
  }

  private giveUp(reason: string): void {
    this.phase = 'eager';
    this.report({ mode: 'eager', message: `training steps run op by op (${reason})` });
  }
}

/**
 * undefined when the compiled step's read-backs (loss, metrics) and new variable values agree with those of
 * tfjs's eager step, else the first difference. Relative to each variable's largest value: float32 kernels
 * that sum in another order differ in the last bits, a wrong graph by far more.
 */
export function stepMismatch(reads: number[], returned: number[], graph: Map<string, ArrayBufferView>, eager: Map<string, TensorValue>): string | undefined {
  if (reads.length !== returned.length) return `${reads.length} values read back instead of ${returned.length}`;
  for (let i = 0; i < reads.length; i++) {
    if (!(Math.abs(reads[i] - returned[i]) <= SELF_CHECK_TOLERANCE * Math.max(1, Math.abs(returned[i])))) {
      return `value ${i + 1} read back: ${reads[i]} vs ${returned[i]}`;
    }
  }
  for (const [name, value] of graph) {
    const a = value as Float32Array;
    const ref = eager.get(name);
    if (!ref || ref.data.byteLength !== a.byteLength) return `${name} is missing or has another size`;
    const b = ref.data as Float32Array;
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    if (!(diff <= SELF_CHECK_TOLERANCE * Math.max(scale, 1e-3))) return `${name} differs by ${diff.toExponential(1)}`;
  }
  return undefined;
}
