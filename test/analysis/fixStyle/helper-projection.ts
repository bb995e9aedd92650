import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

const bn = (x: T) => tf.layers.batchNormalization().apply(x) as T;

function residualBlock(x: T, filters: number, strides: number): T {
    let y = tf.layers.conv2d({filters, kernelSize: 3, strides, padding: 'same', useBias: false}).apply(x) as T;
    y = tf.layers.activation({activation: 'relu'}).apply(bn(y)) as T;
    y = bn(tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false}).apply(y) as T);
    const out = tf.layers.add().apply([y, x]) as T;
    return tf.layers.activation({activation: 'relu'}).apply(out) as T;
}

export function build(): tf.LayersModel {
    const input = tf.input({shape: [32, 32, 16]});
    let x = residualBlock(input, 16, 1);
    x = residualBlock(x, 32, 2);
    x = residualBlock(x, 32, 1);
    return tf.model({inputs: input, outputs: x});
}
