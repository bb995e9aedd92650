// Compiles tfjs-node's binding with node-gyp against the laid-out deps/. Node's headers must be local:
// node-gyp otherwise downloads them from nodejs.org, which is exactly what this setup avoids.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execTool, tail } from './exec';
import { bindingPath, napiBuildVersion, readTfjsNodePackageJson } from './tfjsNodePackage';

/** A Node install prefix holding include/node/node_api.h, for node-gyp --nodedir. */
export function findNodeHeaders(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')];
  return candidates.find((dir): dir is string => !!dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

/** node-gyp as a script run by this Node: npm's bundled copy, or one named by npm's config. */
export function findNodeGyp(): string | undefined {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.resolve(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    path.resolve(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

export async function buildBinding(packageDir: string, options: { nodedir?: string }, log: (line: string) => void): Promise<string> {
  const pkg = readTfjsNodePackageJson(packageDir);
  const napi = napiBuildVersion(pkg);
  const target = bindingPath(packageDir, pkg, napi);
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) {
    throw new Error('node-gyp not found (it ships with npm). Install npm, or set npm_config_node_gyp to node-gyp.js.');
  }
  const nodedir = findNodeHeaders(options.nodedir);
  if (!nodedir) {
    throw new Error(
      `Node.js headers for ${process.version} not found next to ${process.execPath}. Install them (Debian/Ubuntu: ` +
      'the nodejs or libnode-dev package provides /usr/include/node) and pass --nodedir <prefix>.',
    );
  }
  fs.rmSync(target, { force: true });
  log(`Building the tfjs-node binding with node-gyp (N-API ${napi}, Node headers from ${nodedir}) ...`);
  const r = await execTool(process.execPath, [
    nodeGyp, 'rebuild', `--nodedir=${nodedir}`,
    '--module_name=tfjs_binding', `--module_path=${path.dirname(target)}`, `--napi_build_version=${napi}`,
  ], { cwd: packageDir, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (r.code !== 0 || !fs.existsSync(target)) {
    throw new Error(
      `node-gyp failed:\n${tail(r.error ?? r.stderr, 20)}\n` +
      'It needs python3, make and a C++ compiler (Debian/Ubuntu: apt-get install build-essential python3).',
    );
  }
  return target;
}
