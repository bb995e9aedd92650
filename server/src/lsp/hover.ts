// Hover on a layer call, an .apply(...) or a variable holding a symbolic tensor: what tfjs would build there;
// on tf.model(...)/tf.sequential(...) or a builder's name: the model's summary.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import type { EntryInfo, ModelInfo, SiteInfo } from '../analysis';
import { modelSummaries } from './modelSummary';
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

/** What the analyses of a file say about it, for hovers. */
export interface HoverView {
  sites: SiteInfo[];
  models: ModelInfo[];
  entries: EntryInfo[];
}

export function hover(view: HoverView, pos: Position): Hover | null {
  // The innermost thing under the cursor wins: an input tensor inside tf.model({...}) shows its shape.
  const candidates: { range: Range; text: () => string }[] = [];
  const site = siteAt(view.sites, pos);
  if (site) candidates.push({ range: site.range, text: () => hoverText(site) });
  const models = view.models.filter((m) => rangeContains(m.range, pos));
  if (models.length) {
    const narrowest = models.reduce((a, b) => (isNarrower(b.range, a.range) ? b : a));
    const here = models.filter((m) => JSON.stringify(m.range) === JSON.stringify(narrowest.range));
    candidates.push({ range: narrowest.range, text: () => modelSummaries(here) });
  }
  for (const entry of view.entries) {
    const built = view.models.filter((m) => m.entry === entry.name && m.file === entry.file);
    if (built.length && rangeContains(entry.range, pos)) candidates.push({ range: entry.range, text: () => modelSummaries(built) });
  }
  if (!candidates.length) return null;
  const best = candidates.reduce((a, b) => (isNarrower(b.range, a.range) ? b : a));
  return { contents: { kind: MarkupKind.Markdown, value: best.text() }, range: best.range };
}
