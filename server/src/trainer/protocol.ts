// The message stream between the trainer process and whoever drives it (VS Code extension, CLI).
// One JSON object per line on the trainer's stdout (stderr is free-form log). Commands go the other way,
// one JSON object per line on the trainer's stdin. Kept dependency-free: the webview imports it too.

export type DatasetSpec =
  | { kind: 'synthetic'; samples?: number; classes?: number }
  | { kind: 'mnist' }
  | { kind: 'cifar10'; dir: string }
  | { kind: 'idx'; images: string; labels: string };

export interface TrainConfig {
  /** Absolute path of the user's model file. */
  modelFile: string;
  /** Exported function returning a tf.LayersModel; '' = the only exported zero-argument function returning one. */
  entry: string;
  dataset: DatasetSpec;
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  validationSplit: number;
  seed: number;
  /** Limit on training samples (after the split); undefined = all. */
  maxSamples?: number;
  /** Probe batch size for the per-layer response std. */
  probeSize: number;
  /** Folder for the run; defaults to <workspace>/.skipcheck/runs/<timestamp>. */
  outDir?: string;
  /** Workspace folder used first when resolving tfjs backends. */
  workspaceDir?: string;
  /** Train in Keras with tf.distribute across this many local workers instead (server/src/distributed/). */
  distributed?: { workers: number; python?: string };
}

export interface BackendAttempt { pkg: string; ok: boolean; reason?: string; advice?: string }

export interface LayerSummary { name: string; className: string; outputShape: (number | null)[] | (number | null)[][]; params: number }

export interface LayerStd {
  /** The conv/dense layer the response belongs to. */
  layer: string;
  /** Layer whose output was measured (the BN directly consuming the conv, else the conv itself). */
  measuredAt: string;
  /** True when the measured output is after a fused nonlinearity. */
  afterActivation: boolean;
  std: number;
}

export interface BlockSignal {
  /** The merge layer ending the residual block. */
  block: string;
  /** Average over channels of the squared channel mean at the block output. */
  avgChannelSquaredMean: number;
  /** Average over channels of the channel variance at the block output. */
  avgChannelVariance: number;
  /** Variance at the end of the residual branch (the non-shortcut operand of the merge). */
  residualBranchVariance: number;
}

export type TrainerMessage =
  | { type: 'start'; runDir: string; backend: string; device: string; tfVersion?: string; attempts: BackendAttempt[];
      /** Set when training uses TensorFlow's fused kernels instead of tfjs's composed ops (nativeKernels.ts). */
      kernels?: string;
      model: { name: string; layers: LayerSummary[]; params: number }; config: TrainConfig;
      dataset: { name: string; train: number; validation: number; inputShape: number[]; classes: number } }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; acc?: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; acc?: number; valLoss?: number; valAcc?: number;
      samplesPerSec: number; seconds: number }
  | { type: 'std'; epoch: number; layers: LayerStd[]; blocks: BlockSignal[] }
  | { type: 'warning'; message: string }
  /** How training steps execute, once that is settled (after the first few batches on tfjs-node). */
  | { type: 'execution'; mode: 'graph' | 'eager'; message: string }
  | { type: 'end'; reason: 'completed' | 'cancelled'; runDir: string; seconds: number }
  | { type: 'error'; message: string; detail?: string; code: TrainerErrorCode };

export type TrainerErrorCode =
  | 'dataset-missing'
  | 'model-load-failed'
  | 'entry-not-found'
  | 'not-a-model'
  | 'input-shape-mismatch'
  /** The model's output units differ from the dataset's number of classes. */
  | 'classes-mismatch'
  | 'non-finite-loss'
  | 'backend-failed'
  | 'internal';

export type TrainerCommand = { type: 'cancel' };
