// The message stream between the trainer process and whoever drives it (VS Code extension, CLI).
// One JSON object per line on the trainer's message channel: file descriptor MESSAGE_FD, which the driver
// opens as a fourth pipe and names in the MESSAGE_FD_ENV variable (without it, e.g. run by hand: stdout);
// those constants and the message check live in trainerChannel.ts next to this file.
// The user's model code owns stdout and stderr, which are free-form log: a `console.log` of a JSON line
// can never pass for a message. Commands go the other way, one JSON object per line on the trainer's stdin.
// Part of contract/, what crosses between the trainer, the extension and the webview: it imports nothing else.

export { MESSAGE_FD, MESSAGE_FD_ENV, TRAINER_STDIO, isTrainerMessage } from './trainerChannel';

export type DatasetSpec =
  | { kind: 'synthetic'; samples?: number; classes?: number }
  | { kind: 'mnist' }
  | { kind: 'cifar10'; dir: string }
  | { kind: 'idx'; images: string; labels: string };

/** Which network a run trains: the model as written, or an ablation twin built from it (ablation/twin.ts). */
export type Variant = 'residual' | 'plain' | 'no-bn';

export interface TrainConfig {
  /** Absolute path of the user's model file. */
  modelFile: string;
  /** Exported function returning a tf.LayersModel; '' = the only exported zero-argument function returning one. */
  entry: string;
  dataset: DatasetSpec;
  epochs: number;
  batchSize: number;
  /** 'momentum' is SGD with momentum 0.9 (He et al. 2015's optimizer). */
  optimizer: 'adam' | 'sgd' | 'rmsprop' | 'momentum';
  learningRate: number;
  /** L2 weight decay on conv/dense kernels (the paper: 1e-4); 0 or undefined = none. */
  weightDecay?: number;
  /** Epochs (1-based) at whose start the learning rate is divided by 10 (a step schedule; sgd/momentum only). */
  lrDropEpochs?: number[];
  /**
   * A quick run: after the first batches the trainer caps the samples per epoch (training and validation)
   * so the whole run takes about this many seconds, and says what it capped. For slow backends.
   */
  timeBudgetSeconds?: number;
  /** Arguments the entry is called with (JSON values), e.g. [56] or [{ depth: 56 }] in a depth sweep. */
  entryArgs?: unknown[];
  /** The network trained: as written (default) or an ablation twin with the same initial weights. */
  variant?: Variant;
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
  /** Parent folder for a new run folder named by the time (when `outDir` is not given); each run gets its own. */
  runsDir?: string;
  /** Longest time loading the model file and calling its entry may take (default 120 s). */
  loadTimeoutSeconds?: number;
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
  /** A layer on a projection shortcut: it has no counterpart in the plain twin, so overlays leave it out. */
  projection?: boolean;
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
      /** Set when an ablation twin is trained: what was taken out of the model as written. */
      ablation?: { variant: Variant; originalName: string; originalParams: number; removed: string[]; projections: string[] };
      dataset: { name: string; train: number; validation: number; inputShape: number[]; classes: number } }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; acc?: number }
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; acc?: number; valLoss?: number; valAcc?: number;
      samplesPerSec: number; seconds: number; learningRate?: number }
  /**
   * Response figures on the probe batch. 'batch-statistics': BatchNormalization normalises with the probe
   * batch's own mean and variance (training-mode arithmetic, moving averages left untouched, dropout off), so
   * a BN output has std ~gamma however far the moving averages lag.
   */
  | { type: 'std'; epoch: number; layers: LayerStd[]; blocks: BlockSignal[]; measurement?: 'batch-statistics' }
  | { type: 'warning'; message: string }
  /** How training steps execute, once that is settled (after the first few batches on tfjs-node). */
  | { type: 'execution'; mode: 'graph' | 'eager'; message: string }
  | { type: 'end'; reason: 'completed' | 'cancelled'; runDir: string; seconds: number;
      /** The dataset's own test set (MNIST t10k) after the last epoch: `samples` of its `of`, drawn with the run's seed. */
      test?: TestFigures }
  | { type: 'error'; message: string; detail?: string; code: TrainerErrorCode };

export interface TestFigures { name: string; samples: number; of: number; loss: number; acc?: number }

export type TrainerErrorCode =
  | 'dataset-missing'
  | 'model-load-failed'
  | 'entry-not-found'
  | 'not-a-model'
  | 'input-shape-mismatch'
  /** The model's output units differ from the dataset's number of classes. */
  | 'classes-mismatch'
  | 'non-finite-loss'
  /** Loading the model file or calling its entry did not return in time (loadTimeoutSeconds). */
  | 'model-load-timeout'
  /** The dataset files exist but cannot be read as the format says (truncated, a folder, too big). */
  | 'dataset-invalid'
  /** The run folder cannot be created or written (read-only, full disk). */
  | 'output-not-writable'
  | 'backend-failed'
  /** The requested ablation twin cannot be built from this model (e.g. no additive shortcut). */
  | 'ablation-refused'
  | 'internal';

export type TrainerCommand = { type: 'cancel' };

