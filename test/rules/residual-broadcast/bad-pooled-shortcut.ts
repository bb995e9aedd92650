// The shortcut was pooled down to 1x1: add still builds, by stretching it over the whole 8x8 map.
import * as tf from '@tensorflow/tfjs';

export function broadcastBlock(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 16] });
  const y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.maxPooling2d({ poolSize: 8 }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y, pooled]) as tf.SymbolicTensor; // expect: residual-broadcast axis 1, 2
  return tf.model({ inputs: input, outputs: out });
}
