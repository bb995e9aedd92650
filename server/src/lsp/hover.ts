// Hover on a layer call, an .apply(...) or a variable holding a symbolic tensor: what tfjs would build there;
// on tf.model(...)/tf.sequential(...) or a builder's name: the model's summary.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import type { EntryInfo, ModelInfo, Shape, SiteInfo } from '../analysis';
import { contractText, type ContractView } from './contracts';
import { modelSummaries } from './modelSummary';
import { isNarrower, rangeContains, rangeKey } from './ranges';
import { formatShape, formatShapes } from './shapes';
import { aliasesFor, legend } from './symbolicText';

/**
 * A site with the shapes of its function analysed without a caller (parameters as symbols). Spelled out here
 * so the editor side compiles before and after the core's SiteInfo carries these fields.
 */
export type SymbolicSite = SiteInfo & { symbolicShapes?: Shape[]; symbolicOperandShapes?: Shape[][]; symbolicUnderContract?: true };

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

export function hoverText(site: SymbolicSite): string {
  const name = site.kind === 'tensor' ? `\`${site.storedIn ?? 'tensor'}\`` : `**${site.className ?? 'layer'}**`;
  const symbolic = site.symbolicShapes ?? [];
  const symbolicOperands = site.symbolicOperandShapes ?? [];
  const aliases = aliasesFor([...symbolic, ...symbolicOperands.flat()]);
  const contract = site.symbolicUnderContract ? ' when the function\'s contract holds' : '';
  const asWritten = symbolic.length ? `\`${formatShapes(symbolic, aliases)}\`${contract}` : undefined;
  // With no caller giving sizes, the shape as written is the shape; with callers, it follows their shapes.
  // A merge whose operands never combine (as written) has no shape: its operands show why.
  const none = symbolicOperands.length ? 'no shape: its operands cannot combine' : 'shape unknown';
  const shapes = site.shapes.length ? `\`${formatShapes(site.shapes)}\`` : asWritten ?? none;
  const parts = [`${name} → ${shapes}`];
  const params = site.kind === 'tensor' ? undefined : formatParams(site.paramCounts);
  if (params) parts.push(params);
  const lines = [parts.join(' · ')];
  if (site.shapes.length && asWritten) lines.push(`as written: ${asWritten}`);
  // One line per distinct operand combination: a helper called from several places may add different shapes.
  const operandLines = new Set((site.operandShapes ?? []).map((ops) => `inputs: ${ops.map((s) => `\`${formatShape(s)}\``).join(' + ')}`));
  lines.push(...operandLines);
  const symbolicOperandLines = new Set(symbolicOperands.map((ops) =>
    `inputs${site.shapes.length ? ' as written' : ''}: ${ops.map((s) => `\`${formatShape(s, aliases)}\``).join(' + ')}`));
  lines.push(...symbolicOperandLines);
  if (aliases.size) lines.push(`where ${legend(aliases).join(', ')}`);
  return lines.join('  \n');
}

/** What the analyses of a file say about it, for hovers. */
export interface HoverView {
  sites: SiteInfo[];
  models: ModelInfo[];
  /** Models of builders analysed without a caller (symbolic sizes): shown where no concrete model is. */
  symbolicModels?: ModelInfo[];
  entries: EntryInfo[];
  contracts: ContractView[];
}

export function hover(view: HoverView, pos: Position): Hover | null {
  // The innermost thing under the cursor wins: an input tensor inside tf.model({...}) shows its shape.
  const candidates: { range: Range; text: () => string }[] = [];
  const site = siteAt(view.sites, pos);
  if (site) candidates.push({ range: site.range, text: () => hoverText(site) });
  const concrete = view.models.filter((m) => rangeContains(m.range, pos));
  const symbolic = (view.symbolicModels ?? []).filter((m) => rangeContains(m.range, pos));
  const models = concrete.length ? concrete : symbolic;
  if (models.length) {
    const narrowest = models.reduce((a, b) => (isNarrower(b.range, a.range) ? b : a));
    const here = models.filter((m) => JSON.stringify(m.range) === JSON.stringify(narrowest.range));
    candidates.push({ range: narrowest.range, text: () => modelSummaries(here) });
  }
  for (const contract of view.contracts) {
    if (contract.requires.length && rangeContains(contract.range, pos)) candidates.push({ range: contract.range, text: () => contractText(contract) });
  }
  const builders = new Map<string, ModelInfo[]>();
  for (const m of view.symbolicModels ?? []) {
    if (m.builderRange && rangeContains(m.builderRange, pos)) builders.set(rangeKey(m.builderRange), [...(builders.get(rangeKey(m.builderRange)) ?? []), m]);
  }
  const concreteBuilt = view.entries.some((e) => rangeContains(e.range, pos) && view.models.some((m) => m.entry === e.name && m.file === e.file));
  for (const built of concreteBuilt ? [] : builders.values()) candidates.push({ range: built[0].builderRange!, text: () => modelSummaries(built) });
  for (const entry of view.entries) {
    const built = view.models.filter((m) => m.entry === entry.name && m.file === entry.file);
    if (built.length && rangeContains(entry.range, pos)) candidates.push({ range: entry.range, text: () => modelSummaries(built) });
  }
  if (!candidates.length) return null;
  const best = candidates.reduce((a, b) => (isNarrower(b.range, a.range) ? b : a));
  // A builder's name may have both a contract and the model it builds: show both.
  const same = candidates.filter((c) => rangeKey(c.range) === rangeKey(best.range));
  return { contents: { kind: MarkupKind.Markdown, value: same.map((c) => c.text()).join('\n\n---\n\n') }, range: best.range };
}
