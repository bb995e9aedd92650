// Moving an activation fused into a layer (`activation: 'relu'`) to after the BatchNormalization it feeds.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Application, LayerInstance } from '../graph/graph';
import { skipOuter } from '../syntax/ast';
import { rangeOf } from '../syntax/text';
import type { Fix } from '../types';
import { castSuffix, enclosingStatement, findProperty, insertStatementAfter, quoteOf, removeProperty, replaceNode } from './edits';
import { layerPrefix } from './prefix';
import { objectText, styleOf } from './style';

/** Removes the fused activation and applies it after the BN, in the style the BN was written in. */
export function moveActivationFix(layer: LayerInstance, bn: Application, apps: Application[]): Fix | undefined {
  const obj = layer.configNode;
  const prop = obj && findProperty(obj, 'activation');
  if (!obj || !prop || !tsApi.isPropertyAssignment(prop)) return undefined;
  if (bn.layer.created.file !== layer.created.file) return undefined;
  // The BN code may be a helper shared with other layers (`const bn = (x) => ...`): adding the activation
  // there would change every one of them. Only edit it when it serves this layer alone.
  const sameBnCode = apps.filter((a) => a.at.node === bn.at.node || a.layer.created.node === bn.layer.created.node);
  const bnServesThisLayerOnly = sameBnCode.every((a) => a.inputs[0]?.producer?.layer.created.node === layer.created.node);
  const sf = layer.created.sf;
  const actText = prop.initializer.getText(sf);
  const q = quoteOf(sf);
  const prefix = layerPrefix(bn);
  const activation = `${prefix}activation(${objectText(styleOf(sf, prefix), [`activation: ${actText.replace(/^["']|["']$/g, q)}`])})`;
  const edits = [removeProperty(sf, obj, prop)];
  const bnNode = bn.layer.created.node;
  const applyNode = bn.at.node;
  const helperCall = callIntoHelper(layer, bn);
  if (!bnServesThisLayerOnly) {
    // Wrap the call of the shared BN helper made next to this layer instead: `bn(y)` -> `activation(bn(y))`.
    if (!helperCall || helperCall.getSourceFile() !== sf) return undefined;
    edits.push(replaceNode(sf, helperCall, `(${activation}.apply(${helperCall.getText(sf)})${castSuffix(sf, prefix)})`));
  } else if (tsApi.isCallExpression(applyNode) && tsApi.isPropertyAccessExpression(skipOuter(applyNode.expression)) &&
      (skipOuter(applyNode.expression) as ts.PropertyAccessExpression).name.text === 'apply') {
    edits.push(replaceNode(sf, applyNode, `${activation}.apply(${applyNode.getText(sf)})`));
  } else if (bnNode.parent && tsApi.isArrayLiteralExpression(bnNode.parent)) {
    edits.push({ range: rangeOf(sf, bnNode), newText: `${bnNode.getText(sf)}, ${activation}` });
  } else if (bnNode.parent && tsApi.isCallExpression(bnNode.parent)) {
    const st = enclosingStatement(bnNode.parent);
    const recv = skipOuter(bnNode.parent.expression);
    if (!st || !tsApi.isPropertyAccessExpression(recv)) return undefined;
    edits.push(insertStatementAfter(sf, st, `${recv.expression.getText(sf)}.add(${activation});`));
  } else return undefined;
  return { title: `Move '${actText.replace(/["']/g, '')}' after the BatchNormalization`, file: layer.created.file, isPreferred: true, edits };
}

/** The call, made in the function that created `layer`, through which the BN was applied (a helper like `bn(y)`). */
function callIntoHelper(layer: LayerInstance, bn: Application): ts.CallExpression | undefined {
  const depth = layer.stack.length;
  if (bn.stack.length <= depth) return undefined;
  if (!layer.stack.every((f, i) => f.at.node === bn.stack[i].at.node)) return undefined;
  const call = bn.stack[depth].at.node;
  return tsApi.isCallExpression(call) ? call : undefined;
}
