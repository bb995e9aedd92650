import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

const bn = (x: T) => tf.layers.batchNormalization().apply(x) as T;

function residualBlock(x: T, filters: number, strides: number): T {
    let y = tf.layers.conv2d({filters, kernelSize: 3, strides, padding: 'same', useBias: false}).apply(x) as T;
    y = tf.layers.activation({activation: 'relu'}).apply(bn(y)) as T;
    y = bn(tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false}).apply(y) as T);
    let shortcut = x;
    if (strides !== 1 || x.shape[3] !== filters) {
        shortcut = tf.layers.conv2d({filters, kernelSize: 1, strides, useBias: false}).apply(x) as T;
        shortcut = bn(shortcut);
    }
    const out = tf.layers.add().apply([y, shortcut]) as T;
    return tf.layers.activation({activation: 'relu'}).apply(out) as T;
}

export function build(): tf.LayersModel {
    const input = tf.input({shape: [32, 32, 16]});
    let x = residualBlock(input, 16, 1);
    x = residualBlock(x, 32, 2);
    x = residualBlock(x, 32, 1);
    return tf.model({inputs: input, outputs: x});
}
