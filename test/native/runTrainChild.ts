// Runs trainRun.ts in a child process and parses its JSON line.
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import type { RunConfig, RunResult } from './trainRun';

const REPO = path.resolve(__dirname, '../..');

export async function runTrainChild(config: RunConfig, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const r = await execTool(process.execPath, ['--import', 'tsx', path.join(__dirname, 'trainRun.ts'), JSON.stringify(config)], {
    cwd: REPO, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) {
    throw new Error(`training child (${config.runtime}, ${config.model}) failed:\n${tail(r.error ?? r.stderr, 15)}`);
  }
  return JSON.parse(last) as RunResult;
}
