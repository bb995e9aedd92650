import * as tf from "@tensorflow/tfjs";

/** A basic block as a class, the way some ports from PyTorch write it. */
class BasicBlock {
  constructor(private readonly filters: number, private readonly strides: number) {}

  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    let y = tf.layers.conv2d({ filters: this.filters, kernelSize: 3, strides: this.strides, padding: "same", useBias: false }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: this.filters, kernelSize: 3, padding: "same", useBias: false }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
  }
}

export function classNet(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  let x = new BasicBlock(8, 1).apply(input);
  x = new BasicBlock(16, 2).apply(x);
  return tf.model({ inputs: input, outputs: x });
}
