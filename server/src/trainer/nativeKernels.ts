// tfjs differentiates ReLU and BatchNormalization by composing small ops (ReLU's gradient is six kernels,
// a training-mode BatchNormalization forward and backward about forty). On tfjs-node every one of them is a
// separate eager TensorFlow call over the whole activation tensor, which made those two layers cost more
// than all the convolutions of a ResNet. TensorFlow has one fused kernel for each: ReluGrad,
// FusedBatchNormV3 and FusedBatchNormGradV3. This registers them as tfjs kernels of the 'tensorflow'
// backend (tfjs's public kernel and gradient registries), so that the trainer's layers can call them.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import { asNodeBackend, type OpAttr } from './tfjsNode';

export const RELU_GRAD = 'SkipcheckReluGrad';
export const BN_TRAIN = 'SkipcheckBatchNormTrain';
const BN_TRAIN_GRAD = 'SkipcheckBatchNormTrainGrad';
const BACKEND = 'tensorflow';

type Inputs = Record<string, tfType.Tensor>;

/** Off switch for diagnosing a numerical difference: SKIPCHECK_FUSED_KERNELS=0 trains with tfjs's own ops. */
export function fusedKernelsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SKIPCHECK_FUSED_KERNELS !== '0';
}

export interface NativeKernels { installed: boolean; /** Why they are not, when they were tried and failed. */ problem?: string }

/**
 * Registers the fused kernels for the active backend (once) and checks them against tfjs's own ops on a
 * small tensor; a TensorFlow build that lacks or miscomputes one gets tfjs's ops back and the reason.
 */
export function installNativeKernels(tf: Tf): NativeKernels {
  if (tf.getBackend() !== BACKEND || !fusedKernelsWanted()) return { installed: false };
  if (tf.getKernel(RELU_GRAD, BACKEND)) return { installed: true };
  const reluGradient = tf.getGradient('Relu');
  register(tf);
  let problem: string | undefined;
  try { problem = selfCheck(tf); } catch (err) { problem = (err as Error).message.split('\n')[0]; }
  if (!problem) return { installed: true };
  for (const name of [RELU_GRAD, BN_TRAIN, BN_TRAIN_GRAD]) tf.unregisterKernel(name, BACKEND);
  tf.registerGradient(reluGradient);
  return { installed: false, problem };
}

function register(tf: Tf): void {
  const binding = asNodeBackend(tf.backend()).binding;
  const f32 = [{ name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT }];
  const bnAttrs = (epsilon: number): OpAttr[] => [
    ...f32,
    { name: 'U', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'epsilon', type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: binding.TF_ATTR_BOOL, value: true },
  ];
  // In training mode the op ignores the running statistics, but it still takes them as (empty) inputs.
  let empty: tfType.Tensor | undefined;

  tf.registerKernel({
    kernelName: RELU_GRAD, backendName: BACKEND,
    kernelFunc: ({ inputs, backend }) => asNodeBackend(backend).executeSingleOutput('ReluGrad', f32, [(inputs as Inputs).dy, (inputs as Inputs).x]),
  });
  const reluGradient = tf.getGradient('Relu');
  tf.registerGradient({
    kernelName: 'Relu', inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => tf.getBackend() === BACKEND
      ? { x: () => tf.engine().runKernel<tfType.Tensor>(RELU_GRAD, { dy: dy as tfType.Tensor, x: saved[0] }) }
      : reluGradient.gradFunc(dy, saved, attrs),
  });

  // Outputs: y, batch mean, batch variance (Bessel-corrected), and three reserve spaces the gradient reads.
  tf.registerKernel({
    kernelName: BN_TRAIN, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, scale, offset } = inputs as Inputs;
      empty ??= tf.keep(tf.tensor1d([], 'float32'));
      return asNodeBackend(backend).executeMultipleOutputs('FusedBatchNormV3',
        bnAttrs((attrs as { epsilon: number }).epsilon), [x, scale, offset, empty, empty], 6);
    },
  });
  tf.registerKernel({
    kernelName: BN_TRAIN_GRAD, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, scale, r1, r2, r3 } = inputs as Inputs;
      const out = asNodeBackend(backend).executeMultipleOutputs('FusedBatchNormGradV3',
        bnAttrs((attrs as { epsilon: number }).epsilon), [dy, x, scale, r1, r2, r3], 5);
      out.slice(3).forEach((t) => t.dispose()); // two placeholders TensorFlow returns for API symmetry
      return out.slice(0, 3);
    },
  });
  tf.registerGradient({
    kernelName: BN_TRAIN, inputsToSave: ['x', 'scale'], outputsToSave: [false, false, false, true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, scale, r1, r2, r3] = saved;
      const dy = (dys as (tfType.Tensor | null)[])[0] ?? tf.zerosLike(x);
      // Computed once, here: the engine asks for each input's gradient inside its own tidy.
      const [dx, dScale, dOffset] = tf.engine().runKernel<tfType.Tensor[]>(BN_TRAIN_GRAD, { dy, x, scale, r1, r2, r3 }, attrs);
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
}

/** undefined when the fused kernels agree with tfjs's ops on a small case, else what differs. */
function selfCheck(tf: Tf): string | undefined {
  return tf.tidy(() => {
    const x = tf.sin(tf.range(0, 2 * 3 * 3 * 4)).mul(3).add(0.5).reshape([2, 3, 3, 4]);
    const w = tf.cos(tf.range(0, 2 * 3 * 3 * 4)).reshape([2, 3, 3, 4]);
    const scale = tf.tensor1d([1, 2, 0.5, -1]);
    const offset = tf.tensor1d([0, 1, -1, 0.5]);
    const fused = (t: tfType.Tensor) => tf.engine().runKernel<tfType.Tensor[]>(BN_TRAIN, { x: t, scale, offset }, { epsilon: 1e-3 })[0];
    const composed = (t: tfType.Tensor) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.batchNorm(t, mean, variance, offset, scale, 1e-3);
    };
    const differs = (a: tfType.Tensor, b: tfType.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] > 1e-3;
    if (differs(fused(x), composed(x))) return 'FusedBatchNormV3 output differs from tfjs';
    const grad = (f: (t: tfType.Tensor) => tfType.Tensor) => tf.grad((t: tfType.Tensor) => tf.sum(tf.mul(f(t), w)))(x);
    if (differs(grad(fused), grad(composed))) return 'FusedBatchNormGradV3 differs from tfjs';
    if (differs(grad(tf.relu), tf.mul(w, tf.cast(tf.greater(x, 0), 'float32')))) return 'ReluGrad differs from tfjs';
    return undefined;
  });
}
