// tfjs differentiates ReLU and BatchNormalization by composing small ops (ReLU's gradient is six kernels,
// a training-mode BatchNormalization forward and backward about forty). On tfjs-node every one of them is a
// separate eager TensorFlow call over the whole activation tensor, which made those two layers cost more
// than all the convolutions of a ResNet. TensorFlow has one fused kernel for each: ReluGrad,
// FusedBatchNormV3 and FusedBatchNormGradV3. This registers them as tfjs kernels of the 'tensorflow'
// backend (tfjs's public kernel and gradient registries), so that the trainer's layers can call them.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';

export const RELU_GRAD = 'SkipcheckReluGrad';
export const BN_TRAIN = 'SkipcheckBatchNormTrain';
const BN_TRAIN_GRAD = 'SkipcheckBatchNormTrainGrad';
const BACKEND = 'tensorflow';

interface OpAttr { name: string; type: number; value: unknown }
interface NodeBinding { TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_FLOAT: number }
interface NodeBackend {
  binding: NodeBinding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tfType.Tensor[]): tfType.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tfType.Tensor[], numOutputs: number): tfType.Tensor[];
}
type Inputs = Record<string, tfType.Tensor>;

/** Off switch for diagnosing a numerical difference: SKIPCHECK_FUSED_KERNELS=0 trains with tfjs's own ops. */
export function fusedKernelsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SKIPCHECK_FUSED_KERNELS !== '0';
}

/** True when the fused kernels are registered for the active backend (installing them on first call). */
export function installNativeKernels(tf: Tf): boolean {
  if (tf.getBackend() !== BACKEND || !fusedKernelsWanted()) return false;
  if (tf.getKernel(RELU_GRAD, BACKEND)) return true;
  const binding = (tf.backend() as unknown as NodeBackend).binding;
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
    kernelFunc: ({ inputs, backend }) => (backend as unknown as NodeBackend).executeSingleOutput('ReluGrad', f32, [(inputs as Inputs).dy, (inputs as Inputs).x]),
  });
  const reluGradient = tf.getGradient('Relu');
  tf.registerGradient({
    kernelName: 'Relu', inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => tf.getBackend() === BACKEND
      ? { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tfType.Tensor, x: saved[0] }) as tfType.Tensor }
      : reluGradient.gradFunc(dy, saved, attrs),
  });

  // Outputs: y, batch mean, batch variance (Bessel-corrected), and three reserve spaces the gradient reads.
  tf.registerKernel({
    kernelName: BN_TRAIN, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, scale, offset } = inputs as Inputs;
      empty ??= tf.keep(tf.tensor1d([], 'float32'));
      return (backend as unknown as NodeBackend).executeMultipleOutputs('FusedBatchNormV3',
        bnAttrs((attrs as { epsilon: number }).epsilon), [x, scale, offset, empty, empty], 6);
    },
  });
  tf.registerKernel({
    kernelName: BN_TRAIN_GRAD, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, scale, r1, r2, r3 } = inputs as Inputs;
      const out = (backend as unknown as NodeBackend).executeMultipleOutputs('FusedBatchNormGradV3',
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
      const [dx, dScale, dOffset] = tf.engine().runKernel(BN_TRAIN_GRAD, { dy, x, scale, r1, r2, r3 }, attrs) as tfType.Tensor[];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
  return true;
}
