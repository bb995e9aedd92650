// Where `skipcheck setup-native` puts the graph-step addon inside a tfjs-node package, and where the trainer
// loads it from. Lives in native/ (which builds it) so that the trainer depends on native/, not both ways.
import * as path from 'node:path';

export const ADDON_DIR = path.join('deps', 'skipcheck');
export const ADDON_FILE = 'skipcheck_graph.node';

export function addonPath(tfjsNodeDir: string): string {
  return path.join(tfjsNodeDir, ADDON_DIR, ADDON_FILE);
}
