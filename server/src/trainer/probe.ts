// Per-layer response std (He et al. 2015, Fig. 7) and per-block signal propagation (Brock et al. 2021),
// measured on a fixed batch of held-out samples through one extra model that shares the trained
// weights: a single forward pass per epoch, no weight copies.
//
// How BatchNormalization is evaluated, always the same way ('batch-statistics' in the std message): with
// the probe batch's own mean and variance, as in a training step, but the moving averages are put back
// afterwards and dropout-like noise is off. In inference mode a BN output would be normalised with the
// moving averages instead, which after a few epochs still lag the weights (momentum 0.99): the figure would
// measure that lag (0.03-0.27 where the BN output really has std ~1), not the network.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import { consumersOf, firstOutput, inputsOf, residualOperand, shortcutSplit } from './graph';
import type { BlockSignal, LayerStd } from '../../../contract/protocol';

/** The activation a layer's config names; tfjs serializes it as its name, 'linear' when there is none. */
export function activationName(layer: tfType.layers.Layer): string {
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof a === 'string' ? a : 'linear';
}

const WEIGHTED = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose', 'Dense']);
const MERGES = new Set(['Add']);

export interface ResponsePoint { layer: string; measuredAt: string; afterActivation: boolean; tensor: tfType.SymbolicTensor; projection: boolean }
export interface BlockPoint { block: string; output: tfType.SymbolicTensor; branch: tfType.SymbolicTensor }

/** Where each weighted layer's response is read: the BN directly consuming it, else the layer's own output. */
export function responsePoints(model: tfType.LayersModel): ResponsePoint[] {
  const outputs = new Set(model.outputs.map((o) => o.sourceLayer));
  const projections = projectionLayers(model);
  const points: ResponsePoint[] = [];
  for (const layer of model.layers) {
    if (!WEIGHTED.has(layer.getClassName()) || outputs.has(layer)) continue;
    const bn = consumersOf(layer, model).find((l) => l.getClassName() === 'BatchNormalization');
    const activation = activationName(layer);
    points.push({
      layer: layer.name, measuredAt: (bn ?? layer).name,
      afterActivation: !bn && activation !== 'linear',
      tensor: firstOutput(bn ?? layer), projection: projections.has(layer.name),
    });
  }
  return points;
}

/** Names of the layers on projection shortcuts (between the fork and a residual Add, off the branch). */
export function projectionLayers(model: tfType.LayersModel): Set<string> {
  const names = new Set<string>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Add' || layer.inboundNodes.length !== 1) continue;
    const operands = inputsOf(firstOutput(layer));
    const split = shortcutSplit(operands);
    if (!split || split.identity) continue;
    const stack = [operands[split.shortcut]];
    while (stack.length) {
      const t = stack.pop()!;
      if (t.id === split.fork) continue;
      names.add(t.sourceLayer.name);
      stack.push(...inputsOf(t));
    }
  }
  return names;
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
      const restore = batchStatisticsMode(model);
      let figures: Float32Array | Int32Array | Uint8Array;
      try {
        figures = tf.tidy(() => {
        const out = probeModel.apply(x, { training: true }) as tfType.Tensor | tfType.Tensor[];
        const byId = new Map(order.map((id, i) => [id, Array.isArray(out) ? out[i] : out]));
        const scalars: tfType.Tensor[] = [];
        for (const p of layers) scalars.push(responseStd(tf, byId.get(p.tensor.id)!));
        for (const b of blocks) scalars.push(...channelStats(tf, byId.get(b.output.id)!), channelStats(tf, byId.get(b.branch.id)!)[1]);
        return scalars.length ? tf.stack(scalars).dataSync() : new Float32Array(0);
        });
      } finally { restore(); }
      let k = 0;
      return {
        layers: layers.map((p) => ({
          layer: p.layer, measuredAt: p.measuredAt, afterActivation: p.afterActivation, std: figures[k++], ...(p.projection ? { projection: true } : {}),
        })),
        blocks: blocks.map((b) => ({
          block: b.block, avgChannelSquaredMean: figures[k++], avgChannelVariance: figures[k++], residualBranchVariance: figures[k++],
        })),
      };
    },
  };
}

const NOISE = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/**
 * Prepares a training-mode forward pass that changes nothing: returns the function that puts every
 * BatchNormalization's moving mean and variance back and switches noise layers back on.
 */
export function batchStatisticsMode(model: tfType.LayersModel): () => void {
  const undo: (() => void)[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'BatchNormalization') {
      for (const w of layer.weights.filter((v) => /moving_(mean|variance)$/.test(v.originalName))) {
        const saved = w.read().clone();
        undo.push(() => { w.write(saved); saved.dispose(); });
      }
    } else if (NOISE.has(layer.getClassName())) {
      // Kept to be called again with the layer as `this` (below) and put back by undo.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const call = layer.call;
      layer.call = (inputs, kwargs) => call.call(layer, inputs, { ...kwargs, training: false });
      undo.push(() => { layer.call = call; });
    }
  }
  return () => { for (const u of undo.splice(0)) u(); };
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
