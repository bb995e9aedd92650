// Weight decay as in He et al. 2015 (1e-4 on the weights): the optimizer's gradient of each conv/dense
// kernel gets `decay * w` added before it is applied. Done in applyGradients rather than as an L2 term of
// the loss, so the reported training loss stays the data loss and the plain and residual runs compare on
// what the paper plots; the added ops run inside the step, so the recorded graph step (graphStep/) has them.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';

const KERNEL = /\/(kernel|depthwise_kernel|pointwise_kernel)$/;

export function addWeightDecay(tf: Tf, model: tfType.LayersModel, optimizer: tfType.Optimizer, decay: number): number {
  const kernels = new Map<string, tfType.LayerVariable>();
  for (const w of model.trainableWeights) if (KERNEL.test(w.originalName)) kernels.set(w.name, w);
  const apply = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (grads) => {
    const list = Array.isArray(grads) ? grads : Object.keys(grads).map((name) => ({ name, tensor: grads[name] }));
    const decayed = tf.tidy(() => list.map(({ name, tensor }) => {
      const w = kernels.get(name);
      return { name, tensor: w ? tf.add(tensor, tf.mul(w.read(), decay)) : tf.clone(tensor) };
    }));
    try { apply(decayed); } finally { tf.dispose(decayed.map((d) => d.tensor)); }
  };
  return kernels.size;
}
