// The Skipcheck language client: starts dist/server.js over node IPC and restarts it on crashes.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { restartPolicy } from './restartPolicy';

const languages = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

export interface SkipcheckClient {
  client: LanguageClient;
  /** A restart the user asked for starts a fresh crash count. */
  resetCrashCount: () => void;
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): SkipcheckClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const policy = restartPolicy(4, 3 * 60_000);
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    synchronize: { configurationSection: 'skipcheck' },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        if (policy.shouldRestart(Date.now())) {
          void vscode.window.showWarningMessage('Skipcheck: the language server stopped unexpectedly and was restarted. Details in the "Skipcheck" output.');
          return { action: CloseAction.Restart, handled: true };
        }
        void vscode.window
          .showErrorMessage('Skipcheck: the language server crashed 5 times in 3 minutes and was not restarted.', 'Restart', 'Show Output')
          .then((choice) => {
            if (choice === 'Restart') void vscode.commands.executeCommand('skipcheck.restartServer');
            if (choice === 'Show Output') output.show();
          });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  const client = new LanguageClient('skipcheck', 'Skipcheck', serverOptions, clientOptions);
  return { client, resetCrashCount: () => policy.reset() };
}
