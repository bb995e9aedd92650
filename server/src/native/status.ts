// Whether a usable native TensorFlow runtime (tfjs-node or tfjs-node-gpu with a built binding) is
// reachable, and if not, the message training shows before falling back to pure-JS tfjs. Does not load
// the binding: loading is the trainer's call, and a failure there has its own message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonPath } from './addonPath';
import { RECORD_FILE, type NativeSetupRecord } from './layout';
import { bindingPath, findTfjsNodePackage, readTfjsNodePackageJson, tfjsNodePackageName } from './tfjsNodePackage';

export interface NativeRuntimeStatus {
  ready: boolean;
  packageName?: string;
  packageDir?: string;
  bindingFile?: string;
  /** Present when `skipcheck setup-native` built this runtime. */
  setup?: NativeSetupRecord;
  /** Skipcheck's graph runner is built next to the binding (training steps can run as one graph). */
  graphAddon?: boolean;
  reason: string;
  advice?: string;
}

const ADVICE =
  'Run `skipcheck setup-native` (add --gpu for CUDA) to build it against a local TensorFlow; see docs/native.md. ' +
  'Until then training uses pure-JS tfjs, which is much slower on conv nets.';

/** First ready runtime resolvable from `fromDirs` (GPU package first), else why none is. */
export function nativeRuntimeStatus(fromDirs: string[]): NativeRuntimeStatus {
  const problems: NativeRuntimeStatus[] = [];
  for (const dir of fromDirs) {
    for (const name of [tfjsNodePackageName(true), tfjsNodePackageName(false)]) {
      const packageDir = findTfjsNodePackage(dir, name);
      if (!packageDir) continue;
      const status = packageStatus(name, packageDir);
      if (status.ready) return status;
      problems.push(status);
    }
  }
  return problems[0] ?? {
    ready: false,
    reason: `Neither ${tfjsNodePackageName(false)} nor ${tfjsNodePackageName(true)} is installed where ${fromDirs.join(', ')} can resolve it.`,
    advice: ADVICE,
  };
}

function packageStatus(name: string, packageDir: string): NativeRuntimeStatus {
  let bindingFile: string;
  try {
    bindingFile = bindingPath(packageDir, readTfjsNodePackageJson(packageDir));
  } catch (err) {
    return { ready: false, packageName: name, packageDir, reason: (err as Error).message, advice: ADVICE };
  }
  const setup = readSetupRecord(packageDir);
  if (!fs.existsSync(bindingFile)) {
    return {
      ready: false, packageName: name, packageDir, bindingFile, setup,
      reason: `${name} is installed at ${packageDir} but its native binding was never built (npm skips its install ` +
        'script, and that script would download libtensorflow from storage.googleapis.com).',
      advice: ADVICE,
    };
  }
  const tf = setup?.tfVersion ? ` on TensorFlow ${setup.tfVersion}` : '';
  const graphAddon = fs.existsSync(addonPath(packageDir));
  return { ready: true, packageName: name, packageDir, bindingFile, setup, graphAddon, reason: `${name}${tf} at ${packageDir}` };
}

/** What `skipcheck setup-native` recorded when it built `packageDir`'s runtime, if it did. */
export function readSetupRecord(packageDir: string): NativeSetupRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageDir, 'deps', RECORD_FILE), 'utf8')) as NativeSetupRecord;
  } catch {
    return undefined;
  }
}
