// The graph step's pure parts, without TensorFlow: recording a step from a fake tfjs-node binding, telling
// two recorded steps apart, splitting inputs by an OpDef, and the self-check's comparison. The native
// suite (test/native) runs the same code on real tfjs-node against real eager steps.
import { strict as assert } from 'node:assert';
import type * as tfType from '@tensorflow/tfjs';
import type { TensorValue } from '../../server/src/trainer/graphStep/addon';
import { groupInputs } from '../../server/src/trainer/graphStep/buildGraph';
import { parseOpDef } from '../../server/src/trainer/graphStep/opDef';
import { traceDifference } from '../../server/src/trainer/graphStep/sameStep';
import { stepMismatch, StepRunner } from '../../server/src/trainer/graphStep/stepRunner';
import { traceStep, type Binding, type TracedOp } from '../../server/src/trainer/graphStep/trace';

const F32 = 1;
const STRING = 7;

interface FakeTensor { id: number; shape: number[]; dtype: 'float32' | 'int32' | 'string' }
interface Stored { shape: number[]; dtype: number; data: Float32Array }

/** A stand-in for tfjs-node: tensors are ids in a store; AddV2, Mul and Identity compute. */
function fakeRuntime() {
  const store = new Map<number, Stored>();
  let next = 1;
  const put = (s: Stored) => { store.set(next, s); return next++; };
  const methods: Binding = {
    createTensor: (shape, dtype, values) => put({ shape, dtype, data: Float32Array.from(values as Float32Array) }),
    executeOp: (name, _attrs, ids, numOutputs) => {
      const [a, b] = ids.map((id) => store.get(id)!);
      const data = name === 'Identity' ? a.data.slice() : a.data.map((v, i) => (name === 'AddV2' ? v + b.data[i % b.data.length] : v * b.data[i % b.data.length]));
      return Array.from({ length: numOutputs }, () => ({ id: put({ shape: a.shape, dtype: a.dtype, data }), shape: a.shape, dtype: a.dtype }));
    },
    tensorDataSync: (id) => store.get(id)!.data,
    deleteTensor: (id) => { store.delete(id); },
  };
  // N-API defines its exports read-only; the recorder must cope with that.
  const binding = Object.defineProperties({}, Object.fromEntries(Object.entries(methods).map(([k, v]) => [k, { value: v, writable: false, enumerable: false }]))) as Binding;
  const backend = { binding, getInputTensorIds: (ts: FakeTensor[]) => ts.map((t) => t.id) };
  const variables: Record<string, FakeTensor & { name: string }> = {};
  const tf = { backend: () => backend, engine: () => ({ state: { registeredVariables: variables } }) } as unknown as typeof tfType;
  const tensor = (data: number[], dtype: FakeTensor['dtype'] = 'float32'): FakeTensor =>
    ({ id: methods.createTensor([data.length], dtype === 'string' ? STRING : F32, new Float32Array(data)), shape: [data.length], dtype });
  const variable = (name: string, data: number[]) => (variables[name] = { ...tensor(data), name });
  return { tf, backend, binding, store, variables, tensor, variable };
}

/** An SGD-like step: w <- w + c * (x + b), reading back the new w's id as the "loss". */
function sgdStep(rt: ReturnType<typeof fakeRuntime>, x: FakeTensor, c: FakeTensor, extra?: number[]) {
  return async () => {
    const b = rt.backend.binding; // looked up at call time, as tfjs-node's backend does
    const bias = b.createTensor([2], F32, new Float32Array(extra ?? [0.5, 0.5]));
    const [sum] = b.executeOp('AddV2', [], [x.id, bias], 1);
    const [scaled] = b.executeOp('Mul', [{ name: 'T', type: 4, value: F32 }], [sum.id, c.id], 1);
    const [next] = b.executeOp('AddV2', [], [rt.variables.w.id, scaled.id], 1);
    rt.variables.w.id = next.id;
    return (b.tensorDataSync(next.id) as Float32Array)[0];
  };
}

describe('graph step: recording a training step', () => {
  it('records ops, constants, reads and variable updates, and classifies what existed before the step', async () => {
    const rt = fakeRuntime();
    rt.variable('w', [1, 2]);
    rt.variable('untouched', [9]);
    const c = rt.tensor([-0.1]); // like SGD's cached -learningRate scalar
    const x = rt.tensor([3, 4]);
    const wId = rt.variables.w.id;
    const { trace, result, problem } = await traceStep(rt.tf, [x as unknown as tfType.Tensor], sgdStep(rt, x, c));
    assert.equal(problem, undefined);
    assert.ok(Math.abs(result - (1 - 0.35)) < 1e-6, `w[0] = 1 + -0.1 * 3.5, got ${result}`);
    assert.deepEqual(trace.ops.map((o) => o.type), ['AddV2', 'Mul', 'AddV2']);
    assert.deepEqual(trace.ops[0].inputs, [{ kind: 'ext', index: 0 }, { kind: 'const', index: 0 }]);
    assert.deepEqual(trace.ops[2].inputs, [{ kind: 'ext', index: 2 }, { kind: 'out', op: 1, index: 0 }]);
    assert.deepEqual(trace.externals.map((e) => e.kind), ['feed', 'captured', 'variable']);
    const captured = trace.externals[1];
    assert.ok(captured.kind === 'captured');
    assert.deepEqual([captured.value.shape, Array.from(captured.value.data as Float32Array)], [[1], [Math.fround(-0.1)]]);
    assert.deepEqual(trace.consts.map((k) => Array.from(k.data as Float32Array)), [[0.5, 0.5]]);
    assert.deepEqual(trace.reads, [{ kind: 'out', op: 2, index: 0 }]);
    assert.deepEqual(trace.updates, [{ name: 'w', value: { kind: 'out', op: 2, index: 0 } }]);
    assert.notEqual(rt.variables.w.id, wId);
    // The Identity used to describe the captured scalar was freed; the real binding is back.
    assert.equal(rt.backend.binding, rt.binding);
    assert.equal([...rt.store.values()].filter((s) => s.data.length === 1 && s.data[0] === Math.fround(-0.1)).length, 1);
  });

  it('sees the update of a variable that started on another variable\'s tensor (tf.variable(t) shares data)', async () => {
    const rt = fakeRuntime();
    const w = rt.variable('w', [1, 2]);
    rt.variables.copy = { ...w, name: 'copy' }; // same id, as tf.variable(w) would give
    const { trace } = await traceStep(rt.tf, [], async () => {
      const [next] = rt.backend.binding.executeOp('AddV2', [], [rt.variables.w.id, rt.variables.copy.id], 1);
      rt.variables.w.id = next.id;
      return 0;
    });
    assert.deepEqual(trace!.updates, [{ name: 'w', value: { kind: 'out', op: 0, index: 0 } }]);
    assert.equal(trace!.externals.length, 1, 'one input tensor');
  });

  it('on a tfjs-node whose backend it cannot read, runs the step unrecorded and says so', async () => {
    const rt = fakeRuntime();
    rt.variable('w', [1]);
    (rt.backend as { getInputTensorIds?: unknown }).getInputTensorIds = undefined;
    let ran = 0;
    const traced = await traceStep(rt.tf, [], async () => ++ran);
    assert.deepEqual([ran, traced.result, traced.trace], [1, 1, undefined]);
    assert.match(traced.problem ?? '', /^tfjs-node's backend cannot be recorded \(/);
  });

  it('puts the binding back and lets the error through when the step throws', async () => {
    const rt = fakeRuntime();
    await assert.rejects(traceStep(rt.tf, [], async () => { throw new Error('boom'); }), /boom/);
    assert.equal(rt.backend.binding, rt.binding);
  });

  it('says why a step cannot be replayed: variables created during it, string tensors', async () => {
    const rt = fakeRuntime();
    const created = await traceStep(rt.tf, [], async () => { rt.variable('slot', [0]); return 0; });
    assert.match(created.problem ?? '', /creates or disposes variables/);
    const strings = await traceStep(rt.tf, [], async () => rt.backend.binding.createTensor([1], STRING, new Float32Array([0])));
    assert.match(strings.problem ?? '', /dtype 7/);
  });

  it('tells the same computation from one that draws new values each step', async () => {
    const rt = fakeRuntime();
    rt.variable('w', [1, 2]);
    const c = rt.tensor([-0.1]);
    const feeds = (x: FakeTensor) => [x as unknown as tfType.Tensor];
    const x1 = rt.tensor([3, 4]);
    const x2 = rt.tensor([5, 6]);
    const a = (await traceStep(rt.tf, feeds(x1), sgdStep(rt, x1, c))).trace!;
    const b = (await traceStep(rt.tf, feeds(x2), sgdStep(rt, x2, c))).trace!;
    assert.equal(traceDifference(a, b), undefined, 'other batch values and weights, same computation');
    const noisy = (await traceStep(rt.tf, feeds(x2), sgdStep(rt, x2, c, [0.1, 0.7]))).trace!;
    assert.match(traceDifference(a, noisy) ?? '', /changes from one step to the next.*gaussianNoise/);
    const otherScale = rt.tensor([-0.2]);
    const rescaled = (await traceStep(rt.tf, feeds(x2), sgdStep(rt, x2, otherScale))).trace!;
    assert.match(traceDifference(a, rescaled) ?? '', /different tensors from before the step/);
    const shorter = { ...a, ops: a.ops.slice(1) };
    assert.match(traceDifference(a, shorter) ?? '', /different numbers of ops \(3 and 2\)/);
    const otherAttr = { ...a, ops: a.ops.map((o, i) => (i === 1 ? { ...o, attrs: [{ name: 'T', type: 4, value: 3 }] } : o)) };
    assert.match(traceDifference(a, otherAttr) ?? '', /op 2 differs/);
  });
});

describe('graph step: OpDef arguments', () => {
  /** Protobuf encoding, enough for the OpDef fields the parser reads and a few it must skip. */
  const varint = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 128, ...varint(Math.floor(n / 128))]);
  const bytes = (field: number, body: number[]) => [...varint(field * 8 + 2), ...varint(body.length), ...body];
  const text = (field: number, s: string) => bytes(field, [...Buffer.from(s)]);
  const int = (field: number, n: number) => [...varint(field * 8), ...varint(n)];

  it('reads which input arguments are lists, skipping the fields it does not need', () => {
    const values = [...text(1, 'values'), ...text(2, 'a long description '.repeat(10)), ...text(4, 'T'), ...text(5, 'N')];
    const axis = [...text(1, 'axis'), ...text(4, 'Tidx')];
    const typed = [...text(1, 'input'), ...text(6, 'T'), ...int(16, 1)];
    const opDef = Uint8Array.from([
      ...text(1, 'ConcatV2'), ...bytes(2, values), ...bytes(2, axis), ...bytes(2, typed),
      ...bytes(3, text(1, 'output')), ...bytes(4, text(1, 'N')), ...int(16, 1),
    ]);
    assert.deepEqual(parseOpDef(opDef), {
      name: 'ConcatV2',
      inputs: [{ name: 'values', numberAttr: 'N' }, { name: 'axis' }, { name: 'input', typeListAttr: 'T' }],
    });
  });

  it('refuses a truncated OpDef rather than misreading it', () => {
    assert.throws(() => parseOpDef(Uint8Array.from([...text(1, 'ConcatV2')].slice(0, 5))), /truncated/);
  });

  const op = (attrs: TracedOp['attrs']): TracedOp => ({ type: 'X', attrs, inputs: [], numOutputs: 1 });
  it('splits flat eager inputs into single and list arguments', () => {
    const concat = [{ name: 'values', numberAttr: 'N' }, { name: 'axis' }];
    assert.deepEqual(groupInputs(op([{ name: 'N', type: 1, value: 3 }]), concat, ['a', 'b', 'c', 'axis']), [['a', 'b', 'c'], 'axis']);
    // Without the length attr the list takes what the single arguments leave.
    assert.deepEqual(groupInputs(op([]), concat, ['a', 'b', 'axis']), [['a', 'b'], 'axis']);
    assert.deepEqual(groupInputs(op([{ name: 'T', type: 4, value: [1, 1] }]), [{ name: 'input', typeListAttr: 'T' }], ['a', 'b']), [['a', 'b']]);
    assert.deepEqual(groupInputs(op([]), [{ name: 'x' }, { name: 'y' }], ['x', 'y']), ['x', 'y']);
    assert.throws(() => groupInputs(op([{ name: 'N', type: 1, value: 3 }]), concat, ['a', 'axis']), /do not fit/);
    assert.throws(() => groupInputs(op([]), [{ name: 'x' }], ['x', 'y']), /do not fit/);
    assert.throws(() => groupInputs(op([]), [{ name: 'a', numberAttr: 'N' }, { name: 'b', numberAttr: 'M' }], ['a', 'b']), /cannot tell/);
  });
});

describe('graph step: self-check against the eager step', () => {
  const value = (data: number[]): TensorValue => ({ dtype: F32, shape: [data.length], data: Float32Array.from(data) });
  const graph = (data: number[]) => new Map([['w', Float32Array.from(data)]]);

  it('accepts float32 round-off and rejects real differences, naming them', () => {
    const eager = new Map([['w', value([1, -2, 3])]]);
    assert.equal(stepMismatch([0.5], [0.5000001], graph([1, -2.000001, 3]), eager), undefined);
    assert.match(stepMismatch([0.6], [0.5], graph([1, -2, 3]), eager) ?? '', /value 1 read back: 0.6 vs 0.5/);
    assert.match(stepMismatch([0.5], [0.5], graph([1, -2, 3.1]), eager) ?? '', /^w differs by 1\.0e-1/);
    assert.match(stepMismatch([0.5], [0.5], graph([1, -2]), eager) ?? '', /another size/);
    assert.match(stepMismatch([0.5], [0.5], graph([NaN, -2, 3]), eager) ?? '', /w differs/);
    assert.match(stepMismatch([0.5, 1], [0.5], graph([1, -2, 3]), eager) ?? '', /2 values read back instead of 1/);
  });
});

describe('graph step: StepRunner without the graph runner', () => {
  const batch = { x: { shape: [2, 3] }, y: { shape: [2, 4] } } as unknown as { x: tfType.Tensor; y: tfType.Tensor };
  const setup = (backend: string) => {
    const calls: unknown[] = [];
    const model = { trainOnBatch: async (x: unknown) => { calls.push(x); return [0.25, 0.5]; } } as unknown as tfType.LayersModel;
    const reports: unknown[] = [];
    const tf = { getBackend: () => backend } as unknown as typeof tfType;
    const runner = new StepRunner(tf, model, { reason: 'deps/skipcheck/skipcheck_graph.node is missing' }, (r) => reports.push(r));
    return { calls, reports, runner };
  };

  it('trains through trainOnBatch on tfjs-node, and says why not as one graph', async () => {
    const { calls, reports, runner } = setup('tensorflow');
    for (let i = 0; i < 5; i++) assert.deepEqual(await runner.train(batch), [0.25, 0.5]);
    assert.equal(calls.length, 5);
    assert.equal(runner.mode, 'eager');
    assert.deepEqual(reports, [{ mode: 'eager', message: 'training steps run op by op (no graph runner: deps/skipcheck/skipcheck_graph.node is missing)' }]);
  });

  it('on pure-JS tfjs, has nothing to report', async () => {
    const { calls, reports, runner } = setup('cpu');
    await runner.train(batch);
    assert.equal(calls.length, 1);
    assert.deepEqual(reports, []);
  });
});
