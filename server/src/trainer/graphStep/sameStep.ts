// A recorded step may be replayed for every batch only if it is the same computation each time: two
// consecutive steps must record the same ops on the same kinds of inputs with the same constants. What
// differs in practice is a value drawn in JavaScript (tfjs's noise layers and random ops draw on the JS
// side; the trainer moves Dropout's mask to TensorFlow, nativeDropout.ts) or a step whose ops depend on
// data read back mid-step.
import type { External, Ref, StepTrace } from './trace';
import type { TensorValue } from './addon';

/** undefined when both traces describe the same computation, else what differs, in words. */
export function traceDifference(a: StepTrace, b: StepTrace): string | undefined {
  if (a.ops.length !== b.ops.length) return `the two steps ran different numbers of ops (${a.ops.length} and ${b.ops.length})`;
  for (let i = 0; i < a.ops.length; i++) {
    const x = a.ops[i];
    const y = b.ops[i];
    if (x.type !== y.type || x.numOutputs !== y.numOutputs || JSON.stringify(x.attrs) !== JSON.stringify(y.attrs) || !sameRefs(x.inputs, y.inputs)) {
      return `op ${i + 1} differs between two steps (${x.type} / ${y.type})`;
    }
  }
  if (a.consts.length !== b.consts.length) return 'the two steps created different numbers of tensors from JavaScript values';
  for (let i = 0; i < a.consts.length; i++) {
    if (!sameValue(a.consts[i], b.consts[i])) {
      return `a tensor of shape [${a.consts[i].shape.join(',')}] created from JavaScript values changes from one step to the next ` +
        '(random numbers drawn in JavaScript, as tfjs\'s gaussianNoise, gaussianDropout and alphaDropout layers do, or a value computed outside TensorFlow)';
    }
  }
  if (a.externals.length !== b.externals.length || a.externals.some((e, i) => !sameExternal(e, b.externals[i]))) {
    return 'the two steps read different tensors from before the step';
  }
  if (!sameRefs(a.reads, b.reads)) return 'the two steps read back different tensors';
  if (a.updates.length !== b.updates.length || a.updates.some((u, i) => u.name !== b.updates[i].name || !sameRefs([u.value], [b.updates[i].value]))) {
    return 'the two steps update different variables';
  }
  return undefined;
}

function sameRefs(a: Ref[], b: Ref[]): boolean {
  return a.length === b.length && a.every((r, i) => JSON.stringify(r) === JSON.stringify(b[i]));
}

function sameExternal(a: External, b: External): boolean {
  if (a.kind === 'captured' || b.kind === 'captured') return a.kind === 'captured' && b.kind === 'captured' && sameValue(a.value, b.value);
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sameValue(a: TensorValue, b: TensorValue): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join() || a.data.byteLength !== b.data.byteLength) return false;
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
