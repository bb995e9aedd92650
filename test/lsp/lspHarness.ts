// Drives dist/server.js over stdio like an editor would: a JSON-RPC client that answers the server's own
// requests (workspace/configuration) and records every notification it sends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverPath = path.join(repoRoot, 'dist', 'server.js');

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

export const editorCapabilities: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceEdit: { documentChanges: true },
    didChangeConfiguration: { dynamicRegistration: false },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
    inlayHint: {},
    codeLens: {},
  },
};

export class LspHarness {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  /** What workspace/configuration answers for the `skipcheck` section; tests change it and notify. */
  settings: Record<string, unknown> = {};
  private waiters: (() => void)[] = [];

  private constructor(
    readonly connection: MessageConnection,
    /** The spawned server; absent when it runs in this process. */
    readonly proc?: ChildProcessWithoutNullStreams,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.push(p);
      this.notify();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.notify();
    });
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/inlayHint/refresh', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    proc?.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  /** dist/server.js in a child process, over stdio; `workspace` is the folder it indexes (none by default). */
  static spawn(settings: Record<string, unknown> = {}, capabilities = editorCapabilities, workspace?: string): Promise<LspHarness> {
    const proc = spawn(process.execPath, [serverPath, '--stdio'], { cwd: repoRoot });
    const connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    return new LspHarness(connection, proc).initialize(settings, capabilities, process.pid, workspace);
  }

  /** A server started by `start` in this process, over in-memory streams (for tests that swap its parts). */
  static inProcess(
    start: (input: PassThrough, output: PassThrough) => void,
    settings: Record<string, unknown> = {},
    capabilities = editorCapabilities,
    workspace?: string,
  ): Promise<LspHarness> {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    start(toServer, fromServer);
    const connection = createMessageConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    // No processId: the server would poll it forever and keep mocha from exiting.
    return new LspHarness(connection).initialize(settings, capabilities, null, workspace);
  }

  private async initialize(settings: Record<string, unknown>, capabilities: ClientCapabilities, processId: number | null, workspace?: string): Promise<LspHarness> {
    this.settings = settings;
    this.connection.listen();
    const workspaceFolders = workspace ? [{ uri: fileUri(workspace), name: path.basename(workspace) }] : null;
    await this.connection.sendRequest('initialize', { processId, rootUri: workspace ? fileUri(workspace) : null, workspaceFolders, capabilities });
    await this.connection.sendNotification('initialized', {});
    return this;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first recorded value `pick` returns; fails with what was seen after `timeoutMs`. */
  async waitFor<T>(what: string, pick: () => T | undefined, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; diagnostics seen: ${JSON.stringify(this.diagnostics.map((d) => [d.uri, d.version, d.diagnostics.length]))}; stderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first diagnostics for `uri` published at `version` or later (after index `from` in the log). */
  diagnosticsFor(uri: string, version?: number, from = 0): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri} v${version ?? 'any'}`, () =>
      this.diagnostics.slice(from).find((d) => d.uri === uri && (version === undefined || (d.version ?? -1) >= version)),
    );
  }

  open(uri: string, text: string, version = 1, languageId = 'typescript'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Tells the server files changed on disk (1 created, 2 changed, 3 deleted), as an editor's watcher would. */
  filesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      // 'exit' makes the server call process.exit: only for a server in its own process.
      if (this.proc) await this.connection.sendNotification('exit');
    } catch {
      // Already gone: the tests that kill it on purpose end here.
    }
    this.connection.dispose();
    if (this.proc && this.proc.exitCode === null) this.proc.kill();
  }
}
