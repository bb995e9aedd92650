// The status bar wording, kept apart from the VS Code item so it can be tested without VS Code.
export interface StatusRun {
  modelName: string;
  epoch: number;
  epochs: number;
}

export function statusText(run: StatusRun, others: number): string {
  const epoch = run.epoch > 0 ? ` epoch ${run.epoch}/${run.epochs}` : ' (starting)';
  return `$(sync~spin) Training ${run.modelName}${epoch}${others > 0 ? ` (+${others})` : ''}`;
}
