// The Python that converts and trains exported models: TensorFlow, Keras 2 (`tf-keras`, the format the
// tfjs converter reads and writes) and the converter itself (`tensorflowjs`, installed without its
// dependencies: its SavedModel/JAX converters need gigabytes the Layers path never imports, see
// server/python/skipcheck_tfjs.py). By default a virtual environment in the same cache as
// `skipcheck setup-native` (~/.cache/skipcheck-native/venv), created once from PyPI with pip.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../native/exec';
import { DEFAULT_TF_VERSION } from '../native/setupArgs';

export const TFJS_CONVERTER_VERSION = '4.22.0';

export interface KerasPython { python: string; tfVersion: string; kerasVersion: string; installed: boolean }

export class PythonSetupError extends Error {}

export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skipcheck-native');
}

const PROBE = `
import importlib.util, json
import tensorflow as tf, tf_keras
if importlib.util.find_spec('tensorflowjs') is None: raise SystemExit('tensorflowjs is not installed')
print(json.dumps({'tf': tf.__version__, 'keras': tf_keras.__version__}))
`;

async function probe(python: string): Promise<{ tf: string; keras: string } | { reason: string }> {
  const r = await execTool(python, ['-c', PROBE], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, timeoutMs: 120_000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code === 0 && last.startsWith('{')) return JSON.parse(last) as { tf: string; keras: string };
  return { reason: r.error ?? tail(r.stderr || r.stdout, 2) };
}

export interface KerasPythonOptions {
  /** A Python that already has tensorflow, tf_keras and tensorflowjs; never installed into. */
  python?: string;
  cacheDir?: string;
  /** Base Python for the venv (default python3). */
  basePython?: string;
  log?: (line: string) => void;
}

/** A ready Python, set up in <cache>/venv on first use; PythonSetupError says why there is none. */
export async function ensureKerasPython(options: KerasPythonOptions = {}): Promise<KerasPython> {
  const log = options.log ?? (() => undefined);
  if (options.python) {
    const found = await probe(options.python);
    if ('reason' in found) {
      throw new PythonSetupError(`${options.python} cannot convert models: ${found.reason}\n` +
        `Install the converter there: ${options.python} -m pip install tf-keras six && ${options.python} -m pip install --no-deps tensorflowjs==${TFJS_CONVERTER_VERSION}`);
    }
    return { python: options.python, tfVersion: found.tf, kerasVersion: found.keras, installed: false };
  }
  const venv = path.join(options.cacheDir ?? nativeCacheDir(), 'venv');
  const python = path.join(venv, 'bin', 'python');
  const ready = fs.existsSync(python) ? await probe(python) : { reason: 'no venv yet' };
  if (!('reason' in ready)) return { python, tfVersion: ready.tf, kerasVersion: ready.keras, installed: false };
  return withLock(`${venv}.lock`, log, async () => {
    const again = fs.existsSync(python) ? await probe(python) : ready; // someone else may have installed it meanwhile
    if (!('reason' in again)) return { python, tfVersion: again.tf, kerasVersion: again.keras, installed: false };
    await installVenv(venv, options.basePython ?? 'python3', log);
    const after = await probe(python);
    if ('reason' in after) throw new PythonSetupError(`The Python environment in ${venv} still cannot convert models: ${after.reason}`);
    return { python, tfVersion: after.tf, kerasVersion: after.keras, installed: true };
  });
}

async function pip(python: string, args: string[], log: (line: string) => void): Promise<void> {
  log(`pip install ${args.join(' ')}`);
  const r = await execTool(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', '-q', ...args]);
  if (r.code !== 0) {
    throw new PythonSetupError(`pip install ${args.join(' ')} failed:\n${tail(r.error ?? (r.stderr || r.stdout), 8)}\n` +
      'Check that pip reaches PyPI (proxy, index settings), or pass --python <a Python with tensorflow, tf-keras and tensorflowjs>.');
  }
}

async function installVenv(venv: string, basePython: string, log: (line: string) => void): Promise<void> {
  const python = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(python)) {
    log(`Creating ${venv} (once) ...`);
    const r = await execTool(basePython, ['-m', 'venv', venv]);
    if (r.code !== 0) {
      throw new PythonSetupError(`${basePython} -m venv ${venv} failed: ${tail(r.error ?? r.stderr, 4)}\n` +
        'Install Python 3.9-3.12 with its venv module (Debian: apt-get install python3-venv).');
    }
  }
  // Keep a TensorFlow the venv already has (the native benchmark installs one); tf-keras must match its minor.
  const has = await execTool(python, ['-c', 'import importlib.metadata as m; print(m.version("tensorflow-cpu"))']);
  const tf = has.code === 0 ? has.stdout.trim() : DEFAULT_TF_VERSION;
  const minor = tf.split('.').slice(0, 2).join('.');
  log(`Installing TensorFlow ${tf}, tf-keras and the tfjs converter from PyPI (about 1.4 GB on disk, once) ...`);
  await pip(python, [`tensorflow-cpu==${tf}`, 'six'], log);
  // Both without dependencies: tf-keras would pull the `tensorflow` wheel over tensorflow-cpu, tensorflowjs jax & co.
  await pip(python, ['--no-deps', `tf-keras~=${minor}.0`, `tensorflowjs==${TFJS_CONVERTER_VERSION}`], log);
}

/** A lock folder so two processes (tests, an editor and a terminal) never pip-install into one venv at once. */
async function withLock<T>(lockDir: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const staleMs = 30 * 60_000;
  for (let waited = 0; ; waited += 2000) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (!stat) continue; // released meanwhile
      if (Date.now() - stat.mtimeMs > staleMs) { fs.rmSync(lockDir, { recursive: true, force: true }); continue; }
      if (waited === 0) log(`Waiting for another Skipcheck process installing into ${path.dirname(lockDir)} ...`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try { return await fn(); } finally { fs.rmSync(lockDir, { recursive: true, force: true }); }
}
