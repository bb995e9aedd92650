// Finds (or installs, without running its install script) the tfjs-node package whose native binding the
// setup builds. Its own install script would download libtensorflow from storage.googleapis.com.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { execTool, tail } from './exec';

/** The tfjs-node release matching the project's @tensorflow/tfjs. */
export const TFJS_NODE_VERSION = '4.22.0';

export function tfjsNodePackageName(gpu: boolean): string {
  return gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
}

/** The package folder as Node resolves it from `fromDir`, or undefined. */
export function findTfjsNodePackage(fromDir: string, name: string): string | undefined {
  try {
    const req = createRequire(path.join(path.resolve(fromDir), 'noop.js'));
    return path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Installs `name` into `targetDir` and records it in its package.json as an optional dependency: a package
 * npm does not know about (`--no-save`) is deleted, with the binding built into it, by the next plain
 * `npm install` there. Recorded, npm leaves it and its build alone until it reinstalls it (`npm ci`, an upgrade).
 */
export async function installTfjsNode(targetDir: string, name: string, log: (line: string) => void): Promise<string> {
  const spec = `${name}@${TFJS_NODE_VERSION}`;
  log(`Installing ${spec} into ${path.join(targetDir, 'node_modules')} as an optional dependency in its package.json ` +
    '(npm --ignore-scripts: nothing is downloaded from outside the registry) ...');
  fs.mkdirSync(targetDir, { recursive: true });
  const r = await execTool('npm', [
    'install', '--ignore-scripts', '--save-optional', '--save-exact', '--no-audit', '--no-fund', '--prefix', targetDir, spec,
  ], { cwd: targetDir });
  const dir = findTfjsNodePackage(targetDir, name);
  if (r.code !== 0 || !dir) {
    throw new Error(`npm could not install ${spec} in ${targetDir}:\n${tail(r.error ?? r.stderr, 8)}`);
  }
  return dir;
}

export interface TfjsNodePackageJson { name: string; version: string; binary: { module_path: string; napi_versions: number[] } }

export function readTfjsNodePackageJson(packageDir: string): TfjsNodePackageJson {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as TfjsNodePackageJson;
  if (!pkg.binary?.module_path || !Array.isArray(pkg.binary.napi_versions) || !fs.existsSync(path.join(packageDir, 'binding.gyp'))) {
    throw new Error(`${packageDir} does not look like @tensorflow/tfjs-node (no binding.gyp or binary config)`);
  }
  return pkg;
}

/**
 * The N-API version node-pre-gyp's find() will look for: the highest the package declares that this Node
 * supports. The binding has to be built into exactly that folder or tfjs-node will not find it.
 */
export function napiBuildVersion(pkg: TfjsNodePackageJson, runtimeNapi = Number(process.versions.napi)): number {
  const usable = pkg.binary.napi_versions.filter((v) => v <= runtimeNapi);
  if (usable.length === 0) throw new Error(`This Node (N-API ${runtimeNapi}) is older than every N-API version ${pkg.name} supports`);
  return Math.max(...usable);
}

export function bindingPath(packageDir: string, pkg: TfjsNodePackageJson, napi = napiBuildVersion(pkg)): string {
  const modulePath = pkg.binary.module_path.replace('{napi_build_version}', String(napi));
  return path.join(packageDir, modulePath, 'tfjs_binding.node');
}

/**
 * Whether npm keeps `packageDir` on the next plain `npm install` in `targetDir`: it is `targetDir`'s own
 * dependency (any kind), or it lives outside `targetDir/node_modules` (a parent's, which that install does not prune).
 */
export function npmKeeps(targetDir: string, name: string, packageDir: string): boolean {
  if (path.resolve(packageDir) !== path.join(path.resolve(targetDir), 'node_modules', name)) return true;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(targetDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'].some((k) => pkg[k]?.[name] !== undefined);
  } catch {
    return false;
  }
}
