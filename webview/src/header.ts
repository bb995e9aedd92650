// The panel header: what is training where, how far it is, the Stop button, and errors and warnings in plain
// view (a failed run must be obvious without opening the output channel).
import { el } from './dom';
import { finalFigures } from '../../contract/finalFigures';
import { displayEpoch, etaSeconds, fractionDone, runStatus, totalEpochs, type RunView } from '../../contract/runState';

export interface HeaderMode {
  /** A process is attached: show the Stop button. */
  live: boolean;
  /** The run is compared with ablation variants already (no "Compare with plain network" then). */
  comparing?: boolean;
  /** Restored after a reload: the run is no longer followed. */
  restored: boolean;
}

const statusText = {
  waiting: 'Starting…',
  running: 'Training',
  completed: 'Completed',
  cancelled: 'Stopped',
  failed: 'Failed',
} as const;

export class Header {
  readonly element = el('header', 'sc-header');
  readonly stopButton = el('button', 'sc-stop', 'Stop');
  readonly compareButton = el('button', 'sc-compare sc-toggle', 'Compare with plain network');
  private readonly title = el('h1', 'sc-title', 'Training');
  private readonly status = el('span', 'sc-status');
  private readonly meta = el('p', 'sc-meta');
  private readonly dataset = el('p', 'sc-meta');
  private readonly execution = el('p', 'sc-meta sc-execution');
  private readonly final = el('p', 'sc-meta sc-final');
  private readonly progressLabel = el('span', 'sc-progress-label');
  private readonly progressBar = el('progress', 'sc-progress');
  private readonly eta = el('span', 'sc-eta');
  private readonly attempts = el('details', 'sc-attempts');
  private readonly error = el('div', 'sc-error');
  private readonly warnings = el('ul', 'sc-warnings');

  constructor(onStop?: () => void, private readonly onCompare?: () => void) {
    this.compareButton.type = 'button';
    this.compareButton.title = 'Train the same network without its shortcuts (same initial weights, seed, data order and optimizer) next to it, and compare';
    this.compareButton.hidden = true;
    this.compareButton.addEventListener('click', () => onCompare?.());
    this.stopButton.type = 'button';
    this.stopButton.title = 'Cancel the training run';
    this.stopButton.addEventListener('click', () => {
      this.stopButton.disabled = true;
      this.stopButton.textContent = 'Stopping…';
      onStop?.();
    });
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.warnings.setAttribute('aria-label', 'Warnings');
    const top = el('div', 'sc-header-top');
    top.append(this.title, this.status, this.stopButton, this.compareButton);
    const progress = el('div', 'sc-progress-row');
    progress.append(this.progressLabel, this.progressBar, this.eta);
    this.element.append(top, this.meta, this.dataset, this.execution, this.final, this.attempts, progress, this.error, this.warnings);
  }

  update(run: RunView, mode: HeaderMode): void {
    const start = run.start;
    const status = runStatus(run);
    this.title.textContent = start ? start.model.name : 'Training';
    // A report is drawn after its run: a run that never ended there was killed (no complete.json, no end message).
    const interrupted = !mode.live && !mode.restored && status === 'running';
    this.status.textContent = mode.restored && status === 'running' ? 'Restored — no longer live' : interrupted ? 'Interrupted' : statusText[status];
    this.status.dataset.status = interrupted ? 'interrupted' : status;
    this.stopButton.hidden = !mode.live || (status !== 'running' && status !== 'waiting');
    if (status === 'waiting') {
      this.stopButton.disabled = false;
      this.stopButton.textContent = 'Stop';
    }
    const residual = start?.model.layers.some((l) => l.className === 'Add') ?? false;
    // A Keras (tf.distribute) run trains an exported copy in Python: the plain twin is built from the tfjs
    // model at run time, so there is nothing it could be compared with.
    const keras = start !== undefined && (start.config.distributed !== undefined || start.backend.startsWith('Keras'));
    this.compareButton.hidden = !this.onCompare || !mode.live || mode.comparing === true || !residual || keras ||
      status === 'running' || status === 'waiting';

    this.meta.textContent = start
      ? [
          `${start.config.entry}() in ${start.config.modelFile.split(/[\\/]/).pop()}`,
          `${start.backend} on ${start.device}`,
          start.kernels ?? '',
          // A Keras run (train_distributed.py) reports Python TensorFlow's version, not tfjs's.
          start.tfVersion ? `${start.backend.startsWith('Keras') ? 'TensorFlow' : 'tfjs'} ${start.tfVersion}` : '',
          `${start.model.params.toLocaleString('en-US')} params, ${start.model.layers.length} layers`,
          `${start.config.optimizer} lr ${start.config.learningRate}, batch ${start.config.batchSize}`,
        ].filter(Boolean).join(' · ')
      : '';
    this.dataset.textContent = start
      ? `${start.dataset.name}: ${start.dataset.train} train / ${start.dataset.validation} validation samples, ` +
        `input [${start.dataset.inputShape.join(', ')}], ${start.dataset.classes} classes`
      : '';
    // Op by op on native TensorFlow is the slow path: say so, and why.
    this.execution.textContent = run.execution ? `Steps: ${run.execution.message}` : '';
    this.execution.hidden = !run.execution;
    this.execution.dataset.mode = run.execution?.mode ?? '';
    const final = finalFigures(run);
    this.final.textContent = final ?? '';
    this.final.hidden = final === undefined;
    this.renderAttempts(run);
    this.renderProgress(run, mode);
    this.renderError(run);
    this.warnings.replaceChildren(...run.warnings.map((w) => el('li', '', w)));
    this.warnings.hidden = run.warnings.length === 0;
  }

  private renderAttempts(run: RunView): void {
    const failed = run.start?.attempts.filter((a) => !a.ok) ?? [];
    this.attempts.hidden = failed.length === 0;
    if (failed.length === 0) return;
    // A GPU package that loaded on the CPU is not a backend left unused but a device: say which it is.
    const packages = failed.filter((a) => !a.pkg.endsWith('(GPU device)')).length;
    const summary = [packages ? `${packages} backend${packages > 1 ? 's' : ''} not used` : '', packages < failed.length ? 'GPU not used' : '']
      .filter(Boolean).join(' · ');
    this.attempts.replaceChildren(
      el('summary', '', summary),
      ...failed.map((a) => el('p', '', [a.pkg, a.reason, a.advice].filter(Boolean).join(' — '))),
    );
  }

  private renderProgress(run: RunView, mode: HeaderMode): void {
    const epochs = totalEpochs(run);
    const f = fractionDone(run);
    const p = run.progress;
    const current = p ? displayEpoch(run, p.epoch) : run.epochs.length ? displayEpoch(run, run.epochs.at(-1)!.epoch) : 0;
    const batch = p && p.batches > 0 ? `, batch ${Math.min(p.batch, p.batches)}/${p.batches}` : '';
    this.progressLabel.textContent = epochs ? `Epoch ${Math.max(current, 1)}/${epochs}${batch}` : '';
    this.progressBar.max = 1;
    this.progressBar.value = f ?? 0;
    this.progressBar.hidden = f === undefined;
    const eta = mode.restored ? undefined : etaSeconds(run);
    if (run.end) this.eta.textContent = `took ${formatDuration(run.end.seconds)}`;
    else this.eta.textContent = eta !== undefined ? `ETA ${formatDuration(eta)}` : '';
  }

  private renderError(run: RunView): void {
    const e = run.error;
    this.error.hidden = !e;
    if (!e) return this.error.replaceChildren();
    const parts: Node[] = [el('strong', '', 'Training failed: '), document.createTextNode(e.message), el('code', 'sc-error-code', e.code)];
    if (e.detail) {
      const details = el('details', '');
      details.append(el('summary', '', 'Details'), el('pre', '', e.detail));
      parts.push(details);
    }
    this.error.replaceChildren(...parts);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
