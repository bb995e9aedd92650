// N TensorFlow workers on this machine for a try-out of multi-worker training: each runs
// train_distributed.py with a TF_CONFIG listing all of them on 127.0.0.1 (loopback only) and its own index.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Ports the OS reports free on 127.0.0.1 right now (the workers bind them a moment later). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function tfConfig(ports: number[], index: number): string {
  return JSON.stringify({ cluster: { worker: ports.map((p) => `127.0.0.1:${p}`) }, task: { type: 'worker', index } });
}

export interface WorkerExit { index: number; code: number | null; signal: NodeJS.Signals | null; stderrTail: string }

export interface ClusterOptions {
  python: string;
  script: string;
  args: string[];
  workers: number;
  env?: NodeJS.ProcessEnv;
  onStderr?: (index: number, text: string) => void;
}

export class LocalCluster {
  private readonly children: ChildProcess[] = [];
  readonly exited: Promise<WorkerExit[]>;

  private constructor(options: ClusterOptions, ports: number[]) {
    const exits = ports.map((_, index) => {
      const child = spawn(options.python, [options.script, ...options.args], {
        env: {
          ...process.env, ...options.env, TF_CONFIG: tfConfig(ports, index), TF_CPP_MIN_LOG_LEVEL: '2', PYTHONUNBUFFERED: '1',
          // The script exits when we are gone (see exit_with_launcher there).
          SKIPCHECK_LAUNCHER_PID: String(process.pid),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      this.children.push(child);
      let tail = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        tail = (tail + d).slice(-4000);
        options.onStderr?.(index, d);
      });
      return new Promise<WorkerExit>((resolve) => {
        child.on('error', (err) => resolve({ index, code: null, signal: null, stderrTail: `${options.python}: ${err.message}` }));
        child.on('close', (code, signal) => resolve({ index, code, signal, stderrTail: tail }));
      });
    });
    this.exited = Promise.all(exits);
  }

  static async start(options: ClusterOptions): Promise<LocalCluster> {
    return new LocalCluster(options, await freeLoopbackPorts(options.workers));
  }

  /** SIGTERM now, SIGKILL for whoever is still there after `graceMs`. */
  stop(graceMs = 3000): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    setTimeout(() => { for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); }, graceMs).unref();
  }
}
