import * as tf from '@tensorflow/tfjs';

export function plainStack(): tf.LayersModel {
    const input = tf.input({ shape: [16, 16, 3] });
    let x: tf.SymbolicTensor = input;
    for (const filters of [8, 16, 16]) {
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    }
    return tf.model({ inputs: input, outputs: x });
}
