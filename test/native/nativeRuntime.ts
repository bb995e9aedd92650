// Where the native tests and benchmark look for a set-up tfjs-node: $SKIPCHECK_NATIVE_DIR, this repo, then
// the folder docs/native.md suggests for development (~/.cache/skipcheck-native/node). When none is ready,
// the tests set that folder up once with `skipcheck setup-native` (the tensorflow-cpu wheel from PyPI,
// ~20 s on a fast index); SKIPCHECK_NATIVE_SETUP=0 keeps them from trying, and they then skip.
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { nativeRuntimeStatus, type NativeRuntimeStatus } from '../../server/src/native/status';

const REPO = path.resolve(__dirname, '../..');

export function nativeCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skipcheck-native', 'node');
}

export function locateNativeRuntime(): NativeRuntimeStatus {
  const dirs = [process.env.SKIPCHECK_NATIVE_DIR, REPO, nativeCacheDir()].filter((d): d is string => !!d);
  return nativeRuntimeStatus(dirs);
}

let pending: Promise<NativeRuntimeStatus> | undefined;

/** A ready runtime with the graph runner, set up in nativeCacheDir() if need be; else why there is none. */
export function ensureNativeRuntime(): Promise<NativeRuntimeStatus> {
  pending ??= (async () => {
    const found = locateNativeRuntime();
    if (found.ready && found.graphAddon) return found;
    if (process.env.SKIPCHECK_NATIVE_SETUP === '0') return found;
    const r = await execTool(process.execPath, [path.join(REPO, 'bin/skipcheck.js'), 'setup-native', '--target', nativeCacheDir()], {
      cwd: REPO, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeoutMs: 900_000,
    });
    const after = locateNativeRuntime();
    if (r.code !== 0 || !after.ready) {
      return { ...after, ready: false, reason: `skipcheck setup-native failed here:\n${tail(r.error ?? (r.stderr || r.stdout), 8)}` };
    }
    return after;
  })();
  return pending;
}
