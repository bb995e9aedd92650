// Records what one training step asks of tfjs-node's native binding: every TensorFlow op it executes, the
// tensors it creates from JavaScript values, the tensors it reads back, and which variables end up holding
// new values. The step itself runs normally (eagerly) while it is recorded. tfjs-node's backend calls its
// binding for all of this, so the record is taken by putting a recording proxy in front of the binding.
import type * as tfType from '@tensorflow/tfjs';
import { asNodeBackend, type NodeBinding } from '../tfjsNode';
import { TF_DTYPE, TFJS_DTYPE, type GraphAttr, type TensorValue } from './addon';

/** Where a traced op's input comes from. */
export type Ref =
  | { kind: 'out'; op: number; index: number }
  | { kind: 'const'; index: number }
  | { kind: 'ext'; index: number };

export interface TracedOp { type: string; attrs: GraphAttr[]; inputs: Ref[]; numOutputs: number }

/** A tensor that existed before the step: a variable's value, a fed batch tensor, or anything else (captured as a constant). */
export type External =
  | { kind: 'variable'; name: string; dtype: number; shape: number[] }
  | { kind: 'feed'; slot: number; dtype: number; shape: number[] }
  | { kind: 'captured'; value: TensorValue };

export interface StepTrace {
  ops: TracedOp[];
  consts: TensorValue[];
  externals: External[];
  /** Tensors read back to JavaScript during the step, in order (the loss and metrics of trainOnBatch). */
  reads: Ref[];
  /** Variables that hold a new tensor after the step. */
  updates: { name: string; value: Ref }[];
}

/** The part of the binding (tfjsNode.ts) the recorder stands in front of. */
export type Binding = Pick<NodeBinding, 'createTensor' | 'executeOp' | 'tensorDataSync' | 'deleteTensor'>;

type Tf = typeof tfType;

const carried = (dtype: number) => dtype in TFJS_DTYPE;

export type Traced<T> = { result: T; trace: StepTrace; problem?: undefined } | { result: T; trace?: undefined; problem: string };

/**
 * Runs `step` once, eagerly, with the binding recorded. `feeds` are the step's inputs that change from one
 * call to the next (the batch). When the step did something a graph cannot replay, `problem` says what;
 * the step has run all the same. An error thrown by the step itself propagates.
 */
export async function traceStep<T>(tf: Tf, feeds: tfType.Tensor[], step: () => Promise<T>): Promise<Traced<T>> {
  const backend = asNodeBackend(tf.backend());
  const binding = backend.binding;
  const variables = () => tf.engine().state.registeredVariables as Record<string, tfType.Variable>;
  // tf.variable(t) shares t's data, so two variables can start on one tensor id: inputs are looked up by
  // id (either name gives the same value), updates are checked name by name.
  const startIds = new Map<number, { name: string; variable: tfType.Variable }>();
  const startIdOf = new Map<string, number>();
  const startNames = Object.keys(variables());
  const feedIds = new Map<number, number>();
  try {
    for (const name of startNames) {
      const variable = variables()[name];
      const id = backend.getInputTensorIds([variable])[0];
      startIdOf.set(name, id);
      if (!startIds.has(id)) startIds.set(id, { name, variable });
    }
    feeds.forEach((t, slot) => feedIds.set(backend.getInputTensorIds([t])[0], slot));
  } catch (err) {
    // Another tfjs-node than the one this was written against (4.22): train on, unrecorded.
    return { result: await step(), problem: `tfjs-node's backend cannot be recorded (${(err as Error).message.split('\n')[0]})` };
  }

  const trace: StepTrace = { ops: [], consts: [], externals: [], reads: [], updates: [] };
  const refs = new Map<number, Ref>();
  let failure: string | undefined;

  const resolve = (id: number): Ref => {
    const known = refs.get(id);
    if (known) return known;
    const ref: Ref = { kind: 'ext', index: trace.externals.length };
    let external: External;
    try {
      external = describeExternal(id);
    } catch (err) {
      // The step must not fail because recording it did.
      fail(`a tensor from before the step could not be read (${(err as Error).message.split('\n')[0]})`);
      external = { kind: 'captured', value: { dtype: TF_DTYPE.float32, shape: [0], data: new Float32Array(0) } };
    }
    trace.externals.push(external);
    refs.set(id, ref);
    return ref;
  };
  const describeExternal = (id: number): External => {
    const v = startIds.get(id);
    if (v) return { kind: 'variable', name: v.name, dtype: dtypeOf(v.variable), shape: v.variable.shape };
    const slot = feedIds.get(id);
    if (slot !== undefined) return { kind: 'feed', slot, dtype: dtypeOf(feeds[slot]), shape: feeds[slot].shape };
    // Any other tensor made before the step (a cached scalar, an optimizer constant) is immutable in tfjs:
    // the graph holds its value. Its shape and dtype come from an Identity of it, which the binding describes.
    const [meta] = binding.executeOp('Identity', [], [id], 1);
    const data = copy(binding.tensorDataSync(meta.id));
    binding.deleteTensor(meta.id);
    if (!carried(meta.dtype)) fail(`the step uses a tensor of TensorFlow dtype ${meta.dtype}`);
    return { kind: 'captured', value: { dtype: meta.dtype, shape: meta.shape, data } };
  };
  const dtypeOf = (t: tfType.Tensor): number => {
    const d = TF_DTYPE[t.dtype];
    if (d === undefined) fail(`the step uses a ${t.dtype} tensor`);
    return d ?? -1;
  };
  const fail = (why: string) => { failure ??= why; };

  // The binding's own properties are read-only (N-API defaults), so the recorder is a new object that
  // inherits them and defines its three recording methods.
  const createTensor: Binding['createTensor'] = (shape, dtype, values) => {
    const id = binding.createTensor(shape, dtype, values);
    if (!carried(dtype)) fail(`the step creates a tensor of TensorFlow dtype ${dtype}`);
    refs.set(id, { kind: 'const', index: trace.consts.length });
    trace.consts.push({ dtype, shape: [...shape], data: copy(values) });
    return id;
  };
  const executeOp: Binding['executeOp'] = (name, attrs, inputIds, numOutputs) => {
    const inputs = inputIds.map(resolve);
    const out = binding.executeOp(name, attrs, inputIds, numOutputs);
    const op = trace.ops.length;
    trace.ops.push({ type: name, attrs: attrs.map((a) => ({ name: a.name, type: a.type, value: cloneValue(a.value) })), inputs, numOutputs });
    out.forEach((m, index) => refs.set(m.id, { kind: 'out', op, index }));
    return out;
  };
  const tensorDataSync: Binding['tensorDataSync'] = (id) => {
    trace.reads.push(resolve(id));
    return binding.tensorDataSync(id);
  };
  const recorder = Object.create(binding, {
    createTensor: { value: createTensor }, executeOp: { value: executeOp }, tensorDataSync: { value: tensorDataSync },
  }) as NodeBinding;

  backend.binding = recorder;
  let result: T;
  try {
    result = await step();
    // Variables assigned a JavaScript-held value get their native tensor here, still recorded.
    const endNames = Object.keys(variables());
    if (endNames.length !== startNames.length || endNames.some((n) => !startNames.includes(n))) fail('the step creates or disposes variables');
    for (const [name, startId] of startIdOf) {
      const variable = variables()[name];
      if (!variable) continue;
      const id = backend.getInputTensorIds([variable])[0];
      if (id !== startId) trace.updates.push({ name, value: resolve(id) });
    }
  } finally {
    backend.binding = binding;
  }
  return failure ? { result, problem: failure } : { result, trace };
}

function copy(values: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const ctor = values.constructor as new (b: ArrayBuffer) => ArrayBufferView;
  const out = bytes.slice().buffer;
  return values instanceof DataView ? new DataView(out) : new ctor(out);
}

function cloneValue(value: unknown): unknown {
  return Array.isArray(value) ? value.map(cloneValue) : value;
}
