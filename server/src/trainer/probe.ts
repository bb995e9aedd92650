// Per-layer response std (He et al. 2015, Fig. 7) and per-block signal propagation (Brock et al. 2021),
// measured on a fixed batch of held-out samples through one extra model that shares the trained
// weights: a single predict call per epoch, no weight copies.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import { consumersOf, firstOutput, inputsOf, residualOperand } from './graph';
import type { BlockSignal, LayerStd } from './protocol';

const WEIGHTED = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose', 'Dense']);
const MERGES = new Set(['Add']);

export interface ResponsePoint { layer: string; measuredAt: string; afterActivation: boolean; tensor: tfType.SymbolicTensor }
export interface BlockPoint { block: string; output: tfType.SymbolicTensor; branch: tfType.SymbolicTensor }

/** Where each weighted layer's response is read: the BN directly consuming it, else the layer's own output. */
export function responsePoints(model: tfType.LayersModel): ResponsePoint[] {
  const outputs = new Set(model.outputs.map((o) => o.sourceLayer));
  const points: ResponsePoint[] = [];
  for (const layer of model.layers) {
    if (!WEIGHTED.has(layer.getClassName()) || outputs.has(layer)) continue;
    const bn = consumersOf(layer, model).find((l) => l.getClassName() === 'BatchNormalization');
    const activation = String((layer.getConfig() as { activation?: unknown }).activation ?? 'linear');
    points.push({
      layer: layer.name, measuredAt: (bn ?? layer).name,
      afterActivation: !bn && activation !== 'linear',
      tensor: firstOutput(bn ?? layer),
    });
  }
  return points;
}

/** Every Add layer ending a residual block, with its output and the residual-branch operand. */
export function blockPoints(model: tfType.LayersModel): BlockPoint[] {
  const points: BlockPoint[] = [];
  for (const layer of model.layers) {
    if (!MERGES.has(layer.getClassName())) continue;
    const output = firstOutput(layer);
    const operands = inputsOf(output);
    if (operands.length < 2) continue;
    points.push({ block: layer.name, output, branch: operands[residualOperand(operands)] });
  }
  return points;
}

export interface Probe {
  readonly layers: ResponsePoint[];
  readonly blocks: BlockPoint[];
  /** Runs the probe batch through the shared-weight model and reduces every response to its figures. */
  measure(x: tfType.Tensor): { layers: LayerStd[]; blocks: BlockSignal[] };
}

/** The probe model owns no weights of its own, so it is never disposed (that would free the shared ones). */
export function createProbe(tf: Tf, model: tfType.LayersModel): Probe {
  const layers = responsePoints(model);
  const blocks = blockPoints(model);
  const unique = new Map<number, tfType.SymbolicTensor>();
  for (const t of [...layers.map((p) => p.tensor), ...blocks.flatMap((b) => [b.output, b.branch])]) unique.set(t.id, t);
  const order = [...unique.keys()];
  const probeModel = order.length ? tf.model({ inputs: model.inputs, outputs: [...unique.values()] }) : undefined;
  return {
    layers, blocks,
    measure(x) {
      if (!probeModel) return { layers: [], blocks: [] };
      const figures = tf.tidy(() => {
        const out = probeModel.predict(x);
        const byId = new Map(order.map((id, i) => [id, Array.isArray(out) ? out[i] : out]));
        const scalars: tfType.Tensor[] = [];
        for (const p of layers) scalars.push(responseStd(tf, byId.get(p.tensor.id)!));
        for (const b of blocks) scalars.push(...channelStats(tf, byId.get(b.output.id)!), channelStats(tf, byId.get(b.branch.id)!)[1]);
        return scalars.length ? tf.stack(scalars).dataSync() : new Float32Array(0);
      });
      let k = 0;
      return {
        layers: layers.map((p) => ({ layer: p.layer, measuredAt: p.measuredAt, afterActivation: p.afterActivation, std: figures[k++] })),
        blocks: blocks.map((b) => ({
          block: b.block, avgChannelSquaredMean: figures[k++], avgChannelVariance: figures[k++], residualBranchVariance: figures[k++],
        })),
      };
    },
  };
}

/** Standard deviation over every element of the response (batch, positions and channels). */
export function responseStd(tf: Tf, t: tfType.Tensor): tfType.Scalar {
  return tf.sqrt(tf.moments(t).variance) as tfType.Scalar;
}

/** [average over channels of the squared channel mean, average over channels of the channel variance]. */
export function channelStats(tf: Tf, t: tfType.Tensor): [tfType.Scalar, tfType.Scalar] {
  const channels = t.shape[t.shape.length - 1];
  const { mean, variance } = tf.moments(t.reshape([-1, channels]), 0);
  return [tf.mean(tf.square(mean)), tf.mean(variance)];
}
