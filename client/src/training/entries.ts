// Which exported functions of a file can be trained: the analyzer knows (it follows what they return);
// until it finds some, exported function declarations and arrow functions are offered as they are written.
import { exportedFunctionNames } from './exportedFunctions';

export interface EntryChoice {
  name: string;
  /** The analyzer confirmed it returns a model and takes no required parameter. */
  confirmed: boolean;
}

export async function listEntries(file: string, text: string): Promise<EntryChoice[]> {
  let confirmed: string[] = [];
  try {
    // Loaded on first use: the analyzer brings the TypeScript compiler, which activation should not pay for.
    const { analyze } = await import('../../../server/src/analysis/index.js');
    confirmed = analyze(file, text).entries.filter((e) => e.requiredParams === 0).map((e) => e.name);
  } catch {
    // The analyzer failing on odd code must not block training; the syntactic list still works.
  }
  if (confirmed.length) return confirmed.map((name) => ({ name, confirmed: true }));
  return exportedFunctionNames(text).map((name) => ({ name, confirmed: false }));
}
