// "▶ Train" above each exported model builder, and "Compare with plain network" when the analysis found a
// residual Add in the model it builds, and "Depth sweep vs plain" when that builder also has a depth parameter
// (He et al. Fig. 6 on the user's code); the client's training runner does the rest.
import type { CodeLens } from 'vscode-languageserver/node';
import type { EntryInfo, ModelInfo } from '../analysis';
import { findDepthParam } from '../trainer/ablation/depthParam';

export const trainCommand = 'skipcheck.trainOnGpu';
export const comparePlainCommand = 'skipcheck.comparePlain';
export const depthSweepCommand = 'skipcheck.depthSweep';

/** Builders that need arguments cannot be called by the runner, so they get no lens. */
/** `text`: the document, read for a depth parameter; without it no sweep is offered. */
export function trainLenses(uri: string, entries: EntryInfo[], models: ModelInfo[] = [], text?: string): CodeLens[] {
  return entries
    .filter((e) => e.requiredParams === 0)
    .flatMap((e) => {
      const range = { start: e.range.start, end: e.range.start };
      const lenses: CodeLens[] = [{ range, command: { title: '▶ Train', command: trainCommand, arguments: [{ uri, entry: e.name }] } }];
      const residual = models.some((m) => m.entry === e.name && m.layers.some((l) => l.className === 'Add'));
      if (residual) {
        lenses.push({ range, command: { title: 'Compare with plain network', command: comparePlainCommand, arguments: [{ uri, entry: e.name }] } });
        const depth = text === undefined ? undefined : findDepthParam(text, e.name);
        if (depth) lenses.push({ range, command: { title: `Depth sweep vs plain (${depth.name})`, command: depthSweepCommand, arguments: [{ uri, entry: e.name }] } });
      }
      return lenses;
    });
}
