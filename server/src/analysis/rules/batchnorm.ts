// bias-before-batchnorm and activation-before-batchnorm: what feeds a BatchNormalization.
import type { Application, LayerInstance } from '../graph/graph';
import { UNKNOWN, activationOf, isNonlinear, windowInfo } from '../layers';
import { lineOf, lineRef, rangeOf } from '../syntax/text';
import type { RuleFinding } from './finding';

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

/**
 * `symbolic`: applications of runs without a caller (parameters as symbols). A layer only they created is
 * the same code as the concrete calls' layers, with a channel count that may be unknown: not counted twice.
 */
export function batchNormRules(layers: LayerInstance[], apps: Application[], symbolic: ReadonlyMap<Application, unknown> = new Map()): RuleFinding[] {
  const findings: RuleFinding[] = [];
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
    // One finding per line of code; the parameters it wastes are those of every layer that line created.
    const twins = layers.filter((l) => l.created.file === layer.created.file && l.created.node === layer.created.node && l.apps.length > 0);
    const called = twins.filter((l) => l.apps.some((a) => !symbolic.has(a)));
    findings.push(biasFinding(layer, cons[0], called.length ? called : twins));
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

function biasFinding(layer: LayerInstance, bn: Application, twins: LayerInstance[]): RuleFinding {
  const sf = layer.created.sf;
  const counts = twins.map(biasCount);
  const total = counts.every((c) => c !== undefined) ? (counts).reduce((a, b) => a + b, 0) : undefined;
  const wasted = total === undefined ? '' : twins.length > 1 ? ` ${total} parameters are wasted, summed over the ${twins.length} layers this line creates.` : ` ${total} parameters are wasted.`;
  return {
    rule: 'bias-before-batchnorm',
    message: `The bias of ${layer.factory} at line ${lineOf(sf, layer.created.node)} is cancelled by the BatchNormalization at ${lineRef(bn.at.sf, bn.at.node, sf)}. ` +
      `useBias ${layer.config.useBias === true ? 'is true' : 'defaults to true'}, and BatchNormalization subtracts the batch mean of each channel, bias included.` +
      `${wasted} Set useBias: false.`,
    file: layer.created.file,
    range: rangeOf(sf, layer.created.node),
    fix: { kind: 'no-bias', layer },
  };
}

function activationFinding(layer: LayerInstance, act: string, bn: Application, apps: Application[]): RuleFinding {
  const sf = layer.created.sf;
  return {
    rule: 'activation-before-batchnorm',
    message: `${layer.factory} at line ${lineOf(sf, layer.created.node)} applies '${act}' before the BatchNormalization at ` +
      `${lineRef(bn.at.sf, bn.at.node, sf)}. The usual order is ${layer.factory} -> BatchNormalization -> ${act} (normalise the pre-activations).`,
    file: layer.created.file,
    range: rangeOf(sf, layer.created.node),
    fix: { kind: 'move-activation', layer, bn, apps },
  };
}
