// What tfjs 4.22's `tf.layers` namespace offers, beyond the layers this catalogue computes shapes for: every
// factory that exists (so a misspelt or invented one, `globalAveragePooling2D`, `lambda`, is known to throw),
// and the ones that throw when called without a config. test/layers/factories.test.ts checks both lists
// against the real tfjs.

/** Every function of tf.layers in tfjs 4.22. */
export const TFJS_LAYER_FACTORIES: ReadonlySet<string> = new Set([
  'Layer', 'RNN', 'RNNCell', 'activation', 'add', 'alphaDropout', 'average', 'averagePooling1d', 'averagePooling2d',
  'averagePooling3d', 'avgPool1d', 'avgPool2d', 'avgPool3d', 'avgPooling1d', 'avgPooling2d', 'avgPooling3d',
  'batchNormalization', 'bidirectional', 'categoryEncoding', 'centerCrop', 'concatenate', 'conv1d', 'conv2d',
  'conv2dTranspose', 'conv3d', 'conv3dTranspose', 'convLstm2d', 'convLstm2dCell', 'cropping2D', 'dense',
  'depthwiseConv2d', 'dot', 'dropout', 'elu', 'embedding', 'flatten', 'gaussianDropout', 'gaussianNoise',
  'globalAveragePooling1d', 'globalAveragePooling2d', 'globalMaxPool1d', 'globalMaxPool2d', 'globalMaxPooling1d',
  'globalMaxPooling2d', 'gru', 'gruCell', 'input', 'inputLayer', 'layerNormalization', 'leakyReLU', 'lstm', 'lstmCell',
  'masking', 'maxPool1d', 'maxPool2d', 'maxPooling1d', 'maxPooling2d', 'maxPooling3d', 'maximum', 'minimum', 'multiply',
  'permute', 'prelu', 'randomWidth', 'reLU', 'repeatVector', 'rescaling', 'reshape', 'resizing', 'rnn', 'separableConv2d',
  'simpleRNN', 'simpleRNNCell', 'softmax', 'spatialDropout1d', 'stackedRNNCells', 'thresholdedReLU', 'timeDistributed',
  'upSampling2d', 'zeroPadding2d',
]);

const reading = (field: string) => `Cannot read properties of undefined (reading '${field}')`;
const KERNEL_SIZE = "Cannot use 'in' operator to search for 'kernelSize' in undefined";

/** What tfjs 4.22 throws (on Node 20's V8) when these factories are called without a config. */
export const CONFIG_REQUIRED: Readonly<Record<string, string>> = {
  activation: reading('activation'), alphaDropout: reading('rate'), bidirectional: reading('layer'),
  categoryEncoding: reading('numTokens'), centerCrop: reading('height'), convLstm2d: reading('filters'),
  convLstm2dCell: reading('filters'), cropping2D: reading('cropping'), dense: reading('batchInputShape'),
  dot: reading('axes'), dropout: reading('rate'), embedding: reading('batchInputShape'), gaussianDropout: reading('rate'),
  gaussianNoise: reading('stddev'), globalAveragePooling2d: reading('dataFormat'), globalMaxPool2d: reading('dataFormat'),
  globalMaxPooling2d: reading('dataFormat'), gru: reading('implementation'), gruCell: reading('resetAfter'),
  inputLayer: reading('dtype'), lstm: reading('implementation'), lstmCell: reading('units'), permute: reading('dims'),
  randomWidth: reading('seed'), repeatVector: reading('n'), rescaling: reading('scale'), reshape: reading('targetShape'),
  resizing: reading('height'), rnn: reading('cell'), simpleRNN: reading('units'), simpleRNNCell: reading('units'),
  spatialDropout1d: reading('rate'), stackedRNNCells: reading('cells'), timeDistributed: reading('layer'),
  upSampling2d: reading('size'),
  ...Object.fromEntries(['averagePooling1d', 'averagePooling2d', 'averagePooling3d', 'avgPool1d', 'avgPool2d', 'avgPool3d',
    'avgPooling1d', 'avgPooling2d', 'avgPooling3d', 'maxPool1d', 'maxPool2d', 'maxPooling1d', 'maxPooling2d', 'maxPooling3d']
    .map((f) => [f, reading('poolSize')])),
  ...Object.fromEntries(['conv1d', 'conv2d', 'conv2dTranspose', 'conv3d', 'conv3dTranspose', 'depthwiseConv2d', 'separableConv2d']
    .map((f) => [f, KERNEL_SIZE])),
};

/** The factory a misspelt name most likely meant: the same name in another case. */
export function factoryInOtherCase(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const f of TFJS_LAYER_FACTORIES) if (f.toLowerCase() === lower) return f;
  return undefined;
}
