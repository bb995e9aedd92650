// tfjs draws a Dropout layer's mask with a JavaScript random generator, so a training step recorded for the
// graph step (graphStep/) would replay one mask forever, and the step falls back to running op by op. On
// tfjs-node the trainer draws the mask with TensorFlow's StatelessRandomUniform instead, seeded from a
// per-layer counter variable that the step itself advances: the mask is new at every step, the same in
// the recorded eager step and in the graph, and a layer's `seed` makes a run repeatable. The mask is
// tfjs's: floor(u + keep) / keep with u uniform in [0, 1), over the layer's noise shape.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import { asNodeBackend, dropoutFields } from './tfjsNode';

export const STATELESS_UNIFORM = 'SkipcheckStatelessUniform';
const BACKEND = 'tensorflow';
const DROPOUT_CLASSES = new Set(['Dropout', 'SpatialDropout1D']);

type Call = tfType.layers.Layer['call'];

function register(tf: Tf): void {
  if (tf.getKernel(STATELESS_UNIFORM, BACKEND)) return;
  tf.registerKernel({
    kernelName: STATELESS_UNIFORM, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const node = asNodeBackend(backend);
      const { TF_ATTR_TYPE, TF_FLOAT, TF_INT32 } = node.binding;
      const shape = tf.tensor1d((attrs as { shape: number[] }).shape, 'int32');
      const out = node.executeSingleOutput('StatelessRandomUniform', [
        { name: 'dtype', type: TF_ATTR_TYPE, value: TF_FLOAT },
        { name: 'T', type: TF_ATTR_TYPE, value: TF_INT32 },
        { name: 'Tseed', type: TF_ATTR_TYPE, value: TF_INT32 },
      ], [shape, (inputs as { seed: tfType.Tensor }).seed]);
      shape.dispose();
      return out;
    },
  });
}

export interface NativeDropout {
  /** Dropout layers whose training masks now come from TensorFlow. */
  layers: number;
  /** The seed counters: not the model's weights, so model.dispose() leaves them. */
  dispose(): void;
}

export function nativeDropout(tf: Tf, model: tfType.LayersModel): NativeDropout {
  const counters: tfType.Variable[] = [];
  const result = { layers: 0, dispose: () => counters.splice(0).forEach((v) => v.dispose()) };
  if (tf.getBackend() !== BACKEND) return result;
  for (const layer of model.layers) {
    const dropout = dropoutFields(layer);
    if (!DROPOUT_CLASSES.has(layer.getClassName()) || !(dropout.rate > 0 && dropout.rate < 1)) continue;
    register(tf);
    // [stream, step]: the stream is the layer's seed (or a random one), the step counts training calls.
    const stream = dropout.seed ?? Math.floor(Math.random() * 2 ** 31);
    const counter = tf.tidy(() => tf.variable(tf.tensor1d([stream, 0], 'int32'), false, undefined, 'int32'));
    counters.push(counter);
    const own: Call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!kwargs?.training || tf.getBackend() !== BACKEND) return own(inputs, kwargs);
      return tf.tidy(() => {
        const noise = dropout.getNoiseShape(x) ?? x.shape;
        const shape = noise.map((d, i) => d ?? x.shape[i]);
        const u = tf.engine().runKernel<tfType.Tensor>(STATELESS_UNIFORM, { seed: counter }, { shape });
        counter.assign(tf.add(counter, tf.tensor1d([0, 1], 'int32')));
        const keep = 1 - dropout.rate;
        return tf.mul(x, tf.div(tf.floor(tf.add(u, keep)), keep));
      });
    };
    result.layers++;
  }
  return result;
}
