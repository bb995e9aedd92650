// Routes the training-mode forward pass of a model's BatchNormalization layers through TensorFlow's fused
// kernel (nativeKernels.ts) while keeping tfjs's semantics: normalise with the biased batch variance,
// and move the running statistics by `running - (running - batch) * (1 - momentum)` with the biased
// variance, as tfjs-layers does. Inference, and any configuration the fused kernel does not cover, goes
// through the layer's own call.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import { BN_TRAIN } from './nativeKernels';

interface BatchNormConfig { axis?: number | number[]; momentum: number; epsilon: number; center: boolean; scale: boolean }
type Call = tfType.layers.Layer['call'];

/** Number of layers switched to the fused path. */
export function fuseBatchNormalization(tf: Tf, model: tfType.LayersModel): number {
  let fused = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization' || !layer.built) continue;
    const config = layer.getConfig() as unknown as BatchNormConfig;
    const variable = (suffix: string) => layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
    const [gamma, beta, movingMean, movingVariance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(variable);
    // Without gamma or beta tfjs's own training path fails; it keeps failing the same way.
    if (!config.center || !config.scale || !gamma || !beta || !movingMean || !movingVariance) continue;
    const own: Call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const channelsLast = config.axis === undefined || config.axis === -1 || config.axis === x.rank - 1 ||
        (Array.isArray(config.axis) && config.axis.length === 1 && (config.axis[0] === -1 || config.axis[0] === x.rank - 1));
      if (!kwargs?.training || !channelsLast || x.dtype !== 'float32' || x.rank < 2 || tf.getBackend() !== 'tensorflow') return own(inputs, kwargs);
      return tf.tidy(() => {
        const channels = x.shape[x.rank - 1];
        // The kernel wants NHWC; any channels-last tensor is that with its leading axes folded.
        const x4 = x.rank === 4 ? x : tf.reshape(x, [-1, 1, 1, channels]);
        const [y, mean, unbiasedVariance] = tf.engine().runKernel<tfType.Tensor[]>(BN_TRAIN, { x: x4, scale: gamma.read(), offset: beta.read() },
          { epsilon: config.epsilon });
        const n = x.size / channels;
        const variance = tf.mul(unbiasedVariance, n > 1 ? (n - 1) / n : 1);
        for (const [running, batch] of [[movingMean, mean], [movingVariance, variance]] as const) {
          const old = running.read();
          running.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - config.momentum)));
        }
        return x.rank === 4 ? y : tf.reshape(y, x.shape);
      });
    };
    fused++;
  }
  return fused;
}
