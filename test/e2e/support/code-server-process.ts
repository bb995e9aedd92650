// Starts code-server on loopback in its own process group and stops the whole group, because it forks an
// extension host, file watchers and pty hosts that would otherwise outlive the test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface CodeServerOptions {
  bin: string;
  workspace: string;
  /** Holds extensions/, user-data/ and the log. */
  stateDir: string;
  /** VS Code user settings written before start. */
  settings: Record<string, unknown>;
  /** Added to code-server's environment, which its extension host inherits. */
  env?: Record<string, string>;
}

export interface RunningCodeServer {
  url: string;
  pid: number;
  /** Everything code-server printed so far; shown when a step fails. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function extensionsDir(stateDir: string): string {
  return join(stateDir, 'extensions');
}

function userDataDir(stateDir: string): string {
  return join(stateDir, 'user-data');
}

/** Installs a .vsix the way a user would, through code-server's own CLI. */
export function installVsix(bin: string, stateDir: string, vsix: string): string {
  return execFileSync(process.execPath, [bin, '--extensions-dir', extensionsDir(stateDir), '--user-data-dir', userDataDir(stateDir),
    '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const settingsDir = join(userDataDir(opts.stateDir), 'User');
  mkdirSync(settingsDir, { recursive: true });
  writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify(opts.settings, null, 2));
  const port = await freePort();
  const args = [opts.bin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--extensions-dir', extensionsDir(opts.stateDir), '--user-data-dir', userDataDir(opts.stateDir), opts.workspace];
  const child: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  // Should mocha itself be stopped, the detached group must not outlive it.
  const killOnExit = (): void => { signalGroup(pid, 'SIGKILL'); };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!signalGroup(pid, 'SIGTERM')) return;
    // The leader can exit before its helpers: wait for the whole group, then force what is left.
    for (let waited = 0; waited < 5000 && signalGroup(pid, 0); waited += 100) await delay(100);
    signalGroup(pid, 'SIGKILL');
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, pid, output: () => output, stop };
    } catch { /* not listening yet */ }
    await delay(250);
  }
  await stop();
  throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
}

/** False once no process of the group is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try { process.kill(-pid, signal); return true; } catch { return false; }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
