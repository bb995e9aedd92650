// "▶ Train" above each exported model builder, and "Compare with plain network" when the analysis found a
// residual Add in the model it builds; the client's training runner does the rest.
import type { CodeLens } from 'vscode-languageserver/node';
import type { EntryInfo, ModelInfo } from '../analysis';

export const trainCommand = 'skipcheck.trainOnGpu';
export const comparePlainCommand = 'skipcheck.comparePlain';

/** Builders that need arguments cannot be called by the runner, so they get no lens. */
export function trainLenses(uri: string, entries: EntryInfo[], models: ModelInfo[] = []): CodeLens[] {
  return entries
    .filter((e) => e.requiredParams === 0)
    .flatMap((e) => {
      const range = { start: e.range.start, end: e.range.start };
      const lenses: CodeLens[] = [{ range, command: { title: '▶ Train', command: trainCommand, arguments: [{ uri, entry: e.name }] } }];
      const residual = models.some((m) => m.entry === e.name && m.layers.some((l) => l.className === 'Add'));
      if (residual) {
        lenses.push({ range, command: { title: 'Compare with plain network', command: comparePlainCommand, arguments: [{ uri, entry: e.name }] } });
      }
      return lenses;
    });
}
