// `skipcheck setup-native`: gives @tensorflow/tfjs-node(-gpu) a working native runtime without its
// install-time download, by building its binding against a local TensorFlow (see docs/native.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonPath } from './addonPath';
import { explainNoGpu } from './gpuDiagnosis';
import { readSetupRecord } from './status';
import { inspectTfDir } from './tfInstall';
import { bindingEntryHeaders, headerClosure } from './headers';
import { layoutDeps, writeRecord } from './layout';
import { buildBinding, findNodeHeaders } from './buildBinding';
import { buildGraphAddon } from './buildGraphAddon';
import { resolveTfInstall } from './resolveTf';
import { parseSetupArgs, SETUP_USAGE, UsageError, type SetupOptions } from './setupArgs';
import { checkCApiSymbols } from './symbols';
import { bindingPath, findTfjsNodePackage, installTfjsNode, npmKeeps, readTfjsNodePackageJson, tfjsNodePackageName } from './tfjsNodePackage';
import { verifyRuntime, type VerifyResult } from './verify';

export interface SetupIo { out: (line: string) => void; err: (line: string) => void }

const consoleIo: SetupIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export async function runSetupNativeCli(argv: string[]): Promise<number> {
  let options: SetupOptions;
  try {
    options = parseSetupArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    consoleIo.err(`skipcheck setup-native: ${err.message}\nRun 'skipcheck setup-native --help' for the options.`);
    return 2;
  }
  if (options.help) {
    consoleIo.out(SETUP_USAGE);
    return 0;
  }
  try {
    await runSetupNative(options, consoleIo);
    return 0;
  } catch (err) {
    consoleIo.err(`skipcheck setup-native failed: ${(err as Error).message}`);
    consoleIo.err('Training keeps working on pure-JS tfjs (slower on conv nets). See docs/native.md.');
    return 1;
  }
}

export async function runSetupNative(options: SetupOptions, io: SetupIo): Promise<{ packageDir: string; result: VerifyResult }> {
  if (process.platform !== 'linux') {
    throw new Error(`setup-native supports Linux; on ${process.platform} install ${tfjsNodePackageName(options.gpu)} normally.`);
  }
  const log = (line: string) => io.out(`  ${line}`);
  const name = tfjsNodePackageName(options.gpu);
  const existing = findTfjsNodePackage(options.target, name);
  if (existing && !options.force) {
    const current = await currentRuntime(options, name, existing, log);
    if (current) {
      const record = readSetupRecord(existing)!;
      io.out(
        `Native TensorFlow ${current.tfVersion} already set up (${current.gpu ? 'GPU' : 'CPU'}): ${name} at ${existing}, built ${record.builtAt} ` +
        `from ${record.source}; it loads in ${current.loadMs} ms and its conv + gradient match pure tfjs` +
        `${current.graphAddon ? '; graph runner works' : ''}. Nothing rebuilt (--force rebuilds).`,
      );
      warnIfNoGpu(options, current, io);
      return { packageDir: existing, result: current };
    }
  }
  io.out('1/5 Finding TensorFlow');
  const install = await resolveTfInstall(options, log);

  io.out(`2/5 Finding ${name}`);
  let packageDir = existing;
  if (packageDir && !npmKeeps(options.target, name, packageDir)) {
    log(`${name} at ${packageDir} is not in ${path.join(options.target, 'package.json')}: the next \`npm install\` there would delete it. Recording it (npm reinstalls it; the build follows).`);
    packageDir = undefined;
  }
  packageDir ??= await installTfjsNode(options.target, name, log);
  const pkg = readTfjsNodePackageJson(packageDir);
  log(`${pkg.name}@${pkg.version} at ${packageDir}`);

  io.out('3/5 Checking the C API headers and symbols');
  const closure = headerClosure(install.includeRoot, bindingEntryHeaders(packageDir));
  for (const m of closure.missing) log(`note: ${m.header} (included from ${m.includedFrom}) is not in ${install.includeRoot}`);
  const symbols = await checkCApiSymbols(packageDir, install.includeRoot, closure.files, [install.capiLib, install.frameworkLib]);
  if (!symbols.checked) log(`note: symbol check skipped: ${symbols.reason}`);
  else if (symbols.missing.length > 0) {
    throw new Error(
      `TensorFlow ${install.version ?? ''} at ${install.root} does not export ${symbols.missing.length} of the ` +
      `${symbols.required} C API functions the binding calls: ${symbols.missing.join(', ')} ` +
      `(looked in ${path.basename(install.capiLib)} and ${path.basename(install.frameworkLib)}).`,
    );
  } else log(`${symbols.required} C API functions the binding calls are exported by ${path.basename(install.capiLib)} / ${path.basename(install.frameworkLib)}`);

  io.out('4/5 Building the binding and the graph runner');
  const record = layoutDeps(packageDir, install, closure.files, { mode: options.symlink ? 'symlink' : 'link-or-copy', gpu: options.gpu });
  log(`deps/lib: ${record.libraries.join(', ')} (${record.placed}); deps/include: ${closure.files.length} headers`);
  const binding = await buildBinding(packageDir, { nodedir: options.nodedir }, log);
  log(`built ${binding}`);
  // Optional: without it training runs op by op, as tfjs-node itself does.
  let graphAddon: string | undefined;
  try {
    graphAddon = await buildGraphAddon(packageDir, findNodeHeaders(options.nodedir)!, log);
    log(`built ${graphAddon}`);
  } catch (err) {
    log(`note: the graph runner was not built (${(err as Error).message.split('\n')[0]}); training steps will run op by op, 2-3x slower`);
  }

  io.out('5/5 Verifying');
  const result = await verifyRuntime(packageDir, graphAddon);
  writeRecord(packageDir, { ...record, tfVersion: result.tfVersion });
  io.out(
    `Native TensorFlow ${result.tfVersion} ready (${result.gpu ? 'GPU' : 'CPU'}): ${pkg.name} loads in ${result.loadMs} ms, ` +
    `backend '${result.backend}', conv + gradient match pure tfjs within ${result.maxAbsDiff.toExponential(1)}` +
    (result.graphAddon ? '; graph runner works.' : '.'),
  );
  warnIfNoGpu(options, result, io);
  return { packageDir, result };
}

function warnIfNoGpu(options: SetupOptions, result: VerifyResult, io: SetupIo): void {
  if (!options.gpu || result.gpu) return;
  const why = explainNoGpu(result.tfVersion, true, result.cudaError);
  io.out(`Warning: no GPU device is in use. ${why.reason}. Fix: ${why.advice}.`);
}

/**
 * The runtime in `packageDir` when a rebuild would change nothing: setup-native built it, for the same
 * device kind and TensorFlow as asked, binding and graph runner are in place, npm keeps the package, and it
 * still loads and computes correctly. Otherwise undefined (and the log says why when it is not obvious).
 */
async function currentRuntime(options: SetupOptions, name: string, packageDir: string, log: (line: string) => void): Promise<VerifyResult | undefined> {
  const record = readSetupRecord(packageDir);
  if (!record || record.gpu !== options.gpu) return undefined;
  if (options.from) {
    let asked: string;
    try { asked = inspectTfDir(options.from).root; } catch { return undefined; }
    if (path.resolve(asked) !== path.resolve(record.source)) return undefined;
  }
  if (options.fetch && record.tfVersion !== options.tfVersion) return undefined;
  let binding: string;
  try { binding = bindingPath(packageDir, readTfjsNodePackageJson(packageDir)); } catch { return undefined; }
  if (!fs.existsSync(binding) || !fs.existsSync(addonPath(packageDir))) return undefined;
  if (!npmKeeps(options.target, name, packageDir)) return undefined;
  try {
    return await verifyRuntime(packageDir, addonPath(packageDir));
  } catch (err) {
    log(`The runtime in place does not work any more (${(err as Error).message.split('\n')[0]}); rebuilding.`);
    return undefined;
  }
}
