// First layers whose constructors declare the input themselves: Embedding (from inputLength, or [null, null])
// and Dense (from inputDim). Embedding's inputDim is the vocabulary size, not an input shape.
import * as tf from '@tensorflow/tfjs';

export function textClassifier(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 1000, outputDim: 16, inputLength: 20 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  return model;
}

export function anyLength(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.embedding({ inputDim: 50, outputDim: 8 }), tf.layers.globalAveragePooling1d({})] });
}

export function mlp(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 8, inputDim: 3 }), tf.layers.dense({ units: 1 })] });
}
