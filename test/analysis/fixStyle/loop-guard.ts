import * as tf from '@tensorflow/tfjs';

export function resnet20(): tf.LayersModel {
  const blocksPerStage = 3;
  const stageFilters = [16, 32, 64];
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let x = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false, name: 'stem_conv' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  for (let stage = 0; stage < stageFilters.length; stage++) {
    for (let block = 0; block < blocksPerStage; block++) {
      const filters = stageFilters[stage];
      const strides = stage > 0 && block === 0 ? 2 : 1;
      const name = 'stage' + (stage + 1) + '_block' + (block + 1);
      let y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, name: name + '_conv1' }).apply(x) as tf.SymbolicTensor;
      y = tf.layers.batchNormalization({ name: name + '_bn1' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.activation({ activation: 'relu', name: name + '_relu1' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: name + '_conv2' }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.batchNormalization({ name: name + '_bn2' }).apply(y) as tf.SymbolicTensor;
      let shortcut = x;
      if (strides !== 1) {
        shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides, padding: 'same', useBias: false, name: name + '_proj' }).apply(x) as tf.SymbolicTensor;
        shortcut = tf.layers.batchNormalization({ name: name + '_proj_bn' }).apply(shortcut) as tf.SymbolicTensor;
      }
      x = tf.layers.add({ name: name + '_add' }).apply([y, shortcut]) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: 'relu', name: name + '_out' }).apply(x) as tf.SymbolicTensor;
    }
  }
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 10, activation: 'softmax', name: 'classifier' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'resnet20' });
}
