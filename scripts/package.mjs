// Builds dist/, adds the run-time packages the bundles leave external, and packs the .vsix with vsce.
//   node scripts/package.mjs [--out file.vsix] [--target linux-x64|darwin-arm64|win32-x64|…] [--no-build]
// vsce runs with --no-dependencies: the .vsix carries no node_modules/ and .vscodeignore lets only dist/,
// snippets/, media/, package.json, README.md and LICENSE in. Packing happens in a staging copy, so the
// repository's dist/ stays what the build made and two runs at once do not trip over each other. What the
// bundles still require at run time is placed under dist/node_modules/, where Node finds it from dist/*.js:
//   - @tensorflow/tfjs: the pure-JS fallback the trainer uses when the user's workspace has no tfjs of its
//     own (the model loader points the user's tfjs imports at it), bundled and minified to ~2 MB;
//   - esbuild: the trainer compiles the user's model file with it. Its binary is per platform, so the
//     package is marked for one platform (vsce --target): this machine's, or --target's, whose binary
//     package is then fetched from the npm registry.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// What the extension is made of; .vscodeignore then picks the files that ship.
const EXTENSION_PARTS = ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'dist', 'snippets', 'media'];

function argValue(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  if (!process.argv[i + 1]) throw new Error(`${name} needs a value`);
  return process.argv[i + 1];
}

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

/** One self-contained CommonJS file, so the fallback needs none of tfjs's sub-packages at run time. */
async function bundleTfjsFallback(runtimeModules) {
  const out = join(runtimeModules, '@tensorflow', 'tfjs');
  const { version } = JSON.parse(readFileSync(join(packageDir('@tensorflow/tfjs'), 'package.json'), 'utf8'));
  await esbuild.build({
    entryPoints: ['@tensorflow/tfjs'], absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    minify: true, outfile: join(out, 'index.js'), logLevel: 'warning',
    // Apache-2.0: the collected license headers travel with the code.
    legalComments: 'external',
  });
  writeFileSync(join(out, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs', version, main: 'index.js', license: 'Apache-2.0',
    description: 'Bundled by Skipcheck as the pure-JS fallback; your workspace\'s own tfjs is preferred.' }, null, 2));
}

/** vsce's name for this machine, e.g. linux-x64. */
function hostTarget() {
  return `${process.platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`;
}

/** The @esbuild package holding the binary for a vsce target (its Linux binaries are static, so musl too). */
function esbuildBinaryPackage(target) {
  const [platform, arch] = target.split('-');
  if (!['win32', 'linux', 'darwin', 'alpine'].includes(platform) || !['x64', 'arm64', 'armhf'].includes(arch)) {
    throw new Error(`unsupported --target ${target}: use e.g. linux-x64, linux-arm64, darwin-arm64, win32-x64, alpine-x64`);
  }
  return `@esbuild/${platform === 'alpine' ? 'linux' : platform}-${arch === 'armhf' ? 'arm' : arch}`;
}

/** Another platform's binary package, fetched from the npm registry at esbuild's exact version. */
function fetchPackage(name, version, into) {
  const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', into], { cwd: into, encoding: 'utf8' }).trim().split('\n').pop();
  mkdirSync(join(into, 'unpacked'), { recursive: true });
  execFileSync('tar', ['xzf', join(into, tgz), '-C', join(into, 'unpacked')]);
  return join(into, 'unpacked', 'package');
}

/** The esbuild JS API plus the target's binary, which is what esbuild's main.js resolves. */
function copyEsbuild(runtimeModules, target, scratch) {
  const binaryPkg = esbuildBinaryPackage(target);
  const { version } = JSON.parse(readFileSync(join(packageDir('esbuild'), 'package.json'), 'utf8'));
  for (const name of ['esbuild', binaryPkg]) {
    const from = name === binaryPkg && target !== hostTarget() ? fetchPackage(name, version, scratch) : packageDir(name);
    // esbuild/bin/ holds a second copy of the binary made by its install script; main.js does not need it.
    const skip = (src) => /(\.d\.ts|README\.md|install\.js)$/.test(src) || (name === 'esbuild' && relative(from, src) === 'bin');
    cpSync(from, join(runtimeModules, name), { recursive: true, filter: (src) => !skip(src) });
  }
}

// Requires the bundles make inside try/catch, working without the package.
const OPTIONAL_REQUIRES = new Set([
  'source-map-support', // TypeScript's sys.tryEnableSourceMapsForHost
]);

/** Every bare require left in dist/*.js must be a Node built-in, vscode, optional, or provided in dist/node_modules. */
function checkExternals(dist) {
  const missing = [];
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(dist, file), 'utf8');
    for (const [, id] of code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)) {
      const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
      if (name === 'vscode' || id.startsWith('node:') || builtinModules.includes(name) || OPTIONAL_REQUIRES.has(name)) continue;
      if (!existsSync(join(dist, 'node_modules', name, 'package.json'))) missing.push(`${file}: require("${id}")`);
    }
  }
  if (missing.length) throw new Error(`bundles require packages the .vsix would not carry:\n  ${missing.join('\n  ')}`);
}

function sizeOf(dir) {
  return readdirSync(dir, { recursive: true }).reduce((sum, f) => {
    const s = statSync(join(dir, String(f)));
    return s.isFile() ? sum + s.size : sum;
  }, 0);
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

async function main() {
  if (!process.argv.includes('--no-build')) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(root, manifest.main))) throw new Error(`${manifest.main} was not built`);
  const work = mkdtempSync(join(tmpdir(), 'skipcheck-package-'));
  const stage = join(work, 'extension');
  const scratch = join(work, 'fetched');
  mkdirSync(scratch, { recursive: true });
  mkdirSync(stage, { recursive: true });
  try {
    for (const part of EXTENSION_PARTS) {
      if (!existsSync(join(root, part)) || part === 'package.json') continue;
      cpSync(join(root, part), join(stage, part), { recursive: true, filter: (src) => !relative(root, src).split(sep).includes('node_modules') });
    }
    // "files" describes the npm package (CLI); vsce refuses it next to .vscodeignore, which describes the .vsix.
    const { files: _npmFiles, ...extensionManifest } = manifest;
    writeFileSync(join(stage, 'package.json'), JSON.stringify(extensionManifest, null, 2));
    const runtimeModules = join(stage, 'dist', 'node_modules');
    const target = argValue('--target') ?? hostTarget();
    await bundleTfjsFallback(runtimeModules);
    copyEsbuild(runtimeModules, target, scratch);
    checkExternals(join(stage, 'dist'));

    const named = argValue('--target') ? `${manifest.name}-${target}-${manifest.version}` : `${manifest.name}-${manifest.version}`;
    const out = resolve(argValue('--out') ?? join(root, `${named}.vsix`));
    mkdirSync(dirname(out), { recursive: true });
    const args = [join(packageDir('@vscode/vsce'), 'vsce'), 'package', '--no-dependencies', '--target', target, '--out', out];
    // Without a repository vsce cannot turn README's relative links (docs/...) into absolute ones; they stay
    // relative, which the Extensions view cannot follow. Adding "repository" to package.json fixes both.
    if (!manifest.repository) args.push('--allow-missing-repository', '--no-rewrite-relative-links');
    execFileSync(process.execPath, args, { cwd: stage, stdio: 'inherit' });
    console.log(`${relative(process.cwd(), out) || out}: ${mb(statSync(out).size)} (${target}; dist/node_modules ${mb(sizeOf(runtimeModules))} unpacked)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`package: ${err.message}`);
  process.exit(1);
});
