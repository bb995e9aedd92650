// Near miss: operands of different ranks that tfjs broadcasts (a per-channel scale on an image).
import * as tf from '@tensorflow/tfjs';

export function channelScale(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 16] });
  const scale = tf.input({ shape: [16] });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.multiply().apply([input, scale]) as tf.SymbolicTensor;
  return tf.model({ inputs: [input, scale], outputs: [out, pooled] });
}
