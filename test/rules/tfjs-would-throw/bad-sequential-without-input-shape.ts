// The first layer of a Sequential model declares no input shape: Sequential.add() throws at once.
import * as tf from '@tensorflow/tfjs';

export function mlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, activation: 'relu' })); // expect: tfjs-would-throw must get an `inputShape` or `batchInputShape`
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}
