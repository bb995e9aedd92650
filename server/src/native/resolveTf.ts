// Picks the TensorFlow installation to build against: the user's --from, else the one python3 imports,
// else the official wheel from PyPI (cached).
import * as fs from 'node:fs';
import { inspectTfDir, type TfInstall } from './tfInstall';
import { fetchWheel, findPythonTensorflow, unpackWheel, wheelDistribution } from './pythonTf';
import type { SetupOptions } from './setupArgs';

export async function resolveTfInstall(options: SetupOptions, log: (line: string) => void): Promise<TfInstall> {
  if (options.from) {
    const install = inspectTfDir(options.from);
    log(`Using TensorFlow ${install.version ?? '(version unknown)'} from ${install.root}`);
    return install;
  }
  if (!options.fetch) {
    const found = await findPythonTensorflow(options.python);
    if ('reason' in found) log(`No installed TensorFlow to reuse: ${found.reason}.`);
    else if (options.gpu && found.distribution === 'tensorflow-cpu') log(`Not reusing ${found.dir}: tensorflow-cpu has no CUDA kernels.`);
    else {
      try {
        const install = { ...inspectTfDir(found.dir), version: found.version };
        log(`Using TensorFlow ${found.version ?? ''} installed for ${options.python} at ${install.root}`);
        return install;
      } catch (err) {
        log(`Not reusing ${found.dir}: ${(err as Error).message}`);
      }
    }
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`PyPI has no ${wheelDistribution(options.gpu)} wheel with the C API for ${process.platform}-${process.arch}; pass --from <TensorFlow folder>.`);
  }
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const distribution = wheelDistribution(options.gpu);
  const wheel = await fetchWheel(options.python, distribution, options.tfVersion, options.cacheDir, log);
  log(`Wheel ${wheel} (${(fs.statSync(wheel).size / 1e6).toFixed(0)} MB); unpacking its libraries and headers ...`);
  const install = { ...inspectTfDir(await unpackWheel(options.python, wheel, options.cacheDir)), version: options.tfVersion };
  return install;
}
