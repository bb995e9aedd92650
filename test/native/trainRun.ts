// Child-process entry that trains or times one residual model on one tfjs runtime and prints one JSON line.
// A child per runtime because tfjs-core keeps its engine on the global object: two tfjs copies loaded in
// one process (the repo's and tfjs-node's) would share one engine and one active backend.
//   node --import tsx test/native/trainRun.ts '<RunConfig JSON>'
import { execFileSync } from 'node:child_process';
import type * as tfjs from '@tensorflow/tfjs';
import { installFastCpuKernels } from '../../server/src/trainer/fastCpuKernels';
import { fuseBatchNormalization } from '../../server/src/trainer/fusedBatchNorm';
import { installNativeKernels } from '../../server/src/trainer/nativeKernels';
import { nativeDropout } from '../../server/src/trainer/nativeDropout';
import { loadGraphAddon } from '../../server/src/trainer/graphStep/addon';
import { StepRunner, type ExecutionReport, type StepResult } from '../../server/src/trainer/graphStep/stepRunner';
import { buildResidualModel, MODEL_SPECS, syntheticData, type ModelName, type Tf } from './residualModels';

export interface RunConfig {
  /** 'js' = the repo's @tensorflow/tfjs on its CPU backend; otherwise a tfjs-node(-gpu) package folder. */
  runtime: string;
  model: ModelName;
  /** grads: the gradient of every trainable weight for the first batch, from the initial weights. */
  mode: 'train' | 'bench' | 'grads';
  samples: number;
  batchSize: number;
  /** train: epochs of fit(); bench: timed trainOnBatch steps after warm-up. */
  epochs?: number;
  steps?: number;
  /** bench: untimed steps first (tfjs-node builds its op cache, pure JS warms the JIT). */
  warmup?: number;
  learningRate: number;
  /** Native runtimes only: train with the trainer's fused TensorFlow kernels (default) or tfjs's own ops. */
  fused?: boolean;
  /** Native runtimes only: steps through the trainer's StepRunner as one TensorFlow graph (default) or eagerly. */
  graph?: boolean;
}

export interface RunResult {
  backend: string;
  tfVersion?: string;
  params: number;
  layerShapes: string[];
  /** Sum of all initial weights: equal across runtimes when both start from the same model. */
  initialWeightSum: number;
  losses: number[];
  samplesPerSec?: number;
  /** BatchNormalization layers on the fused path. */
  fusedLayers: number;
  /** Per weight (moving statistics included), the sum of its values after training. */
  finalWeightSums: number[];
  gradients?: number[][];
  /** How the trainer's StepRunner ran the steps (train and bench modes). */
  execution?: ExecutionReport;
  /** train/bench: tfjs tensors and graph-runner tensors alive after the last step minus after the first timed one. */
  tfjsTensorGrowth?: number;
  nativeTensorGrowth?: number;
  /** tfjs-node's backend placed its tensors on a GPU (TensorFlow listed one: binding.isUsingGpuDevice()). */
  usingGpu?: boolean;
  /** GPU memory nvidia-smi shows this process holding after training (undefined: no nvidia-smi). */
  gpuMemoryMiB?: number;
}

/** What nvidia-smi says this process holds on the GPUs, in MiB; undefined when it cannot be asked. */
function gpuMemoryOfThisProcess(): number | undefined {
  try {
    const out = execFileSync('nvidia-smi', ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 10_000 });
    return out.split('\n').map((l) => l.split(',').map((c) => c.trim()))
      .filter(([pid]) => Number(pid) === process.pid).reduce((s, [, mib]) => s + Number(mib), 0);
  } catch {
    return undefined;
  }
}

async function loadTf(runtime: string): Promise<Tf> {
  if (runtime === 'js') {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    installFastCpuKernels(tf); // as the trainer does on this backend
    return tf;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(runtime) as Tf;
}

async function main(config: RunConfig): Promise<RunResult> {
  const tf = await loadTf(config.runtime);
  const spec = MODEL_SPECS[config.model];
  const model = buildResidualModel(tf, config.model);
  const fusedLayers = config.fused !== false && installNativeKernels(tf).installed ? fuseBatchNormalization(tf, model) : 0;
  nativeDropout(tf, model); // as the trainer does on tfjs-node
  model.compile({ optimizer: tf.train.sgd(config.learningRate), loss: 'categoricalCrossentropy' });
  const data = syntheticData(spec, config.samples);
  const x = tf.tensor4d(data.x, [config.samples, ...spec.inputShape]);
  const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), spec.classes);
  const backend = tf.getBackend();
  const result: RunResult = {
    backend,
    tfVersion: (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version,
    params: model.countParams(),
    layerShapes: model.layers.map((l) => `${l.getClassName()} ${JSON.stringify(l.outputShape)}`),
    initialWeightSum: model.getWeights().reduce((s, w) => s + w.sum().dataSync()[0], 0),
    losses: [],
    fusedLayers,
    finalWeightSums: [],
  };
  if (config.mode === 'grads') {
    const xb = x.slice(0, config.batchSize);
    const yb = y.slice(0, config.batchSize);
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy<tfjs.Tensor, tfjs.Scalar>(yb, model.apply(xb, { training: true }) as tfjs.Tensor));
    result.gradients = model.trainableWeights.map((w) => Array.from(grads[(w.read() as tfjs.Variable).name].dataSync()));
  } else {
    // The trainer's path: its StepRunner decides between one TensorFlow graph per step and trainOnBatch.
    const addon = config.runtime !== 'js' && config.graph !== false ? loadGraphAddon(config.runtime) : undefined;
    const runner = new StepRunner(tf, model, addon, (r) => { result.execution = r; });
    const loss = (r: StepResult) => (Array.isArray(r) ? r[0] : r);
    const counts = () => [tf.memory().numTensors, addon?.addon?.liveTensors() ?? 0];
    let first: number[] | undefined;
    if (config.mode === 'train') {
      const batches = Math.ceil(config.samples / config.batchSize);
      for (let epoch = 0; epoch < (config.epochs ?? 3); epoch++) {
        let sum = 0;
        for (let b = 0; b < batches; b++) {
          const size = Math.min(config.batchSize, config.samples - b * config.batchSize);
          const [xb, yb] = [x.slice(b * config.batchSize, size), y.slice(b * config.batchSize, size)];
          sum += loss(await runner.train({ x: xb, y: yb })) * size;
          tf.dispose([xb, yb]);
        }
        result.losses.push(sum / config.samples);
        runner.sync(); // as the trainer does before validation: tfjs's variables take the graph's values
        first ??= counts(); // after the first epoch: the graph, if any, is built by then
      }
    } else {
      const xb = x.slice(0, config.batchSize);
      const yb = y.slice(0, config.batchSize);
      // Recording and checking the graph takes the first three steps.
      for (let i = 0; i < (config.warmup ?? (addon?.addon ? 5 : 2)); i++) await runner.train({ x: xb, y: yb });
      const steps = config.steps ?? 10;
      first = counts();
      const start = performance.now();
      for (let i = 0; i < steps; i++) result.losses.push(loss(await runner.train({ x: xb, y: yb })));
      result.samplesPerSec = (steps * config.batchSize) / ((performance.now() - start) / 1000);
    }
    const last = counts();
    [result.tfjsTensorGrowth, result.nativeTensorGrowth] = [last[0] - first![0], last[1] - first![1]];
    runner.sync();
    runner.dispose();
  }
  result.finalWeightSums = model.getWeights().map((w) => w.sum().dataSync()[0]);
  if (config.runtime !== 'js') {
    result.usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
    result.gpuMemoryMiB = gpuMemoryOfThisProcess();
  }
  return result;
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as RunConfig).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (err) => { process.stderr.write(`${(err as Error).stack}\n`); process.exitCode = 1; },
  );
}
