// Compiles Skipcheck's graph runner (server/addon/graph_session.c) against the TensorFlow C API laid out in
// tfjs-node's deps/, next to the binding: one C file, so a plain C compiler call, no node-gyp project.
// It links libtensorflow under the same SONAME as tfjs-node's binding, so both share one TensorFlow.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonPath } from './addonPath';
import { execTool, tail } from './exec';

/** The C source: next to the bundle in dist/addon/, or in the repository when run from source. */
export function graphAddonSource(): string | undefined {
  const candidates = [path.join(__dirname, 'addon', 'graph_session.c'), path.resolve(__dirname, '../../addon/graph_session.c')];
  return candidates.find((p) => fs.existsSync(p));
}

export async function buildGraphAddon(packageDir: string, nodedir: string, log: (line: string) => void): Promise<string> {
  const source = graphAddonSource();
  if (!source) throw new Error('graph_session.c is not part of this installation');
  const target = addonPath(packageDir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(target, { force: true });
  const cc = process.env.CC || 'cc';
  const deps = path.join(packageDir, 'deps');
  log(`Building Skipcheck's graph runner with ${cc} ...`);
  const r = await execTool(cc, [
    '-O2', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=skipcheck_graph',
    `-I${path.join(nodedir, 'include', 'node')}`, `-I${path.join(deps, 'include')}`,
    source, `-L${path.join(deps, 'lib')}`, '-ltensorflow',
    // deps/skipcheck/../lib: found wherever the package folder is moved.
    '-Wl,-rpath,$ORIGIN/../lib', '-o', target,
  ]);
  if (r.code !== 0 || !fs.existsSync(target)) {
    throw new Error(`${cc} failed:\n${tail(r.error ?? r.stderr, 12)}`);
  }
  return target;
}
