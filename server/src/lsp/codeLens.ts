// "▶ Train" above each exported model builder; the client's training runner does the rest.
import type { CodeLens } from 'vscode-languageserver/node';
import type { EntryInfo } from '../analysis';

export const trainCommand = 'skipcheck.trainOnGpu';

/** Builders that need arguments cannot be called by the runner, so they get no lens. */
export function trainLenses(uri: string, entries: EntryInfo[]): CodeLens[] {
  return entries
    .filter((e) => e.requiredParams === 0)
    .map((e) => ({
      range: { start: e.range.start, end: e.range.start },
      command: { title: '▶ Train', command: trainCommand, arguments: [{ uri, entry: e.name }] },
    }));
}
