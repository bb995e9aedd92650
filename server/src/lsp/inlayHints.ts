// Shape hints after each stored .apply(...), at the end of its line (after `as tf.SymbolicTensor;`):
// `const y = conv.apply(x) as tf.SymbolicTensor;  [null,32,32,64]`. In files with many layers only the
// lines that change the shape get one, so the hints mark the stage transitions instead of every line.
import { InlayHintKind, type InlayHint, type Position, type Range } from 'vscode-languageserver/node';
import type { Shape } from '../analysis';
import type { SymbolicSite } from './hover';
import { rangesIntersect } from './ranges';
import type { Settings } from './settings';
import { formatShapes, truncate } from './shapes';
import { aliasesFor, legend } from './symbolicText';

/** With more stored applies than this, 'auto' shows only the hints where the shape changes. */
export const manyLayers = 30;

const same = (a: Shape | undefined, b: Shape | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Whether some call context of the apply gives an output shape other than its (first) input's. */
function changesShape(site: SymbolicSite): boolean {
  if (site.shapes.length === 0) {
    const symbolic = site.symbolicShapes ?? [];
    return symbolic.some((out, i) => !same(out, site.symbolicOperandShapes?.[i]?.[0]));
  }
  return site.shapes.some((out, i) => {
    const input = site.inputShapes?.[i] ?? site.operandShapes?.[i]?.[0];
    return input === undefined || !same(out, input);
  });
}

/**
 * The shapes the program builds when callers give them; in a function nothing calls, its shape as written,
 * with short symbol names (`[null,⌈H/2⌉,⌈W/2⌉,2·width]`) explained in the tooltip.
 * `lineEnd(line)`: where the line's text ends (the hint goes there, not mid-statement).
 */
export function inlayHints(sites: SymbolicSite[], range: Range, settings: Settings, lineEnd: (line: number) => Position): InlayHint[] {
  if (!settings.inlayHints.enabled) return [];
  const stored = sites.filter((site) => site.kind === 'apply' && site.storedIn && (site.shapes.length > 0 || (site.symbolicShapes?.length ?? 0) > 0));
  const mode = settings.inlayHints.show;
  const onlyChanges = mode === 'changes' || (mode === 'auto' && stored.length > manyLayers);
  const byPosition = new Map<string, { hint: InlayHint; end: number }>();
  for (const site of stored) {
    if (!rangesIntersect(site.range, range)) continue;
    if (onlyChanges && !changesShape(site)) continue;
    const symbolic = site.shapes.length === 0 ? site.symbolicShapes ?? [] : [];
    const aliases = aliasesFor(symbolic);
    const full = site.shapes.length ? formatShapes(site.shapes) : formatShapes(symbolic, aliases);
    const notes = [...(full.length > settings.inlayHints.maxLength ? [full] : []), ...legend(aliases)];
    const position = lineEnd(site.range.end.line);
    const key = `${position.line}:${position.character}`;
    // Two applies ending on one line: the outer (later-ending) one is what the line stores.
    const prev = byPosition.get(key);
    if (prev && prev.end > site.range.end.character) continue;
    byPosition.set(key, {
      end: site.range.end.character,
      hint: {
        position,
        label: truncate(full, settings.inlayHints.maxLength),
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: notes.length ? notes.join('\n') : undefined,
      },
    });
  }
  return [...byPosition.values()].map((h) => h.hint).sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
