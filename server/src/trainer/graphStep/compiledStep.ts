// Runs a recorded training step as one TensorFlow graph, batch after batch. The model's variables live in
// native tensors between steps (fed in, fetched out), so a step moves only the batch across from
// JavaScript; tfjs's own variables are brought up to date when something else needs them (evaluation,
// the response-std probe, saving).
import type * as tfType from '@tensorflow/tfjs';
import { TF_DTYPE, TFJS_DTYPE, TYPED_ARRAY, type GraphAddon, type NativeTensor, type OutputRef, type Session, type TensorValue } from './addon';
import { buildGraph, type BuiltGraph } from './buildGraph';
import type { External, StepTrace } from './trace';

type Tf = typeof tfType;
type Feed = Extract<External, { kind: 'feed' }>;

export class CompiledStep {
  readonly nodes: number;
  private readonly built: BuiltGraph;
  private readonly session: Session;
  /** Current value of every variable the step reads or writes, by name. */
  private readonly state = new Map<string, NativeTensor>();
  private readonly variableFeeds: { name: string; ref: OutputRef }[] = [];
  private readonly batchFeeds: { feed: Feed; ref: OutputRef }[] = [];

  constructor(private readonly addon: GraphAddon, private readonly trace: StepTrace) {
    this.built = buildGraph(addon, trace);
    this.nodes = this.built.nodes;
    this.session = addon.newSession(this.built.graph);
    for (const [index, ref] of this.built.placeholders) {
      const ext = trace.externals[index];
      if (ext.kind === 'variable') this.variableFeeds.push({ name: ext.name, ref });
      if (ext.kind === 'feed') this.batchFeeds.push({ feed: ext, ref });
    }
  }

  /** Names of the variables the graph carries. */
  get variables(): string[] {
    return [...new Set([...this.variableFeeds.map((v) => v.name), ...this.trace.updates.map((u) => u.name)])];
  }

  /** Whether batch tensors of these shapes fit the graph (the last, smaller batch of an epoch does not). */
  accepts(shapes: number[][]): boolean {
    return this.batchFeeds.every(({ feed }) => shapes[feed.slot]?.join() === feed.shape.join());
  }

  /** Takes the variables' current values from tfjs. */
  loadFrom(tf: Tf): void {
    this.load(variableValues(tf, this.variables));
  }

  /** Takes the variables' values from a snapshot (variableValues). */
  load(values: Map<string, TensorValue>): void {
    for (const name of this.variables) {
      const v = values.get(name);
      if (!v) throw new Error(`no value for variable ${name}`);
      this.replace(name, this.addon.tensor(v.dtype, v.shape, v.data));
    }
  }

  /** Writes the graph's variable values into tfjs's variables. */
  storeTo(tf: Tf): void {
    const registered = tf.engine().state.registeredVariables as Record<string, tfType.Variable>;
    for (const [name, tensor] of this.state) {
      const v = registered[name];
      if (!v) continue;
      // assign() takes the value's data and a reference to it; the value's own handle must still go.
      const value = this.toTfjs(tf, tensor);
      v.assign(value);
      value.dispose();
    }
  }

  /** The values of the variables, as typed arrays (for checks). */
  values(): Map<string, ArrayBufferView> {
    return new Map([...this.state].map(([name, t]) => [name, this.read(t)]));
  }

  /** One training step on a batch; returns what the step read back (trainOnBatch's loss and metrics). */
  run(batch: ArrayBufferView[]): number[] {
    const refs: OutputRef[] = [];
    const values: NativeTensor[] = [];
    for (const { name, ref } of this.variableFeeds) {
      const t = this.state.get(name);
      if (!t) throw new Error(`no value for variable ${name}: load() first`);
      refs.push(ref);
      values.push(t);
    }
    const own = this.batchFeeds.map(({ feed }) => this.addon.tensor(feed.dtype, feed.shape, batch[feed.slot]));
    let out: NativeTensor[];
    try {
      out = this.addon.run(this.session, this.built.graph, [...refs, ...this.batchFeeds.map((b) => b.ref)], [...values, ...own], this.built.fetches);
    } finally {
      own.forEach((t) => this.addon.deleteTensor(t));
    }
    const reads = out.slice(0, this.trace.reads.length).map((t) => {
      const value = Number((this.read(t) as Float32Array)[0]);
      this.addon.deleteTensor(t);
      return value;
    });
    this.trace.updates.forEach((u, i) => this.replace(u.name, out[this.trace.reads.length + i]));
    return reads;
  }

  dispose(): void {
    for (const t of this.state.values()) this.addon.deleteTensor(t);
    this.state.clear();
  }

  private replace(name: string, tensor: NativeTensor): void {
    // A fetched tensor is a new handle even when TensorFlow hands back the fed buffer (it counts references).
    const old = this.state.get(name);
    if (old && old !== tensor) this.addon.deleteTensor(old);
    this.state.set(name, tensor);
  }

  private read(t: NativeTensor): ArrayBufferView {
    const { dtype, data } = this.addon.tensorData(t);
    const ctor = TYPED_ARRAY[dtype];
    if (!ctor) throw new Error(`unsupported dtype ${dtype}`);
    return new ctor(data);
  }

  private toTfjs(tf: Tf, t: NativeTensor): tfType.Tensor {
    const { dtype, shape, data } = this.addon.tensorData(t);
    const ctor = TYPED_ARRAY[dtype];
    return tf.tensor(new ctor(data), shape, TFJS_DTYPE[dtype]);
  }
}

/** Copies of the named tfjs variables' values. */
export function variableValues(tf: Tf, names: Iterable<string>): Map<string, TensorValue> {
  const registered = tf.engine().state.registeredVariables as Record<string, tfType.Variable>;
  const values = new Map<string, TensorValue>();
  for (const name of names) {
    const v = registered[name];
    if (!v) throw new Error(`variable ${name} is gone`);
    values.set(name, { dtype: TF_DTYPE[v.dtype], shape: v.shape, data: v.dataSync() });
  }
  return values;
}
