// A model file with 30 findings, as a user mid-way through a ResNet rewrite might have: small experiment
// builders, each with one or two typical mistakes (stride-2 identity shortcuts, 'valid' convolutions in a
// branch, biases before BatchNormalization, activations fused before it). Used by the LSP bench.

const kinds = [
  // residual-shape-mismatch (stride 2, identity shortcut): fixed by a projection
  (i: number) => [
    `  const y${i} = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x${i}) as tf.SymbolicTensor;`,
    `  const n${i} = tf.layers.batchNormalization().apply(y${i}) as tf.SymbolicTensor;`,
    `  const out${i} = tf.layers.add().apply([n${i}, x${i}]) as tf.SymbolicTensor;`,
  ],
  // missing-same-padding + residual-shape-mismatch: fixed by padding 'same'
  (i: number) => [
    `  const y${i} = tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }).apply(x${i}) as tf.SymbolicTensor;`,
    `  const n${i} = tf.layers.batchNormalization().apply(y${i}) as tf.SymbolicTensor;`,
    `  const out${i} = tf.layers.add().apply([n${i}, x${i}]) as tf.SymbolicTensor;`,
  ],
  // bias-before-batchnorm and activation-before-batchnorm
  (i: number) => [
    `  const y${i} = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x${i}) as tf.SymbolicTensor;`,
    `  const n${i} = tf.layers.batchNormalization().apply(y${i}) as tf.SymbolicTensor;`,
    `  const r${i} = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false }).apply(n${i}) as tf.SymbolicTensor;`,
    `  const m${i} = tf.layers.batchNormalization().apply(r${i}) as tf.SymbolicTensor;`,
    `  const out${i} = tf.layers.add().apply([m${i}, x${i}]) as tf.SymbolicTensor;`,
  ],
];

/** 30 findings: 6 builders of each of the three kinds (1 + 2 + 2 findings per triple, times 6). */
export function thirtyFindings(): string {
  const lines = ["import * as tf from '@tensorflow/tfjs';", ''];
  for (let i = 0; i < 18; i++) {
    lines.push(
      `// experiment ${i + 1}`,
      `export function experiment${i}(): tf.LayersModel {`,
      `  const x${i} = tf.input({ shape: [32, 32, 16] });`,
      ...kinds[i % 3](i),
      `  return tf.model({ inputs: x${i}, outputs: out${i} });`,
      '}',
      '',
    );
  }
  return lines.join('\n');
}
