// Which exported functions of a file can be trained: the analyzer knows (it follows what they return);
// until it finds some, exported function declarations and arrow functions are offered as they are written.
import { exportedFunctionNames } from './exportedFunctions';

export interface EntryChoice {
  name: string;
  /** The analyzer confirmed it returns a model and takes no required parameter. */
  confirmed: boolean;
}

/** Asks the language server which builders its analysis of a document found (`skipcheck/entries`). */
export type EntryProvider = (uri: string) => Promise<string[]>;
let provider: EntryProvider | undefined;

export function setEntryProvider(p: EntryProvider | undefined): void { provider = p; }

export async function listEntries(uri: string, text: string): Promise<EntryChoice[]> {
  let confirmed: string[] = [];
  try {
    if (provider) confirmed = await provider(uri);
  } catch {
    // A server that is down or restarting must not block training; the syntactic list still works.
  }
  if (confirmed.length) return confirmed.map((name) => ({ name, confirmed: true }));
  return exportedFunctionNames(text).map((name) => ({ name, confirmed: false }));
}
