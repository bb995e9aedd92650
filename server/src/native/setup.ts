// `skipcheck setup-native`: gives @tensorflow/tfjs-node(-gpu) a working native runtime without its
// install-time download, by building its binding against a local TensorFlow (see docs/native.md).
import * as path from 'node:path';
import { bindingEntryHeaders, headerClosure } from './headers';
import { layoutDeps, writeRecord } from './layout';
import { buildBinding, findNodeHeaders } from './buildBinding';
import { buildGraphAddon } from './buildGraphAddon';
import { resolveTfInstall } from './resolveTf';
import { parseSetupArgs, SETUP_USAGE, UsageError, type SetupOptions } from './setupArgs';
import { checkCApiSymbols } from './symbols';
import { findTfjsNodePackage, installTfjsNode, readTfjsNodePackageJson, tfjsNodePackageName } from './tfjsNodePackage';
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
  io.out('1/5 Finding TensorFlow');
  const install = await resolveTfInstall(options, log);

  const name = tfjsNodePackageName(options.gpu);
  io.out(`2/5 Finding ${name}`);
  const packageDir = findTfjsNodePackage(options.target, name) ?? await installTfjsNode(options.target, name, log);
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
  if (options.gpu && !result.gpu) {
    io.out('Warning: no GPU device is in use; check the NVIDIA driver and the CUDA 12 libraries (docs/native.md).');
  }
  return { packageDir, result };
}
