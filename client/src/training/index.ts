// The "Train on GPU" command: pick model, entry and data, run dist/trainer.js on the user's Node, and follow
// the run in a webview panel. Called once from the extension's activate().
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { DatasetSpec } from '../../../contract/protocol';
import { listEntries } from './entries';
import { loadHistory } from './history';
import { TrainingPanel, panelViewType } from './panel';
import { pickDataset, pickEntry } from './pickers';
import { showTrainingCommand, TrainingStatus } from './statusBar';
import { buildTrainConfig, defaultSettings, resolveNodePath, SettingsError, type TrainSettings } from './trainConfig';
import { TrainingRun } from './trainingRun';
import { askLocalWorkers, trainAcrossMachinesCommand } from './acrossMachines';

export const trainCommand = 'skipcheck.trainOnGpu';

export interface TrainArgs {
  /** File URI (or absolute path) of the model file; default: the active editor. */
  uri?: string;
  entry?: string;
  dataset?: DatasetSpec;
}

const lastDatasetKey = 'skipcheck.train.lastDataset';

function readSettings(scope: vscode.Uri): TrainSettings {
  const c = vscode.workspace.getConfiguration('skipcheck.train', scope);
  const get = <K extends keyof TrainSettings>(key: K): TrainSettings[K] => c.get<TrainSettings[K]>(key, defaultSettings[key]);
  return {
    epochs: get('epochs'), batchSize: get('batchSize'), learningRate: get('learningRate'), optimizer: get('optimizer'),
    validationSplit: get('validationSplit'), maxSamples: get('maxSamples'), probeSize: get('probeSize'), seed: get('seed'),
    nodePath: get('nodePath'),
  };
}

function targetUri(args: TrainArgs | vscode.Uri | undefined): vscode.Uri | undefined {
  // From the explorer context menu the argument is the Uri itself.
  if (args instanceof vscode.Uri) return args;
  if (args?.uri) return /^[a-z][a-z0-9+.-]+:/i.test(args.uri) && !/^[a-z]:[\\/]/i.test(args.uri) ? vscode.Uri.parse(args.uri) : vscode.Uri.file(args.uri);
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerTraining(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Skipcheck Training');
  const status = new TrainingStatus();
  const runs = new Map<TrainingRun, TrainingPanel>();

  const refreshStatus = () => status.update([...runs.keys()].filter((r) => r.active));

  /** `workers`: train in Keras with tf.distribute on that many local workers (Train across machines…). */
  async function train(args?: TrainArgs | vscode.Uri, workers?: number): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      const answer = await vscode.window.showErrorMessage(
        'Skipcheck: training runs the code of your model file, so it is disabled in Restricted Mode. Trust this workspace to train.',
        manage,
      );
      if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const uri = targetUri(args);
    if (!uri) {
      void vscode.window.showErrorMessage('Skipcheck: open the TypeScript or JavaScript file that builds your model, then run Train on GPU.');
      return;
    }
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Skipcheck: the trainer runs files on disk; ${uri.toString()} is not a local file.`);
      return;
    }
    const file = uri.fsPath;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // The trainer loads the file from disk, so unsaved edits would silently not be trained.
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showErrorMessage(`Skipcheck: save ${vscode.workspace.asRelativePath(uri)} before training.`);
      return;
    }
    const trainerScript = context.asAbsolutePath(workers ? 'dist/distributed.js' : 'dist/trainer.js');
    if (!existsSync(trainerScript)) {
      void vscode.window.showErrorMessage(`Skipcheck: ${trainerScript} is missing; the extension was not built (npm run build).`);
      return;
    }
    const args_ = args instanceof vscode.Uri ? {} : (args ?? {});
    let text: string;
    try {
      text = open?.getText() ?? readFileSync(file, 'utf8');
    } catch (e) {
      void vscode.window.showErrorMessage(`Skipcheck: cannot read ${file}: ${(e as Error).message}`);
      return;
    }
    const entries = await listEntries(uri.toString(), text);
    if (!args_.entry && entries.length === 0) {
      void vscode.window.showErrorMessage(
        `Skipcheck: ${vscode.workspace.asRelativePath(uri)} exports no function. Export a function that builds and returns your tf.LayersModel.`,
      );
      return;
    }
    const entry = args_.entry ?? (await pickEntry(file, entries));
    if (!entry) return;
    const dataset = args_.dataset ?? (await pickDataset(context.workspaceState.get<DatasetSpec>(lastDatasetKey)));
    if (!dataset) return;
    await context.workspaceState.update(lastDatasetKey, dataset);

    const workspaceDir = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(file);
    const settings = readSettings(uri);
    let config;
    try {
      config = buildTrainConfig(settings, { modelFile: file, entry, dataset, workspaceDir });
      if (workers) config.distributed = { workers };
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      void vscode.window.showErrorMessage(`Skipcheck: ${e.message}`);
      return;
    }
    const history = loadHistory({ workspaceDir, modelFile: file, entry });
    const panel = TrainingPanel.create(context.extensionUri, workers ? `Train ${entry} (${workers} workers)` : `Train ${entry}`);
    const run = new TrainingRun(
      { config, nodePath: resolveNodePath(settings.nodePath), trainerScript, cwd: workspaceDir, history },
      {
        post: (m) => panel.post(m),
        log: (line) => output.appendLine(line),
        changed: (r) => {
          // A run is forgotten once both its process and its panel are gone; until then deactivate can reach it.
          if (!r.active && panel.closed) runs.delete(r);
          refreshStatus();
        },
      },
    );
    runs.set(run, panel);
    panel.onCancel(() => run.cancel());
    panel.onClose(() => {
      run.cancel();
      if (!run.active) runs.delete(run);
      refreshStatus();
    });
    run.start();
    refreshStatus();
  }

  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand(trainCommand, (args?: TrainArgs | vscode.Uri) => train(args)),
    vscode.commands.registerCommand(trainAcrossMachinesCommand, async (args?: TrainArgs | vscode.Uri) => {
      // Trust first: nothing is explained or asked in a workspace where it could not run.
      if (!vscode.workspace.isTrusted) return train(args);
      const workers = await askLocalWorkers();
      if (workers) await train(args, workers);
    }),
    vscode.commands.registerCommand(showTrainingCommand, () => {
      const active = [...runs].filter(([r]) => r.active);
      (active.at(-1) ?? [...runs].at(-1))?.[1].reveal();
    }),
    vscode.window.registerWebviewPanelSerializer(panelViewType, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel) {
        TrainingPanel.restore(webviewPanel, context.extensionUri);
      },
    }),
    // Runs on deactivate: no trainer may outlive the extension host.
    { dispose: () => { for (const run of runs.keys()) run.kill(); } },
  );
}
