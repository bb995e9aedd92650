// Why tfjs-node-gpu's TensorFlow runs on the CPU, in TensorFlow's own words, and what to install: the CUDA and
// cuDNN versions the binding's TensorFlow was built for (setup-native --gpu builds against a CUDA 12 wheel; the
// stock package's libtensorflow 2.9.1 wants CUDA 11.2), so the advice never names the other one.
import { execTool } from './exec';

export interface CudaNeeds { cuda: string; cudnn: string }

/**
 * TensorFlow's tested GPU build configurations (tensorflow.org/install/source#gpu), newest first: the first
 * row whose minor version is at most the runtime's applies.
 */
const TESTED: [minor: number, needs: CudaNeeds][] = [
  [18, { cuda: '12.5', cudnn: '9.3' }],
  [15, { cuda: '12.3', cudnn: '8.9' }],
  [12, { cuda: '11.8', cudnn: '8.6' }],
  [5, { cuda: '11.2', cudnn: '8.1' }],
];

/** The CUDA/cuDNN a TensorFlow 2.x release was built against, or undefined for one this table does not know. */
export function cudaFor(tfVersion: string | undefined): CudaNeeds | undefined {
  const m = /^2\.(\d+)\./.exec(tfVersion ?? '');
  if (!m) return undefined;
  return TESTED.find(([minor]) => Number(m[1]) >= minor)?.[1];
}

// TensorFlow's log lines that say why it gave up on CUDA, as its sources word them (cudart_stub.cc,
// dso_loader.cc, cuda_driver.cc, gpu_device.cc). "Unable to register cuDNN factory" and the like are noise
// printed on every load and are not reasons.
const CUDA_REASONS = [
  /Could not find cuda drivers on your machine[^\n]*/,
  /Could not load dynamic library '[^']+'[^\n]*/,
  /failed call to cuInit[^\n]*/,
  /CUDA driver version is insufficient[^\n]*/,
  /no CUDA-capable device is detected[^\n]*/,
  /Cannot dlopen some GPU libraries[^\n]*/,
];

/** The first line of TensorFlow's log that explains the missing GPU, without its timestamp and source prefix. */
export function firstCudaError(log: string): string | undefined {
  for (const line of log.split('\n')) {
    for (const re of CUDA_REASONS) {
      const hit = re.exec(line);
      if (hit) return hit[0].trim();
    }
  }
  return undefined;
}

export interface NoGpu { reason: string; advice: string }

/**
 * What to tell a user whose tfjs-node-gpu runs on the CPU. `tfVersion` is the TensorFlow the binding really
 * runs (binding.TF_Version); `setupGpu` is set when `skipcheck setup-native` built it (its record's `gpu`).
 */
export function explainNoGpu(tfVersion: string | undefined, setupGpu: boolean | undefined, cudaError: string | undefined): NoGpu {
  const tf = tfVersion ? `TensorFlow ${tfVersion}` : 'TensorFlow';
  const reason = `${tf} lists no GPU device: ${cudaError ?? 'it printed no CUDA error (a CPU-only TensorFlow, or CUDA_VISIBLE_DEVICES hides the GPUs)'}`;
  if (setupGpu === false) {
    return { reason, advice: 'this runtime was built by `skipcheck setup-native` without --gpu, against a TensorFlow with no CUDA kernels: run `skipcheck setup-native --gpu` (docs/native.md)' };
  }
  const needs = cudaFor(tfVersion);
  const versions = needs ? `CUDA ${needs.cuda} and cuDNN ${needs.cudnn}` : `the CUDA and cuDNN ${tf} was built for`;
  const noDriver = cudaError !== undefined && /cuda drivers|cuInit|driver version/i.test(cudaError);
  const driver = noDriver ? `install an NVIDIA driver${needs ? ` for CUDA ${needs.cuda.split('.')[0]}` : ''} (\`nvidia-smi\` lists the GPU); ` : '';
  if (setupGpu) {
    return {
      reason,
      advice: `${driver}${tf} (built by \`skipcheck setup-native --gpu\`) needs ${versions}: ` +
        `\`pip install 'tensorflow[and-cuda]==${tfVersion ?? '<version>'}'\` in a venv and \`skipcheck setup-native --gpu --python <venv>/bin/python\`, ` +
        'or their lib64 folders on LD_LIBRARY_PATH (docs/native.md)',
    };
  }
  // The package's own install script downloads libtensorflow 2.9.1, built against CUDA 11.2.
  return {
    reason,
    advice: `${driver}tfjs-node-gpu's ${tf} needs ${versions} on LD_LIBRARY_PATH; with CUDA 12, run \`skipcheck setup-native --gpu\` instead (docs/native.md)`,
  };
}

/**
 * Loads `packageDir` (a tfjs-node-gpu) in a child process with TensorFlow's logging on and returns the first
 * CUDA error it prints. In the trainer itself TensorFlow's log goes to a stderr nobody reads line by line.
 */
export async function probeCudaError(packageDir: string, node = process.execPath): Promise<string | undefined> {
  const r = await execTool(node, ['-e', 'require(process.env.SKIPCHECK_TFJS_NODE_DIR)'], {
    env: { ...process.env, SKIPCHECK_TFJS_NODE_DIR: packageDir, TF_CPP_MIN_LOG_LEVEL: '0', ELECTRON_RUN_AS_NODE: '1' },
    timeoutMs: 60_000,
  });
  return firstCudaError(r.stderr);
}
