// The U-Net "copy and crop" fix (Ronneberger et al. 2015): a concatenate whose operands differ by a few
// pixels gets cropping2D on the larger one, symmetric when the difference is even, else one pixel more
// off the bottom/right (as Keras examples do).
import { tsApi } from '../syntax/tsApi';
import type { Fix } from '../types';
import type { MergeSite } from '../graph/branch';
import { skipOuter } from '../syntax/ast';
import { enclosingStatement, insertStatementBefore, replaceNode } from './edits';
import { layerPrefix } from './prefix';
import { freeName, objectText, styleOf } from './style';

export function cropFix(sites: MergeSite[], ok: boolean[]): Omit<Fix, 'isPreferred'> | undefined {
  const first = sites[0];
  const { app, layout } = first;
  if (app.layer.className !== 'Concatenate' || layout.rank !== 4 || layout.channel !== 3 || ok.some((x) => x)) return undefined;
  const sf = app.at.sf;
  const call = app.at.node;
  const arg = tsApi.isCallExpression(call) && call.arguments[0] ? skipOuter(call.arguments[0]) : undefined;
  if (!arg || !tsApi.isArrayLiteralExpression(arg)) return undefined;
  // One operand larger than the rest, by the same amount in every call.
  let larger: number | undefined;
  let diff: number[] | undefined;
  for (const site of sites) {
    const dims = site.operands.map((o) => layout.spatial.map((a) => o.tensor.shape?.[a]));
    if (dims.some((d) => d.some((x) => typeof x !== 'number'))) return undefined;
    const min = layout.spatial.map((_, i) => Math.min(...dims.map((d) => d[i] as number)));
    const big = dims.map((d, j) => (d.some((x, i) => x !== min[i]) ? j : -1)).filter((j) => j >= 0);
    if (big.length !== 1) return undefined;
    const d = dims[big[0]].map((x, i) => (x as number) - min[i]);
    if (larger !== undefined && (larger !== big[0] || JSON.stringify(d) !== JSON.stringify(diff))) return undefined;
    larger = big[0];
    diff = d;
  }
  const operand = larger === undefined ? undefined : arg.elements[larger];
  if (!operand || !diff || tsApi.isSpreadElement(operand) || diff.some((d) => d > 16)) return undefined;
  const statement = enclosingStatement(call);
  if (!statement) return undefined;
  const pairs = diff.map((d) => [Math.floor(d / 2), d - Math.floor(d / 2)]);
  const symmetric = pairs.every(([a, b]) => a === b);
  const cropping = symmetric && pairs[0][0] === pairs[1][0] ? String(pairs[0][0]) : symmetric ? `[${pairs[0][0]}, ${pairs[1][0]}]` : `[${pairs.map(([a, b]) => `[${a}, ${b}]`).join(', ')}]`;
  const prefix = layerPrefix(app);
  const style = styleOf(sf, prefix);
  const name = freeName(call, ['cropped', 'croppedSkip']);
  const opText = skipOuter(operand).getText(sf);
  const shape = first.operands[larger!].tensor.shape!;
  const from = layout.spatial.map((a) => shape[a]).join('x');
  const to = layout.spatial.map((a, i) => (shape[a] as number) - diff[i]).join('x');
  const how = symmetric ? `${pairs[0][0] === pairs[1][0] ? `${pairs[0][0]} px` : `${pairs[0][0]}/${pairs[1][0]} px`} off each side` : 'asymmetric: the extra pixel off the bottom/right';
  return {
    title: `Crop ${opText} (the larger operand) ${from} -> ${to} with cropping2D (${how})`,
    file: app.at.file,
    edits: [
      insertStatementBefore(sf, statement, `const ${name} = ${prefix}cropping2D(${objectText(style, [`cropping: ${cropping}`])}).apply(${opText})${style.cast};`),
      replaceNode(sf, skipOuter(operand), name),
    ],
  };
}
