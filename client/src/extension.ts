// Extension entry: the language client, its restart command, and the training runner's command.
import * as vscode from 'vscode';
import { createLanguageClient, type SkipcheckClient } from './languageClient';
import { registerTraining } from './training';
import { setDepthParamProvider } from './training/depthSweep';
import { setEntryProvider } from './training/entries';
import { setLayerProvider, type SourceLayer } from './training/layerSource';

let skipcheck: SkipcheckClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Skipcheck');
  context.subscriptions.push(output);
  registerTraining(context);

  skipcheck = createLanguageClient(context, output);
  const { client, resetCrashCount } = skipcheck;
  setEntryProvider((uri) => client.sendRequest<string[]>('skipcheck/entries', { uri }));
  setLayerProvider((uri, entry) => client.sendRequest<SourceLayer[]>('skipcheck/entryLayers', { uri, entry }));
  setDepthParamProvider((text, entry) => client.sendRequest('skipcheck/depthParam', { text, entry }));
  context.subscriptions.push(
    vscode.commands.registerCommand('skipcheck.restartServer', async () => {
      resetCrashCount();
      output.appendLine('Restarting the Skipcheck language server on request.');
      await client.restart();
    }),
  );
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`Skipcheck language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage('Skipcheck: the language server failed to start. See the "Skipcheck" output.');
  }
}

export async function deactivate(): Promise<void> {
  await skipcheck?.client.stop();
  skipcheck = undefined;
}
