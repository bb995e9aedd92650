import * as ts from 'typescript';
import type { Application, LayerInstance } from '../graph';
import { UNKNOWN, activationOf, isNonlinear, windowInfo } from '../layers';
import { lineOf, rangeOf } from '../text';
import type { Finding, Fix } from '../types';
import { castSuffix, findProperty, insertStatementAfter, quoteOf, removeProperty, replaceNode, setProperty, enclosingStatement } from '../fixes/edits';
import { layerPrefix } from '../fixes/prefix';
import { skipOuter } from '../interp/ast';

const WEIGHTED = new Set(['Conv1D', 'Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense']);

/** Every consumer of every output of the layer, across all its applications. */
function consumers(layer: LayerInstance): Application[] {
  return layer.apps.flatMap((a) => a.outputs.flatMap((t) => t.consumers));
}

/** The BN normalises the layer's channel axis, which is what makes a per-channel bias redundant. */
function bnOnChannels(layer: LayerInstance, bn: Application): boolean {
  const rank = layer.apps[0]?.outputs[0]?.shape?.length;
  const axisCfg = bn.layer.config.axis;
  const axis = axisCfg === undefined ? -1 : axisCfg;
  if (typeof axis !== 'number' || rank === undefined) return false;
  const cf = windowInfo(layer.className, layer.config)?.channelsFirst === true;
  const channel = cf && rank > 2 ? 1 : rank - 1;
  return (axis < 0 ? axis + rank : axis) === channel;
}

export function batchNormRules(layers: LayerInstance[], apps: Application[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const layer of layers) {
    if (!WEIGHTED.has(layer.className) || layer.apps.length === 0) continue;
    const cons = consumers(layer);
    if (cons.length === 0 || !cons.every((c) => c.layer.className === 'BatchNormalization')) continue;
    const act = activationOf(layer.config);
    if (act === UNKNOWN || act === undefined) continue;
    const key = `${layer.created.file}#${layer.created.node.pos}`;
    if (seen.has(key)) continue;
    if (isNonlinear(act)) {
      seen.add(key);
      findings.push(activationFinding(layer, act, cons[0], apps));
      continue;
    }
    const useBias = layer.config.useBias;
    if (useBias === false || useBias === UNKNOWN || useBias === null) continue;
    if (!cons.every((c) => bnOnChannels(layer, c))) continue;
    seen.add(key);
    findings.push(biasFinding(layer, cons[0]));
  }
  return findings;
}

function biasCount(layer: LayerInstance): number | undefined {
  const out = layer.apps[0]?.outputs[0]?.shape;
  if (!out) return undefined;
  const cf = windowInfo(layer.className, layer.config)?.channelsFirst === true && out.length > 2;
  const c = out[cf ? 1 : out.length - 1];
  return typeof c === 'number' ? c : undefined;
}

function biasFinding(layer: LayerInstance, bn: Application): Finding {
  const sf = layer.created.sf;
  const n = biasCount(layer);
  const fixes: Fix[] = [];
  if (layer.configNode) {
    fixes.push({ title: 'Set useBias: false', file: layer.created.file, isPreferred: true, edits: [setProperty(sf, layer.configNode, 'useBias', 'false')] });
  }
  return {
    rule: 'bias-before-batchnorm',
    severity: 'warning',
    message: `${layer.factory} at line ${lineOf(sf, layer.created.node)} has a bias (useBias ${layer.config.useBias === true ? 'is true' : 'defaults to true'}) ` +
      `but feeds only the BatchNormalization at line ${lineOf(bn.at.sf, bn.at.node)}, which subtracts the batch mean and cancels it` +
      `${n !== undefined ? `: ${n} wasted parameters per layer` : ''}. Set useBias: false.`,
    file: layer.created.file,
    range: rangeOf(sf, layer.created.node),
    fixes,
  };
}

function activationFinding(layer: LayerInstance, act: string, bn: Application, apps: Application[]): Finding {
  const sf = layer.created.sf;
  const fix = moveActivationFix(layer, bn, apps);
  return {
    rule: 'activation-before-batchnorm',
    severity: 'info',
    message: `${layer.factory} at line ${lineOf(sf, layer.created.node)} applies '${act}' before the BatchNormalization at line ` +
      `${lineOf(bn.at.sf, bn.at.node)}; the usual order is ${layer.factory} -> BatchNormalization -> ${act} (normalise the pre-activations).`,
    file: layer.created.file,
    range: rangeOf(sf, layer.created.node),
    fixes: fix ? [fix] : [],
  };
}

/** Removes the fused activation and applies it after the BN, in the style the BN was written in. */
function moveActivationFix(layer: LayerInstance, bn: Application, apps: Application[]): Fix | undefined {
  const obj = layer.configNode;
  const prop = obj && findProperty(obj, 'activation');
  if (!obj || !prop || !ts.isPropertyAssignment(prop)) return undefined;
  if (bn.layer.created.file !== layer.created.file) return undefined;
  // The BN code may be a helper shared with other layers (`const bn = (x) => ...`): adding the activation
  // there would change every one of them. Only edit it when it serves this layer alone.
  const sameBnCode = apps.filter((a) => a.at.node === bn.at.node || a.layer.created.node === bn.layer.created.node);
  const bnServesThisLayerOnly = sameBnCode.every((a) => a.inputs[0]?.producer?.layer.created.node === layer.created.node);
  const sf = layer.created.sf;
  const actText = prop.initializer.getText(sf);
  const q = quoteOf(sf);
  const prefix = layerPrefix(bn);
  const activation = `${prefix}activation({activation: ${actText.replace(/^["']|["']$/g, q)}})`;
  const edits = [removeProperty(sf, obj, prop)];
  const bnNode = bn.layer.created.node;
  const applyNode = bn.at.node;
  const helperCall = callIntoHelper(layer, bn);
  if (!bnServesThisLayerOnly) {
    // Wrap the call of the shared BN helper made next to this layer instead: `bn(y)` -> `activation(bn(y))`.
    if (!helperCall || helperCall.getSourceFile() !== sf) return undefined;
    edits.push(replaceNode(sf, helperCall, `(${activation}.apply(${helperCall.getText(sf)})${castSuffix(sf, prefix)})`));
  } else if (ts.isCallExpression(applyNode) && ts.isPropertyAccessExpression(skipOuter(applyNode.expression)) &&
      (skipOuter(applyNode.expression) as ts.PropertyAccessExpression).name.text === 'apply') {
    edits.push(replaceNode(sf, applyNode, `${activation}.apply(${applyNode.getText(sf)})`));
  } else if (bnNode.parent && ts.isArrayLiteralExpression(bnNode.parent)) {
    edits.push({ range: rangeOf(sf, bnNode), newText: `${bnNode.getText(sf)}, ${activation}` });
  } else if (bnNode.parent && ts.isCallExpression(bnNode.parent)) {
    const st = enclosingStatement(bnNode.parent);
    const recv = skipOuter(bnNode.parent.expression);
    if (!st || !ts.isPropertyAccessExpression(recv)) return undefined;
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
  return ts.isCallExpression(call) ? call : undefined;
}
