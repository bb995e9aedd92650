// Hover on a layer call, an .apply(...) or a variable holding a symbolic tensor: what tfjs would build there.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { SiteInfo } from '../analysis';
import { isNarrower, rangeContains } from './ranges';
import { formatShape, formatShapes } from './shapes';

export function siteAt(sites: SiteInfo[], pos: Position): SiteInfo | undefined {
  let best: SiteInfo | undefined;
  for (const site of sites) {
    if (rangeContains(site.range, pos) && (!best || isNarrower(site.range, best.range))) best = site;
  }
  return best;
}

function formatParams(counts: (number | null)[]): string | undefined {
  const distinct = [...new Set(counts.map((c) => (c === null ? 'unknown' : c.toLocaleString('en-US'))))];
  if (distinct.length === 0) return undefined;
  return `${distinct.join(' | ')} params`;
}

export function hoverText(site: SiteInfo): string {
  const name = site.kind === 'tensor' ? `\`${site.storedIn ?? 'tensor'}\`` : `**${site.className ?? 'layer'}**`;
  const shapes = site.shapes.length ? `\`${formatShapes(site.shapes)}\`` : 'shape unknown';
  const parts = [`${name} → ${shapes}`];
  const params = site.kind === 'tensor' ? undefined : formatParams(site.paramCounts);
  if (params) parts.push(params);
  const lines = [parts.join(' · ')];
  // One line per distinct operand combination: a helper called from several places may add different shapes.
  const operandLines = new Set((site.operandShapes ?? []).map((ops) => `inputs: ${ops.map((s) => `\`${formatShape(s)}\``).join(' + ')}`));
  lines.push(...operandLines);
  return lines.join('  \n');
}

export function hover(sites: SiteInfo[], pos: Position): Hover | null {
  const site = siteAt(sites, pos);
  if (!site) return null;
  return { contents: { kind: MarkupKind.Markdown, value: hoverText(site) }, range: site.range };
}
