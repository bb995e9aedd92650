// Command line of `skipcheck setup-native`.
import * as os from 'node:os';
import * as path from 'node:path';

/** The newest tensorflow(-cpu) release this setup has been built and verified against. */
export const DEFAULT_TF_VERSION = '2.18.0';

export interface SetupOptions {
  from?: string;
  gpu: boolean;
  target: string;
  tfVersion: string;
  fetch: boolean;
  python: string;
  nodedir?: string;
  symlink: boolean;
  /** Rebuild even when the runtime in place was built from the same TensorFlow and still loads. */
  force: boolean;
  cacheDir: string;
  help: boolean;
}

export const SETUP_USAGE = `Usage: skipcheck setup-native [options]

Builds @tensorflow/tfjs-node (or -gpu) against a TensorFlow already on this machine, or against the official
wheel fetched from PyPI with pip, instead of its own install script's download from storage.googleapis.com.

  --from <dir>         TensorFlow to use: site-packages/tensorflow of a Python install, or a libtensorflow
                       release folder (lib/ + include/). Default: the tensorflow python3 imports, else the wheel.
  --gpu                Set up @tensorflow/tfjs-node-gpu (CUDA 12). Use with a 'tensorflow[and-cuda]' install.
  --target <dir>       Folder whose node_modules holds (or receives) tfjs-node. Default: current folder.
  --tf-version <ver>   Wheel version to fetch from PyPI. Default: ${DEFAULT_TF_VERSION}.
  --fetch              Fetch the wheel even if python3 has TensorFlow.
  --python <exe>       Python used to find TensorFlow and run pip. Default: python3.
  --nodedir <prefix>   Node.js install prefix holding include/node (headers for node-gyp).
  --symlink            Symlink the TF libraries instead of hard-linking or copying them.
  --force              Rebuild even if the runtime in place is already set up and loads.
  -h, --help           Show this help.`;

export class UsageError extends Error {}

export function parseSetupArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SetupOptions {
  const options: SetupOptions = {
    gpu: false, target: cwd, tfVersion: DEFAULT_TF_VERSION, fetch: false, python: 'python3', symlink: false, force: false,
    cacheDir: path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skipcheck-native'), help: false,
  };
  const valued: Record<string, (v: string) => void> = {
    '--from': (v) => { options.from = path.resolve(cwd, v); },
    '--target': (v) => { options.target = path.resolve(cwd, v); },
    '--tf-version': (v) => {
      if (!/^\d+\.\d+\.\d+([a-z0-9.]*)$/.test(v)) throw new UsageError(`--tf-version expects a version like 2.18.0, got '${v}'`);
      options.tfVersion = v;
    },
    '--python': (v) => { options.python = v; },
    '--nodedir': (v) => { options.nodedir = path.resolve(cwd, v); },
  };
  const flags: Record<string, () => void> = {
    '--gpu': () => { options.gpu = true; },
    '--fetch': () => { options.fetch = true; },
    '--symlink': () => { options.symlink = true; },
    '--force': () => { options.force = true; },
    '--help': () => { options.help = true; },
    '-h': () => { options.help = true; },
  };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? splitOnce(argv[i]) : [argv[i], undefined];
    if (flags[name] && inline === undefined) flags[name]();
    else if (valued[name]) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      valued[name](value);
    } else throw new UsageError(`Unknown option '${argv[i]}'`);
  }
  if (options.from && options.fetch) throw new UsageError('--from and --fetch exclude each other');
  return options;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
