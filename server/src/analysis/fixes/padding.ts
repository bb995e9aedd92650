// The padding: 'same' fix for windowed layers whose 'valid' padding shrinks a residual branch.
import type { Application } from '../graph/graph';
import type { Fix } from '../types';
import { lineOfLayer } from '../syntax/text';
import { quoteOf, setProperty } from './edits';

/** padding: 'same' on each layer (deduplicated by source location); undefined when no config literal is editable. */
export function paddingFix(layers: Application[]): Omit<Fix, 'isPreferred'> | undefined {
  const seen = new Set<unknown>();
  const edits = [];
  const lines: number[] = [];
  let file: string | undefined;
  for (const a of layers) {
    const obj = a.layer.configNode;
    if (!obj || seen.has(obj)) continue;
    if (file && file !== a.layer.created.file) continue; // one fix edits one file
    seen.add(obj);
    file = a.layer.created.file;
    const q = quoteOf(a.layer.created.sf);
    edits.push(setProperty(a.layer.created.sf, obj, 'padding', `${q}same${q}`));
    lines.push(lineOfLayer(a));
  }
  if (!file || edits.length === 0) return undefined;
  return { title: `Set padding: 'same' on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`, file, edits };
}
