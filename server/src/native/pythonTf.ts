// The Python side of finding TensorFlow: an installed package (found without importing it, which would
// take seconds and print CUDA warnings) or the official wheel fetched from PyPI by pip, which honours the
// user's index and proxy settings. Only the wheel's shared libraries and headers are used, so the
// wheel's Python version does not matter.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execTool, tail } from './exec';

export interface PythonTf { dir: string; distribution?: string; version?: string }

const FIND_TF = `
import importlib.util, importlib.metadata, json
spec = importlib.util.find_spec('tensorflow')
version = dist_name = None
for dist in ('tensorflow', 'tensorflow-cpu', 'tf-nightly'):
    try:
        version = importlib.metadata.version(dist); dist_name = dist; break
    except importlib.metadata.PackageNotFoundError:
        pass
print(json.dumps({'dir': list(spec.submodule_search_locations)[0] if spec else None, 'distribution': dist_name, 'version': version}))
`;

/** TensorFlow importable by `python`, or a reason why not. */
export async function findPythonTensorflow(python: string): Promise<PythonTf | { reason: string }> {
  const r = await execTool(python, ['-c', FIND_TF]);
  if (r.code !== 0) return { reason: r.error ?? `${python} failed: ${tail(r.stderr, 3)}` };
  const found = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<'dir' | 'distribution' | 'version', string | null>;
  if (!found.dir) return { reason: `${python} has no tensorflow package` };
  return { dir: found.dir, distribution: found.distribution ?? undefined, version: found.version ?? undefined };
}

export function wheelDistribution(gpu: boolean): string {
  // `tensorflow` carries the CUDA kernels (and needs the nvidia-* wheels at run time); the CPU-only
  // wheel is a third of the size.
  return gpu ? 'tensorflow' : 'tensorflow-cpu';
}

/** Downloads (once) the wheel into cacheDir/wheels and returns its path. */
export async function fetchWheel(
  python: string, distribution: string, version: string, cacheDir: string, log: (line: string) => void,
): Promise<string> {
  const wheelDir = path.join(cacheDir, 'wheels');
  const cached = findWheel(wheelDir, distribution, version);
  if (cached) {
    log(`Using cached ${path.basename(cached)}`);
    return cached;
  }
  fs.mkdirSync(wheelDir, { recursive: true });
  log(`Downloading ${distribution}==${version} from PyPI with pip (several hundred MB) ...`);
  const r = await execTool(python, [
    '-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--progress-bar', 'off',
    `${distribution}==${version}`, '-d', wheelDir,
  ]);
  const wheel = findWheel(wheelDir, distribution, version);
  if (r.code !== 0 || !wheel) {
    throw new Error(
      `pip could not download ${distribution}==${version}:\n${tail(r.error ?? (r.stderr || r.stdout), 8)}\n` +
      'Check that pip reaches your package index (proxy settings), that this Python version has a ' +
      `${distribution} ${version} wheel (try --tf-version), or point --from at an existing TensorFlow.`,
    );
  }
  return wheel;
}

function findWheel(dir: string, distribution: string, version: string): string | undefined {
  const prefix = `${distribution.replace(/-/g, '_')}-${version}-`;
  const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const name = names.find((n) => n.startsWith(prefix) && n.endsWith('.whl'));
  return name && path.join(dir, name);
}

const EXTRACT = `
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith('tensorflow/include/') or (name.startswith('tensorflow/lib') and '.so' in name):
            z.extract(name, dest)
`;

/** Unpacks the wheel's libraries and headers into cacheDir/unpacked/<wheel>; returns the package folder. */
export async function unpackWheel(python: string, wheel: string, cacheDir: string): Promise<string> {
  const dest = path.join(cacheDir, 'unpacked', path.basename(wheel, '.whl'));
  const done = path.join(dest, '.complete');
  if (!fs.existsSync(done)) {
    fs.rmSync(dest, { recursive: true, force: true });
    const r = await execTool(python, ['-c', EXTRACT, wheel, dest]);
    if (r.code !== 0) throw new Error(`Could not unpack ${wheel}: ${tail(r.error ?? r.stderr, 5)}`);
    fs.writeFileSync(done, '');
  }
  return path.join(dest, 'tensorflow');
}
