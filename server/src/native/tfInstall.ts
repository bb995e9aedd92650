// Recognises a TensorFlow installation that can serve as tfjs-node's libtensorflow: the Python wheel's
// package folder (site-packages/tensorflow: the C API lives in libtensorflow_cc.so.2) or a libtensorflow
// C release (lib/libtensorflow.so.2 + include/).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TfInstall {
  /** Library exporting the TF C and eager C API, under its SONAME. */
  capiLib: string;
  frameworkLib: string;
  /** Folder holding tensorflow/c/c_api.h. */
  includeRoot: string;
  /** From the wheel's dist-info or the release's file names; the loaded library reports the real one. */
  version?: string;
  root: string;
}

const CAPI_LIB_NAMES = ['libtensorflow_cc.so.2', 'libtensorflow.so.2'];
const FRAMEWORK_LIB_NAME = 'libtensorflow_framework.so.2';

export function inspectTfDir(dir: string): TfInstall {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) throw new Error(`${root} does not exist`);
  const layouts = [root, path.join(root, 'tensorflow')];
  for (const base of layouts) {
    for (const libDir of [base, path.join(base, 'lib')]) {
      const capi = CAPI_LIB_NAMES.map((n) => path.join(libDir, n)).find((p) => fs.existsSync(p));
      const framework = path.join(libDir, FRAMEWORK_LIB_NAME);
      const includeRoot = path.join(base, 'include');
      if (capi && fs.existsSync(framework) && fs.existsSync(path.join(includeRoot, 'tensorflow/c/c_api.h'))) {
        return { capiLib: capi, frameworkLib: framework, includeRoot, version: guessVersion(base, libDir), root: base };
      }
    }
  }
  throw new Error(
    `${root} is not a TensorFlow installation this setup understands. Expected either a Python package folder ` +
    `(site-packages/tensorflow with ${CAPI_LIB_NAMES[0]}, ${FRAMEWORK_LIB_NAME} and include/) or a libtensorflow ` +
    `release (lib/${CAPI_LIB_NAMES[1]}, lib/${FRAMEWORK_LIB_NAME}, include/tensorflow/c/c_api.h). ` +
    'A Windows or macOS TensorFlow cannot be used on Linux.',
  );
}

function guessVersion(base: string, libDir: string): string | undefined {
  const sitePackages = path.dirname(base);
  const distInfo = safeList(sitePackages).find((n) => /^(tensorflow|tensorflow_cpu|tf_nightly)-[\w.]+\.dist-info$/.test(n));
  if (distInfo) return distInfo.replace(/^[a-z_]+-/, '').replace(/\.dist-info$/, '');
  const versioned = safeList(libDir).map((n) => /^libtensorflow(?:_cc)?\.so\.(\d+\.\d+\.\d+)$/.exec(n)).find(Boolean);
  return versioned?.[1];
}

function safeList(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}
