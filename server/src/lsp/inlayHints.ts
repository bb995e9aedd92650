// Shape hints after each stored .apply(...): `const y = conv.apply(x)  [null,32,32,64]`.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver/node';
import type { SiteInfo } from '../analysis';
import { rangesIntersect } from './ranges';
import type { Settings } from './settings';
import { formatShapes, truncate } from './shapes';

export function inlayHints(sites: SiteInfo[], range: Range, settings: Settings): InlayHint[] {
  if (!settings.inlayHints.enabled) return [];
  const hints: InlayHint[] = [];
  for (const site of sites) {
    if (site.kind !== 'apply' || !site.storedIn || site.shapes.length === 0) continue;
    if (!rangesIntersect(site.range, range)) continue;
    const full = formatShapes(site.shapes);
    hints.push({
      position: site.range.end,
      label: truncate(full, settings.inlayHints.maxLength),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: full.length > settings.inlayHints.maxLength ? full : undefined,
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
