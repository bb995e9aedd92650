// Lays out a TF installation in tfjs-node's deps/ folder the way binding.gyp and its install script expect:
// deps/lib/libtensorflow.so (link time), the libraries under their SONAMEs (run time, via the binding's
// RUNPATH $ORIGIN/../../deps/lib), libtensorflow.so.<pinned version> (so a later `npm rebuild` does not
// try to download), and deps/include with the C API headers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TfInstall } from './tfInstall';

export type PlaceMode = 'link-or-copy' | 'symlink';

/** Written next to the libraries so status checks can say what the runtime was built from. */
export interface NativeSetupRecord {
  source: string;
  tfVersion?: string;
  gpu: boolean;
  libraries: string[];
  placed: 'hardlink' | 'copy' | 'symlink';
  builtAt: string;
}

export const RECORD_FILE = 'skipcheck-native.json';

export function layoutDeps(
  packageDir: string, install: TfInstall, headers: string[], options: { mode: PlaceMode; gpu: boolean },
): NativeSetupRecord {
  const deps = path.join(packageDir, 'deps');
  const libDir = path.join(deps, 'lib');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(libDir, { recursive: true });

  const capiName = path.basename(install.capiLib);
  const frameworkName = path.basename(install.frameworkLib);
  const placed = new Set<NativeSetupRecord['placed']>();
  placed.add(place(install.capiLib, path.join(libDir, capiName), options.mode));
  placed.add(place(install.frameworkLib, path.join(libDir, frameworkName), options.mode));

  const pinned = pinnedLibtensorflowVersion(packageDir);
  const aliases: [string, string][] = [
    ['libtensorflow.so', capiName],
    ['libtensorflow.so.2', capiName],
    ['libtensorflow_framework.so', frameworkName],
    [`libtensorflow.so.${pinned}`, capiName],
    [`libtensorflow_framework.so.${pinned}`, frameworkName],
  ];
  for (const [alias, target] of aliases) {
    if (alias !== target && !fs.existsSync(path.join(libDir, alias))) fs.symlinkSync(target, path.join(libDir, alias));
  }

  // The CUDA wheel finds cuDNN, cuBLAS, ... through RUNPATH entries like $ORIGIN/../nvidia/cudnn/lib,
  // relative to site-packages/tensorflow; from deps/lib that is deps/nvidia.
  const nvidia = path.join(path.dirname(install.root), 'nvidia');
  if (fs.existsSync(nvidia)) fs.symlinkSync(nvidia, path.join(deps, 'nvidia'));

  for (const rel of headers) {
    const dest = path.join(deps, 'include', rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(install.includeRoot, rel), dest);
  }

  const record: NativeSetupRecord = {
    source: install.root,
    tfVersion: install.version,
    gpu: options.gpu,
    libraries: [capiName, frameworkName],
    placed: placed.has('copy') ? 'copy' : placed.has('symlink') ? 'symlink' : 'hardlink',
    builtAt: new Date().toISOString(),
  };
  writeRecord(packageDir, record);
  return record;
}

export function writeRecord(packageDir: string, record: NativeSetupRecord): void {
  fs.writeFileSync(path.join(packageDir, 'deps', RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}

// Hard links cost no space and survive the source being uninstalled; across file systems we copy.
function place(source: string, dest: string, mode: PlaceMode): NativeSetupRecord['placed'] {
  const real = fs.realpathSync(source);
  if (mode === 'symlink') {
    fs.symlinkSync(real, dest);
    return 'symlink';
  }
  try {
    fs.linkSync(real, dest);
    return 'hardlink';
  } catch {
    fs.copyFileSync(real, dest);
    return 'copy';
  }
}

/** The libtensorflow version tfjs-node's install script checks for (deps/lib/libtensorflow.so.<v>). */
export function pinnedLibtensorflowVersion(packageDir: string): string {
  const file = path.join(packageDir, 'scripts', 'deps-constants.js');
  const match = fs.existsSync(file) && /LIBTENSORFLOW_VERSION\s*=\s*'([\d.]+)'/.exec(fs.readFileSync(file, 'utf8'));
  return match ? match[1] : '2.9.1';
}
