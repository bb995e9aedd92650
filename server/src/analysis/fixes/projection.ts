// The shortcut projection fix (ResNet option B): a 1x1 convolution or dense layer on the shortcut.
import * as ts from 'typescript';
import type { Fix, TextEdit } from '../types';
import type { MergeSite } from '../graph/branch';
import { skipOuter } from '../syntax/ast';
import { castSuffix, enclosingStatement, freshName, indentAt, insertStatementBefore, isTs, quoteOf, replaceNode } from './edits';
import { layerPrefix } from './prefix';

/** What one call of the merge needs on its shortcut. */
interface Need { filters: number; strides: number[] }

/**
 * 1x1 projection of the shortcut (ResNet option B). `sites` are every call of the same merge code; `ok`
 * says which of them already combine. With one need shared by all calls the projection is written with
 * literal filters and strides; otherwise it is guarded and computed from the operands' shapes, so it is
 * right for every call of a helper.
 */
export function projectionFix(sites: MergeSite[], ok: boolean[]): Fix | { reason: string } {
  const first = sites[0];
  const { app, layout } = first;
  const sf = app.at.sf;
  const call = app.at.node;
  if (!ts.isCallExpression(call)) return { reason: 'the merge is not a direct .apply([...]) call' };
  const arg = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!arg || !ts.isArrayLiteralExpression(arg)) return { reason: 'the operands are not written as an array literal' };
  if (layout.rank < 2 || layout.rank > 4) return { reason: `rank ${layout.rank} has no 1x1 projection` };
  if (app.layer.className === 'Concatenate') return { reason: 'concatenate does not need equal channels' };
  const scNode = arg.elements[first.shortcut];
  const brNode = arg.elements[first.branch];
  if (!scNode || !brNode || ts.isSpreadElement(scNode)) return { reason: 'the shortcut operand is not a plain expression' };
  if (sites.some((s) => s.shortcut !== first.shortcut || s.branch !== first.branch)) return { reason: 'calls disagree on which operand is the shortcut' };

  const needs: Need[] = [];
  for (let i = 0; i < sites.length; i++) {
    if (ok[i]) continue;
    const n = need(sites[i]);
    if (!n) return { reason: 'the branch is not a strided reduction of the shortcut (a 1x1 projection cannot match it)' };
    needs.push(n);
  }
  const uniform = ok.every((x) => !x) && needs.every((n) => JSON.stringify(n) === JSON.stringify(needs[0]));
  const q = quoteOf(sf);
  const prefix = layerPrefix(app);
  const channelsFirst = layout.channel === 1 && layout.rank > 2;
  const endsInBN = sites.some((s) => s.operands[s.branch].tensor.producer?.layer.className === 'BatchNormalization');
  const cast = castSuffix(sf, prefix);
  const num = isTs(sf) ? ' as number' : '';
  const sc = skipOuter(scNode).getText(sf);
  const br = skipOuter(brNode);

  let filtersText: string;
  let stridesText: string;
  if (uniform) {
    filtersText = String(needs[0].filters);
    const s = needs[0].strides;
    stridesText = s.every((x) => x === s[0]) ? String(s[0] ?? 1) : `[${s.join(', ')}]`;
  } else {
    if (!ts.isIdentifier(br) || !ts.isIdentifier(skipOuter(scNode))) {
      return { reason: 'the calls of this code need different projections, and the operands are not plain variables to compare at run time' };
    }
    const dim = (v: string, axis: number) => `(${v}.shape[${axis}]${num})`;
    filtersText = `${br.text}.shape[${layout.channel}]${num}`;
    const ratios = layout.spatial.map((a) => `Math.ceil(${dim(sc, a)} / ${dim(br.text, a)})`);
    stridesText = ratios.length === 0 ? '1' : ratios.length === 1 ? ratios[0] : `[${ratios.join(', ')}]`;
  }
  const formatText = channelsFirst ? `, dataFormat: ${q}channelsFirst${q}` : '';
  let proj: string;
  if (layout.rank === 2) proj = `${prefix}dense({units: ${filtersText}${endsInBN ? ', useBias: false' : ''}}).apply(${sc})`;
  else {
    const conv = layout.rank === 3 ? 'conv1d' : 'conv2d';
    proj = `${prefix}${conv}({filters: ${filtersText}, kernelSize: 1, strides: ${stridesText}, useBias: false${formatText}}).apply(${sc})`;
  }
  if (endsInBN) proj = `${prefix}batchNormalization(${channelsFirst ? '{axis: 1}' : ''}).apply(${proj})`;

  const edits: TextEdit[] = [];
  const statement = enclosingStatement(call);
  const name = freshName(sf, 'shortcut');
  let rhs = `${proj}${cast}`;
  if (!uniform) {
    const axes = [layout.channel, ...layout.spatial];
    const cond = axes.map((a) => `${sc}.shape[${a}] !== ${br.getText(sf)}.shape[${a}]`).join(' || ');
    rhs = `${cond}\n  ? ${proj}${cast}\n  : ${sc}`;
  }
  if (statement) {
    const indent = indentAt(sf, statement.getStart(sf));
    const text = `const ${name} = ${rhs.replace(/\n/g, '\n' + indent)};`;
    edits.push(insertStatementBefore(sf, statement, text));
    edits.push(replaceNode(sf, skipOuter(scNode), name));
  } else if (uniform) {
    edits.push(replaceNode(sf, skipOuter(scNode), rhs));
  } else {
    return { reason: 'the merge is not inside a statement block where a guarded projection could go' };
  }
  const what = layout.rank === 2 ? `dense projection (${filtersText} units)` : `1x1 ${layout.rank === 3 ? 'conv1d' : 'conv2d'} projection (filters ${filtersText}, strides ${stridesText})`;
  return {
    title: uniform ? `Project the shortcut with a ${what}${endsInBN ? ' + BatchNormalization' : ''}` : 'Project the shortcut where its shape differs (guarded 1x1 projection computed from the shapes)',
    file: app.at.file,
    edits,
  };
}

/** Filters and strides that turn the shortcut's shape into the branch's, or undefined if none can. */
function need(site: MergeSite): Need | undefined {
  const sc = site.operands[site.shortcut].tensor.shape;
  const br = site.operands[site.branch].tensor.shape;
  const { layout } = site;
  if (!sc || !br) return undefined;
  const filters = br[layout.channel];
  if (typeof filters !== 'number') return undefined;
  const strides: number[] = [];
  for (const a of layout.spatial) {
    const from = sc[a];
    const to = br[a];
    if (typeof from !== 'number' || typeof to !== 'number' || to > from || to <= 0) return undefined;
    const s = Math.ceil(from / to);
    if (Math.ceil(from / s) !== to) return undefined;
    strides.push(s);
  }
  return { filters, strides };
}
