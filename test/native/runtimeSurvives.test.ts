// The runtime `skipcheck setup-native` builds must outlive the workspace's next plain `npm install` (which
// deletes packages npm does not know about, with the binding built into them), a second setup-native must
// notice that nothing changed, and a package whose binding is gone is "never built", not an ABI mismatch.
// In a scratch workspace: real npm (the registry, through npm's cache), tfjs-node 4.22, and the build the
// native tests set up in ~/.cache/skipcheck-native (grafted in, libraries hard-linked, never modified).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { runSetupNative } from '../../server/src/native/setup';
import { parseSetupArgs } from '../../server/src/native/setupArgs';
import { nativeRuntimeStatus, type NativeRuntimeStatus } from '../../server/src/native/status';
import { installTfjsNode, npmKeeps, TFJS_NODE_VERSION } from '../../server/src/native/tfjsNodePackage';
import { ensureNativeRuntime } from './nativeRuntime';

const REPO = path.resolve(__dirname, '../..');
const NAME = '@tensorflow/tfjs-node';

/** What setup-native's build step adds to the package: lib/ (the binding) and deps/ (libraries, headers, graph runner, record). */
function graftBuild(from: string, to: string): void {
  const copy = (src: string, dest: string, linkFiles: boolean) => {
    const st = fs.lstatSync(src);
    if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dest);
    else if (st.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      for (const e of fs.readdirSync(src)) copy(path.join(src, e), path.join(dest, e), linkFiles || e === 'lib' && src.endsWith('deps'));
    } else if (linkFiles) fs.linkSync(src, dest); // the TensorFlow libraries: hundreds of MB, never written in place
    else fs.copyFileSync(src, dest);
  };
  for (const part of ['lib', 'deps']) {
    fs.rmSync(path.join(to, part), { recursive: true, force: true });
    copy(path.join(from, part), path.join(to, part), false);
  }
}

async function backendIn(dir: string): Promise<{ error?: string; attempts?: { pkg: string; reason?: string; advice?: string }[] }> {
  const r = await execTool(process.execPath, ['--import', 'tsx', path.join(__dirname, 'backendChild.ts'), dir, NAME], { cwd: REPO });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  assert.ok(last.startsWith('{'), tail(r.stderr, 10));
  return JSON.parse(last) as never;
}

describe('setup-native: the runtime survives npm install', function () {
  this.timeout(600_000);
  let native: NativeRuntimeStatus;
  let ws: string;

  before(async function () {
    native = await ensureNativeRuntime();
    if (!native.ready || !native.graphAddon || native.packageName !== NAME) {
      console.warn(`  skipped: no native runtime to graft (${native.reason})`);
      this.skip();
    }
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-npm-'));
    fs.writeFileSync(path.join(ws, 'package.json'), JSON.stringify({ name: 'scratch-workspace', version: '1.0.0', private: true }) + '\n');
  });

  after(() => { if (ws) fs.rmSync(ws, { recursive: true, force: true }); });

  it('is recorded in package.json, kept by a plain npm install, "already set up" on a second run, and "never built" once its binding is gone', async function () {
    const log: string[] = [];
    let packageDir: string;
    try {
      packageDir = await installTfjsNode(ws, NAME, (l) => log.push(l));
    } catch (err) {
      // No registry (offline CI): the native tests skip, saying why, when what they need cannot be fetched.
      console.warn(`  skipped: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`);
      this.skip();
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(ws, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    assert.equal(manifest.optionalDependencies?.[NAME], TFJS_NODE_VERSION, 'recorded as an optional dependency');
    assert.ok(npmKeeps(ws, NAME, packageDir));
    graftBuild(native.packageDir!, packageDir);
    const binding = nativeRuntimeStatus([ws]).bindingFile!;
    assert.ok(nativeRuntimeStatus([ws]).ready);
    const builtAt = fs.statSync(binding).mtimeMs;

    const npm = await execTool('npm', ['install', '--no-audit', '--no-fund'], { cwd: ws });
    assert.equal(npm.code, 0, tail(npm.stderr, 10));
    assert.ok(fs.existsSync(binding), `npm install deleted the binding:\n${npm.stdout}`);
    assert.ok(nativeRuntimeStatus([ws]).ready);

    const out: string[] = [];
    const t0 = Date.now();
    const { result } = await runSetupNative(parseSetupArgs(['--target', ws]), { out: (l) => out.push(l), err: (l) => out.push(l) });
    const seconds = (Date.now() - t0) / 1000;
    assert.match(out.join('\n'), /^Native TensorFlow 2\.\d+\.\d+ already set up \(CPU\): @tensorflow\/tfjs-node at .*Nothing rebuilt/m);
    assert.doesNotMatch(out.join('\n'), /1\/5|Building/, 'no step ran');
    assert.equal(fs.statSync(binding).mtimeMs, builtAt, 'the binding was not rebuilt');
    assert.equal(result.backend, 'tensorflow');
    assert.ok(seconds < 60, `took ${seconds} s`);

    fs.rmSync(binding);
    const lost = await backendIn(ws);
    assert.ok(lost.error, 'tfjs-node without its binding does not load');
    const attempt = lost.attempts!.find((a) => a.pkg === NAME)!;
    assert.match(attempt.reason!, /^@tensorflow\/tfjs-node is installed but its native binding was never built \(.*tfjs_binding\.node does not exist\)/);
    assert.doesNotMatch(attempt.advice!, /does not match this Node|nodePath/, 'not an ABI mismatch');
    assert.match(attempt.advice!, /run `skipcheck setup-native`/);
    assert.match(nativeRuntimeStatus([ws]).reason, /never built/);
  });
});
