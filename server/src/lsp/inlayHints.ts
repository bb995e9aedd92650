// Shape hints after each stored .apply(...): `const y = conv.apply(x)  [null,32,32,64]`.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver/node';
import type { SymbolicSite } from './hover';
import { rangesIntersect } from './ranges';
import type { Settings } from './settings';
import { formatShapes, truncate } from './shapes';
import { aliasesFor, legend } from './symbolicText';

/**
 * The shapes the program builds when callers give them; in a function nothing calls, its shape as written,
 * with short symbol names (`[null,⌈H/2⌉,⌈W/2⌉,2·width]`) explained in the tooltip.
 */
export function inlayHints(sites: SymbolicSite[], range: Range, settings: Settings): InlayHint[] {
  if (!settings.inlayHints.enabled) return [];
  const hints: InlayHint[] = [];
  for (const site of sites) {
    if (site.kind !== 'apply' || !site.storedIn) continue;
    const symbolic = site.shapes.length === 0 ? site.symbolicShapes ?? [] : [];
    if (site.shapes.length === 0 && symbolic.length === 0) continue;
    if (!rangesIntersect(site.range, range)) continue;
    const aliases = aliasesFor(symbolic);
    const full = site.shapes.length ? formatShapes(site.shapes) : formatShapes(symbolic, aliases);
    const notes = [...(full.length > settings.inlayHints.maxLength ? [full] : []), ...legend(aliases)];
    hints.push({
      position: site.range.end,
      label: truncate(full, settings.inlayHints.maxLength),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: notes.length ? notes.join('\n') : undefined,
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
