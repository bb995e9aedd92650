// Picks the fastest tfjs flavour that actually loads: the CUDA build, the native CPU build, then pure JS.
// Each is looked up in the user's workspace first (their own versions and native builds), then next to
// Skipcheck. Every failure is kept with a reason and a fix, because "why is this not on my GPU" is the
// first question a user asks.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { nativeRuntimeStatus, readSetupRecord } from '../native/status';
import type { NativeSetupRecord } from '../native/layout';
import { cudaFor, explainNoGpu, probeCudaError } from '../native/gpuDiagnosis';
import { installFastCpuKernels } from './fastCpuKernels';
import { asNodeBackend } from './tfjsNode';
import type { BackendAttempt } from '../../../contract/protocol';
import type { Tf } from './datasets/batches';

export const BACKEND_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs'] as const;

export interface LoadedBackend {
  tf: Tf; pkg: string; attempts: BackendAttempt[]; device: string;
  /** Folder of the loaded package (tfjs-node's holds the graph addon that setup-native builds). */
  packageDir?: string;
}

/**
 * Turns a require() failure into a reason and a fix the user can act on. `setup` is what `skipcheck
 * setup-native` recorded in the package (absent for the package's own build): it decides which CUDA to name.
 */
export function explainBackendFailure(pkg: string, err: unknown, setup?: NativeSetupRecord): { reason: string; advice: string } {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code;
  const firstLine = text.split('\n')[0];
  if (code === 'MODULE_NOT_FOUND' && text.includes(`'${pkg}'`)) {
    if (pkg === '@tensorflow/tfjs') return { reason: `${pkg} is not installed`, advice: `npm install ${pkg}@4.22.0 in your workspace` };
    return { reason: `${pkg} is not installed`, advice: `npm install ${pkg}@4.22.0 in your workspace downloads libtensorflow ` +
      `(fails offline or behind a proxy${pkg.endsWith('-gpu') ? ', and needs CUDA 11.2 and cuDNN 8.1' : ''}); ` +
      `or run \`skipcheck setup-native${pkg.endsWith('-gpu') ? ' --gpu' : ''}\` to build it against a TensorFlow from pip (docs/native.md)` };
  }
  // tfjs-node's own words when lib/napi-v*/tfjs_binding.node is missing: npm skipped its install script (npm
  // 11 does for dependencies), or a reinstall (`npm ci`, an upgrade) removed what setup-native built.
  if (/native addon module \(tfjs_binding\.node\) can not be found/.test(text)) {
    const at = /at path: (\S+?)\.?\s/.exec(text)?.[1];
    return { reason: `${pkg} is installed but its native binding was never built${at ? ` (${at} does not exist)` : ''}: npm did not run its install ` +
        'script, or reinstalled the package (npm ci, an upgrade) after the binding was built',
      advice: `run \`skipcheck setup-native${pkg.endsWith('-gpu') ? ' --gpu' : ''}\` to build it against a TensorFlow from pip (docs/native.md)` };
  }
  const lib = /(lib(?:cudart|cudnn|cublas|cufft|curand|cusolver|cusparse|nvinfer)[\w.]*\.so[\w.]*)/.exec(text)?.[1];
  if (lib) {
    const needs = cudaFor(setup?.tfVersion);
    return { reason: `${lib} could not be loaded: ${firstLine}`,
      advice: setup?.gpu && needs
        ? `TensorFlow ${setup.tfVersion} (built by \`skipcheck setup-native --gpu\`) needs CUDA ${needs.cuda} and cuDNN ${needs.cudnn} on LD_LIBRARY_PATH, or the venv whose \`tensorflow[and-cuda]\` it was built from (docs/native.md)`
        : 'tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1 (libcudart.so.11.0, libcudnn.so.8) on LD_LIBRARY_PATH; with CUDA 12, run `skipcheck setup-native --gpu` (docs/native.md)' };
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|tfjs_binding|napi|\.node\b/i.test(text)) {
    return { reason: `native binding failed to load: ${firstLine}`,
      advice: 'the native addon does not match this Node.js: run `skipcheck setup-native`, or set skipcheck.train.nodePath to a Node.js the addon was built for' };
  }
  return { reason: firstLine, advice: `reinstall ${pkg} (npm install ${pkg}@4.22.0)` };
}

function origins(workspaceDir?: string): string[] {
  const list = [join(__dirname, 'package.json')];
  if (workspaceDir) list.unshift(join(workspaceDir, 'package.json'));
  return list;
}

/** The first package, in BACKEND_PACKAGES order, that loads from any origin. */
export async function loadBackend(workspaceDir?: string, only?: readonly string[]): Promise<LoadedBackend> {
  const attempts: BackendAttempt[] = [];
  for (const pkg of only ?? BACKEND_PACKAGES) {
    let failure: { reason: string; advice: string } | undefined;
    for (const origin of origins(workspaceDir)) {
      let resolved: string;
      try { resolved = createRequire(origin).resolve(pkg); } catch (err) { failure ??= explainBackendFailure(pkg, err); continue; }
      try {
        const tf = createRequire(origin)(resolved) as Tf;
        await tf.ready();
        installFastCpuKernels(tf);
        attempts.push({ pkg, ok: true });
        const packageDir = packageRoot(resolved, pkg);
        const setup = pkg === '@tensorflow/tfjs' ? undefined : nativeRuntimeStatus([dirname(origin)]).setup;
        const noGpu = pkg.endsWith('-gpu') ? await whyNoGpu(tf, packageDir, setup?.gpu) : undefined;
        // The GPU package on a CPU is a backend that did not give what it was installed for: say why, with the fix.
        if (noGpu) attempts.push({ pkg: `${pkg} (GPU device)`, ok: false, ...noGpu });
        const native = setup?.tfVersion;
        return { tf, pkg, attempts, device: describeDevice(tf, pkg) + (native ? `, TensorFlow ${native}` : ''), packageDir };
      } catch (err) {
        const root = packageRoot(resolved, pkg);
        failure = explainBackendFailure(pkg, err, root ? readSetupRecord(root) : undefined);
        break; // found but broken: a second copy elsewhere is not what the user installed for us to use
      }
    }
    attempts.push({ pkg, ok: false, ...failure });
  }
  throw new BackendError(attempts);
}

/** The folder of `pkg` that holds the resolved entry file (…/node_modules/<pkg>). */
function packageRoot(resolved: string, pkg: string): string | undefined {
  const marker = join('node_modules', pkg);
  const at = resolved.lastIndexOf(marker);
  return at >= 0 ? resolved.slice(0, at + marker.length) : undefined;
}

export class BackendError extends Error {
  constructor(readonly attempts: BackendAttempt[]) {
    super('No TensorFlow.js backend could be loaded:\n' + attempts.map((a) => `  ${a.pkg}: ${a.reason} -> ${a.advice}`).join('\n'));
  }
}

/**
 * The backend name plus the device TensorFlow really uses, e.g. "tensorflow (GPU: NVIDIA A100)",
 * "tensorflow (CPU: TensorFlow found no GPU)", "tensorflow (CPU)", "cpu (pure JS)". Read from the backend
 * (isUsingGpuDevice, from TensorFlow's device list), never from the package name.
 */
export function describeDevice(tf: Tf, pkg: string): string {
  const backend = tf.getBackend();
  if (backend !== 'tensorflow') return `${backend} (pure JS)`;
  if (asNodeBackend(tf.backend()).isUsingGpuDevice) return `tensorflow (GPU${gpuName() ? ': ' + gpuName() : ''})`;
  return pkg.endsWith('-gpu') ? 'tensorflow (CPU: TensorFlow found no GPU)' : 'tensorflow (CPU)';
}

/** Why tfjs-node-gpu's TensorFlow runs on the CPU (its first CUDA error) and what to install; undefined on a GPU. */
async function whyNoGpu(tf: Tf, packageDir: string | undefined, setupGpu: boolean | undefined): Promise<{ reason: string; advice: string } | undefined> {
  const backend = asNodeBackend(tf.backend());
  if (tf.getBackend() !== 'tensorflow' || backend.isUsingGpuDevice) return undefined;
  const cudaError = packageDir ? await probeCudaError(packageDir) : undefined;
  return explainNoGpu(backend.binding.TF_Version, setupGpu, cudaError);
}

let gpuNameCache: string | undefined | null = null;
/** TensorFlow's device list says whether there is a GPU, not its model name; nvidia-smi does. */
function gpuName(): string | undefined {
  if (gpuNameCache === null) {
    try {
      gpuNameCache = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 3000, encoding: 'utf8' })
        .split('\n').map((l) => l.trim()).filter(Boolean).join(', ') || undefined;
    } catch { gpuNameCache = undefined; }
  }
  return gpuNameCache;
}

export function tfVersion(tf: Tf): string | undefined {
  return (tf.version as Record<string, string> | undefined)?.['tfjs-core'];
}
