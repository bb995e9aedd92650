// Keras spells it GlobalAveragePooling2D; tfjs's factory is globalAveragePooling2d, so this is not a function.
import * as tf from '@tensorflow/tfjs';

export function head(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 16] });
  const pooled = (tf.layers as any).globalAveragePooling2D({}).apply(input) as tf.SymbolicTensor; // expect: tfjs-would-throw did you mean tf.layers.globalAveragePooling2d
  const out = tf.layers.dense({ units: 10 }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
