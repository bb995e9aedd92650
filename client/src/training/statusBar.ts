// "$(sync~spin) Training resnet20 epoch 3/10" while a run is active; clicking it shows that run's panel.
import * as vscode from 'vscode';
import { statusText, type StatusRun } from './statusText';

export const showTrainingCommand = 'skipcheck.showTraining';

export class TrainingStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('skipcheck.training', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Skipcheck Training';
    this.item.command = showTrainingCommand;
    this.item.tooltip = 'Show the training panel';
  }

  /** The most recently started active run is shown; `active` is in start order. */
  update(active: StatusRun[]): void {
    const run = active.at(-1);
    if (!run) return this.item.hide();
    this.item.text = statusText(run, active.length - 1);
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
