// Runs an external tool (pip, python, node-gyp, nm) and hands back its output instead of throwing, so each
// setup step can turn a failure into a message that says which step failed and why.
import { spawn } from 'node:child_process';

export interface ExecResult { code: number; stdout: string; stderr: string; error?: string }

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Streams the tool's stderr live (long steps like pip download and node-gyp). */
  onStderr?: (chunk: string) => void;
  /** Kills the tool after this long (a hung native load must not hang the CLI). */
  timeoutMs?: number;
}

export function execTool(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; options.onStderr?.(d); });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      stderr += `\n${command} did not finish within ${options.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); resolve({ code: -1, stdout, stderr, error: `${command}: ${err.message}` }); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }); });
  });
}

/** The last lines of a tool's output: enough to explain a failure without flooding the terminal. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
