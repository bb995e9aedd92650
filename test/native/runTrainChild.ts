// Runs a test/native script in a child process (one tfjs runtime per process) and parses its JSON line.
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import type { DropoutCheckResult } from './dropoutCheck';
import type { FusedCheckResult } from './fusedCheck';
import type { RunConfig, RunResult } from './trainRun';

const REPO = path.resolve(__dirname, '../..');

async function runJsonChild<T>(script: string, arg: string, what: string, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const r = await execTool(process.execPath, ['--import', 'tsx', path.join(__dirname, script), arg], {
    cwd: REPO, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) throw new Error(`${what} failed:\n${tail(r.error ?? r.stderr, 15)}`);
  return JSON.parse(last) as T;
}

export function runTrainChild(config: RunConfig, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runJsonChild('trainRun.ts', JSON.stringify(config), `training child (${config.runtime}, ${config.model})`, env);
}

export function runFusedCheckChild(packageDir: string): Promise<FusedCheckResult> {
  return runJsonChild('fusedCheck.ts', packageDir, 'fused-kernel check child');
}

export function runDropoutCheckChild(packageDir: string): Promise<DropoutCheckResult> {
  return runJsonChild('dropoutCheck.ts', packageDir, 'native Dropout check child');
}
