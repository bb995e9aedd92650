// Where the native tests and benchmark look for a set-up tfjs-node: $SKIPCHECK_NATIVE_DIR, this repo, then
// the folder docs/native.md suggests for development (~/.cache/skipcheck-native/node).
import * as os from 'node:os';
import * as path from 'node:path';
import { nativeRuntimeStatus, type NativeRuntimeStatus } from '../../server/src/native/status';

export function locateNativeRuntime(): NativeRuntimeStatus {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skipcheck-native', 'node');
  const dirs = [process.env.SKIPCHECK_NATIVE_DIR, path.resolve(__dirname, '../..'), cache].filter((d): d is string => !!d);
  return nativeRuntimeStatus(dirs);
}
