// The training commands: "Train on GPU", "Compare with Plain Network" (the ablation: the model and its plain
// twin, one trainer process each) and "Set Up Native TensorFlow". They pick model, entry and data, run
// dist/trainer.js on the user's Node, and follow the runs in one webview panel per model file and entry.
// Called once from the extension's activate().
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { paperRecipe } from '../../../contract/recipe';
import type { DatasetSpec, TrainConfig, TrainerMessage, Variant } from '../../../contract/protocol';
import { depthArgs } from '../../../contract/depthArgs';
import { askDepths, depthParamOf, depthSweepCommand } from './depthSweep';
import { listEntries } from './entries';
import { loadHistory } from './history';
import { revealLayer } from './layerSource';
import { TrainingPanel, panelViewType } from './panel';
import { pickDataset, pickEntry } from './pickers';
import { confirmDespiteErrors, ensureMnist, nativeOffer, runWithProgress, type Preflight } from './preflight';
import { showTrainingCommand, TrainingStatus } from './statusBar';
import { buildTrainConfig, defaultSettings, describeSettings, resolveNodePath, SettingsError, type TrainSettings } from './trainConfig';
import { TrainingRun } from './trainingRun';
import { askTrainer, type TrainerLocation } from './trainerQuery';
import { askLocalWorkers, trainAcrossMachinesCommand } from './acrossMachines';

export const trainCommand = 'skipcheck.trainOnGpu';
export const comparePlainCommand = 'skipcheck.comparePlain';
export const setupNativeCommand = 'skipcheck.setupNative';

export interface TrainArgs {
  /** File URI (or absolute path) of the model file; default: the active editor. */
  uri?: string;
  entry?: string;
  dataset?: DatasetSpec;
  /** Without a native runtime: 'ask' (default) offers the set-up or a quick run; 'quick' and 'full' decide up front. */
  pureJs?: 'ask' | 'quick' | 'full';
}

const lastDatasetKey = 'skipcheck.train.lastDataset';
/** What pure JS finishes in about a minute: the budget of a quick run. */
const quickRunSeconds = 60;

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

/** Everything a run needs once the questions are answered. */
interface Target {
  uri: vscode.Uri;
  file: string;
  entry: string;
  dataset: DatasetSpec;
  workspaceDir: string;
  settings: TrainSettings;
  config: TrainConfig;
  trainerScript: string;
}

const panelKey = (file: string, entry: string) => `${file}#${entry}`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export function registerTraining(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Skipcheck Training');
  const status = new TrainingStatus();
  const runs = new Map<TrainingRun, TrainingPanel>();
  const panels = new Map<string, TrainingPanel>();
  const log = (line: string) => output.appendLine(line);

  const refreshStatus = () => status.update([...runs.keys()].filter((r) => r.active));

  /** The trainer program (always dist/trainer.js, whatever runs the training) on the Node the user chose. */
  const trainerAt = (cwd: string, nodePath: string): TrainerLocation => ({ nodePath: resolveNodePath(nodePath), trainerScript: context.asAbsolutePath('dist/trainer.js'), cwd });

  async function setUpNative(gpu = false): Promise<boolean> {
    const workspaceDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!workspaceDir) {
      void vscode.window.showErrorMessage('Skipcheck: open a folder first; the native runtime is set up in its node_modules.');
      return false;
    }
    const cli = context.asAbsolutePath('dist/cli.js');
    const node = resolveNodePath(readSettings(vscode.Uri.file(workspaceDir)).nodePath);
    output.show(true);
    const code = await runWithProgress('Skipcheck: setting up native TensorFlow (tensorflow-cpu wheel from PyPI, ~230 MB, once)', node,
      [cli, 'setup-native', ...(gpu ? ['--gpu'] : [])], workspaceDir, log);
    if (code === 0) {
      void vscode.window.showInformationMessage('Skipcheck: native TensorFlow is set up; training now runs on it.');
      return true;
    }
    void vscode.window.showErrorMessage(`Skipcheck: setting up native TensorFlow failed (exit ${code}); the Skipcheck Training output says why. Training still works on pure-JS tfjs.`);
    return false;
  }

  /** The questions of Train / Compare, in order; undefined when the user stopped or something is missing. */
  /** `workers`: train in Keras with tf.distribute on that many local workers (Train across machines…). */
  async function ask(args: TrainArgs | vscode.Uri | undefined, verb: string, workers?: number): Promise<Target | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      const answer = await vscode.window.showErrorMessage(
        `Skipcheck: training runs the code of your model file, so it is disabled in Restricted Mode. Trust this workspace to ${verb}.`,
        manage,
      );
      if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const uri = targetUri(args);
    if (!uri) {
      void vscode.window.showErrorMessage(`Skipcheck: open the TypeScript or JavaScript file that builds your model, then ${verb}.`);
      return undefined;
    }
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`Skipcheck: the trainer runs files on disk; ${uri.toString()} is not a local file.`);
      return undefined;
    }
    const file = uri.fsPath;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // The trainer loads the file from disk, so unsaved edits would silently not be trained.
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showErrorMessage(`Skipcheck: save ${vscode.workspace.asRelativePath(uri)} before training.`);
      return undefined;
    }
    const trainerScript = context.asAbsolutePath(workers ? 'dist/distributed.js' : 'dist/trainer.js');
    if (!existsSync(trainerScript)) {
      void vscode.window.showErrorMessage(`Skipcheck: ${trainerScript} is missing; the extension was not built (npm run build).`);
      return undefined;
    }
    const args_ = args instanceof vscode.Uri ? {} : (args ?? {});
    let text: string;
    try {
      text = open?.getText() ?? readFileSync(file, 'utf8');
    } catch (e) {
      void vscode.window.showErrorMessage(`Skipcheck: cannot read ${file}: ${(e as Error).message}`);
      return undefined;
    }
    if (!(await confirmDespiteErrors(uri))) return undefined;
    const entries = await listEntries(uri.toString(), text);
    if (!args_.entry && entries.length === 0) {
      void vscode.window.showErrorMessage(
        `Skipcheck: ${vscode.workspace.asRelativePath(uri)} exports no function. Export a function that builds and returns your tf.LayersModel.`,
      );
      return undefined;
    }
    const entry = args_.entry ?? (await pickEntry(file, entries));
    if (!entry) return undefined;
    const workspaceDir = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(file);
    const settings = readSettings(uri);
    const dataset = args_.dataset ?? (await pickDataset(context.workspaceState.get<DatasetSpec>(lastDatasetKey), describeSettings(settings)));
    if (!dataset) return undefined;
    const preflight: Preflight = () => askTrainer(trainerAt(workspaceDir, settings.nodePath), { query: 'preflight', workspaceDir, extensionDir: context.extensionPath })
      .catch((e: Error) => { log(`Skipcheck could not ask the trainer what it would find (${e.message}); going ahead.`); return undefined; });
    if (dataset.kind === 'mnist' && !(await ensureMnist(workspaceDir, log, preflight))) return undefined;

    let config: TrainConfig;
    try {
      config = buildTrainConfig(settings, { modelFile: file, entry, dataset, workspaceDir });
      if (workers) config.distributed = { workers };
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      void vscode.window.showErrorMessage(`Skipcheck: ${e.message}`);
      return undefined;
    }
    // Distributed runs train in Keras on Python's TensorFlow: the tfjs backend question does not arise.
    const choice = workers || args_.pureJs === 'full' ? 'full' : args_.pureJs === 'quick' ? 'quick' : await nativeOffer(text, preflight);
    switch (choice) {
      case 'cancel': return undefined;
      case 'set-up': if (!(await setUpNative())) return undefined; break;
      case 'quick': config = { ...config, timeBudgetSeconds: quickRunSeconds }; break;
      default: break;
    }
    return { uri, file, entry, dataset, workspaceDir, settings, config, trainerScript };
  }

  /** The panel of this model file and entry, reused (and cleared) when it is still open. */
  function panelFor(t: Target, title: string): TrainingPanel {
    const key = panelKey(t.file, t.entry);
    const existing = panels.get(key);
    if (existing && !existing.closed) {
      for (const [run, p] of runs) if (p === existing && run.active) run.cancel();
      existing.post({ type: 'reset' });
      existing.reveal();
      return existing;
    }
    const panel = TrainingPanel.create(context.extensionUri, title);
    panels.set(key, panel);
    panel.onClose(() => {
      if (panels.get(key) === panel) panels.delete(key);
      for (const [run, p] of runs) {
        if (p !== panel) continue;
        run.cancel();
        if (!run.active) runs.delete(run);
      }
      refreshStatus();
    });
    panel.onCancel(() => { for (const [run, p] of runs) if (p === panel) run.cancel(); });
    panel.onRevealLayer((layer) => void revealLayer(t.uri, t.entry, layer, panels.get(key) === panel ? lastStart.get(panel) : undefined));
    panel.onComparePlain(() => void comparePlain({ uri: t.uri.toString(), entry: t.entry, dataset: t.dataset }));
    return panel;
  }

  const lastStart = new Map<TrainingPanel, Extract<TrainerMessage, { type: 'start' }>>();

  /** One trainer process; `post` decides where its messages go in the panel. */
  function startRun(t: Target, config: TrainConfig, panel: TrainingPanel, post: (m: TrainerMessage) => void, history = loadHistory({
    workspaceDir: t.workspaceDir, modelFile: t.file, entry: t.entry, dataset: t.dataset,
  }), onEnd?: (run: TrainingRun) => void): TrainingRun {
    const run = new TrainingRun(
      { config, nodePath: resolveNodePath(t.settings.nodePath), trainerScript: t.trainerScript, cwd: t.workspaceDir, history },
      {
        post: (m) => {
          if (m.type === 'history') panel.post(m);
          else {
            post(m);
            // A dataset is remembered only once the trainer has loaded it: a failed choice never becomes the default.
            if (m.type === 'start') void context.workspaceState.update(lastDatasetKey, t.dataset);
          }
        },
        log,
        changed: (r) => {
          if (!r.active) {
            onEnd?.(r);
            notifyIfHidden(r, panel);
          }
          // A run is forgotten once both its process and its panel are gone; until then deactivate can reach it.
          if (!r.active && panel.closed) runs.delete(r);
          refreshStatus();
        },
      },
    );
    runs.set(run, panel);
    run.start();
    refreshStatus();
    return run;
  }

  const notified = new WeakSet<TrainingRun>();
  function notifyIfHidden(run: TrainingRun, panel: TrainingPanel): void {
    if (panel.visible || panel.closed || notified.has(run) || !run.outcome) return;
    notified.add(run);
    const show = 'Show';
    const text = `Skipcheck: training ${run.modelName} ${run.outcome === 'failed' ? `failed: ${run.failure ?? 'see the panel'}` : run.outcome}.`;
    void (run.outcome === 'failed' ? vscode.window.showErrorMessage(text, show) : vscode.window.showInformationMessage(text, show))
      .then((a) => { if (a === show) panel.reveal(); });
  }

  async function train(args?: TrainArgs | vscode.Uri, workers?: number): Promise<void> {
    const t = await ask(args, 'train', workers);
    if (!t) return;
    const panel = panelFor(t, workers ? `Train ${t.entry} (${workers} workers)` : `Train ${t.entry}`);
    startRun(t, t.config, panel, (m) => {
      if (m.type === 'start') lastStart.set(panel, m);
      panel.post(m);
    });
  }

  /**
   * The ablation: the model as written and its plain twin (every residual Add replaced by its branch,
   * projections dropped) from the same initial weights, seed, data order and optimizer — He et al.'s recipe —
   * one process each, at once when there are two cores. The panel compares them live; comparison.html is
   * written into the ablation folder when both are done.
   */
  async function comparePlain(args?: TrainArgs | vscode.Uri): Promise<void> {
    const t = await ask(args, 'compare with the plain network');
    if (!t) return;
    const variants: Variant[] = ['residual', 'plain'];
    compare(t, `Compare ${t.entry}`, variants.map((variant) => ({ label: variant, variant, dir: variant })));
  }

  /**
   * The depth sweep (He et al. Fig. 6 on the user's code): each depth the user picks, as written and as its
   * plain twin, with the same recipe as the ablation — the jobs of `skipcheck train --ablate plain --depths`.
   * Offered only for builders whose depth parameter the server finds.
   */
  async function depthSweep(args?: TrainArgs | vscode.Uri): Promise<void> {
    const t = await ask(args, 'run a depth sweep');
    if (!t) return;
    const param = await depthParamOf(readFileSync(t.file, 'utf8'), t.entry);
    if (!param) {
      void vscode.window.showErrorMessage(`Skipcheck: ${t.entry}() has no depth parameter (e.g. export function resnet(depth = 20) or resnet({ depth = 20 } = {})), so there is nothing to sweep. Compare with Plain Network trains it as written.`);
      return;
    }
    const depths = await askDepths(param, t.entry);
    if (!depths) return;
    const variants: Variant[] = ['residual', 'plain'];
    compare(t, `Depth sweep ${t.entry}`, depths.flatMap((d) => variants.map((variant) => ({
      label: `${variant === 'residual' ? 'resnet' : 'plain'}-${d}`, variant, dir: `depth${d}-${variant}`, entryArgs: depthArgs(param, d),
    }))), true);
  }

  /**
   * Trains `jobs` from the same seed with He et al.'s recipe, one process each, as many at once as there are
   * cores (so none is slowed by another); the first job is the panel's run, the others its overlays. The
   * comparison report is written into the ablation folder when all are done.
   */
  function compare(t: Target, title: string, jobs: { label: string; variant: Variant; dir: string; entryArgs?: unknown[] }[], labelled = false): void {
    const base = join(t.workspaceDir, '.skipcheck', 'ablations', stamp());
    const recipe = paperRecipe(t.config.epochs);
    const configs = jobs.map((j): TrainConfig => ({ ...t.config, ...recipe, variant: j.variant, outDir: join(base, j.dir), ...(j.entryArgs ? { entryArgs: j.entryArgs } : {}) }));
    const panel = panelFor(t, title);
    log(`${title}: ${jobs.map((j) => j.label).join(' vs ')} with He et al.'s recipe (SGD momentum 0.9, lr ${recipe.learningRate}, weight decay ${recipe.weightDecay}` +
      `${recipe.lrDropEpochs?.length ? `, lr /10 at epoch ${recipe.lrDropEpochs.join(' and ')}` : ''}); folder ${base}`);
    let done = 0;
    const finish = () => {
      if (++done < jobs.length) return;
      const runs = jobs.map((j, i) => ({ variant: j.variant, label: labelled ? j.label : undefined, runDir: configs[i].outDir! }));
      askTrainer(trainerAt(t.workspaceDir, t.settings.nodePath), { query: 'comparison', dir: base, runs }).then(({ path: report }) => {
        log(`Comparison report: ${report}`);
        const open = 'Open Report';
        void vscode.window.showInformationMessage(`Skipcheck: ${title} finished; the comparison is in ${vscode.workspace.asRelativePath(report)}.`, open)
          .then((a) => { if (a === open) void vscode.env.openExternal(vscode.Uri.file(report)); });
      }, (e: Error) => log(`Could not write the comparison report: ${e.message}`));
    };
    const primary = jobs[0].label;
    const start = (i: number) => {
      let ended = false;
      startRun(t, configs[i], panel, i === 0
        ? (m) => { if (m.type === 'start') lastStart.set(panel, m); panel.post(m); }
        : (m) => panel.post({ type: 'variant', label: jobs[i].label, message: m, primary }), [], () => { if (!ended) { ended = true; finish(); next(); } });
    };
    let started = 0;
    // Closing the panel stops what runs and starts nothing more; the jobs not run still count as done.
    const next = () => { if (started < jobs.length) { const i = started++; if (panel.closed) { finish(); next(); } else start(i); } };
    for (let k = 0; k < Math.min(jobs.length, Math.max(1, availableParallelism())); k++) next();
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
    vscode.commands.registerCommand(comparePlainCommand, (args?: TrainArgs | vscode.Uri) => comparePlain(args)),
    vscode.commands.registerCommand(depthSweepCommand, (args?: TrainArgs | vscode.Uri) => depthSweep(args)),
    vscode.commands.registerCommand(setupNativeCommand, () => setUpNative()),
    vscode.commands.registerCommand(showTrainingCommand, () => {
      const active = [...runs].filter(([r]) => r.active);
      (active.at(-1) ?? [...runs].at(-1))?.[1].reveal();
    }),
    vscode.window.registerWebviewPanelSerializer(panelViewType, {
      deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel) {
        TrainingPanel.restore(webviewPanel, context.extensionUri);
        return Promise.resolve();
      },
    }),
    // Runs on deactivate: no trainer may outlive the extension host.
    { dispose: () => { for (const run of runs.keys()) run.kill(); } },
  );
}
