// Ablation twins of a built tfjs model, made at run time from its JSON topology: the plain twin (every
// residual Add replaced by its branch alone, projection shortcuts dropped) and the twin without
// BatchNormalization. Everything else stays: the same layers with the same names and configs, and the same
// initial weights for every layer the twins share (copied by name), so the only difference between the
// runs is the component taken out.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../datasets/batches';
import { firstOutput, inputsOf, shortcutSplit } from '../graph';
import type { Variant } from '../../../../contract/protocol';

export type { Variant };

export const VARIANT_LABELS: Record<Variant, string> = {
  residual: 'residual (as written)',
  plain: 'plain twin (no shortcuts)',
  'no-bn': 'without BatchNormalization',
};

/** The model cannot have this twin; the message says why, for the user. */
export class TwinError extends Error {}

type NodeRef = [string, number, number, Record<string, unknown>?];
interface LayerJson { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: NodeRef[][] }
interface ModelJson { class_name: string; config: { name: string; layers: LayerJson[]; input_layers: NodeRef[]; output_layers: NodeRef[] } }

export interface TwinReport {
  model: tfType.LayersModel;
  /** Merge layers replaced by their branch (plain) or BatchNormalization layers taken out (no-bn). */
  removed: string[];
  /** Layers that only computed a projection shortcut, dropped with it. */
  projections: string[];
}

/** What the plain twin removes: per residual Add, the branch operand index (in the JSON node) and the shortcut. */
export function residualMerges(model: tfType.LayersModel): { merge: string; branch: number; identity: boolean }[] {
  const merges: { merge: string; branch: number; identity: boolean }[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Add') continue;
    if (layer.inboundNodes.length !== 1) {
      throw new TwinError(`The Add layer ${layer.name} is called ${layer.inboundNodes.length} times; a plain twin is built only for merges used once.`);
    }
    const split = shortcutSplit(inputsOf(firstOutput(layer)));
    if (split) merges.push({ merge: layer.name, branch: split.branch, identity: split.identity });
  }
  return merges;
}

/**
 * Builds the twin. The caller owns the returned model (dispose it); the original is untouched. Throws
 * TwinError when the model has nothing to take out (no additive shortcut, no BatchNormalization) or its
 * topology cannot be rebuilt (a nested model, a custom layer tfjs cannot deserialize).
 */
export async function buildTwin(tf: Tf, model: tfType.LayersModel, variant: Exclude<Variant, 'residual'>): Promise<TwinReport> {
  const nested = model.layers.find((l) => l instanceof tf.LayersModel);
  if (nested) throw new TwinError(`The model uses the model ${nested.name} as a layer; twins are built for flat functional models only.`);
  const json = model.toJSON(undefined, false) as unknown as ModelJson;
  if (!json.config || !Array.isArray(json.config.layers)) {
    throw new TwinError(`${model.name} is a ${json.class_name}, not a functional model with merges: there is nothing to take out.`);
  }
  // removed layer name -> the tensor its consumers read instead
  const replace = new Map<string, NodeRef>();
  const byName = new Map(json.config.layers.map((l) => [l.name, l]));
  if (variant === 'plain') {
    const merges = residualMerges(model);
    if (merges.length === 0) {
      const concat = model.layers.some((l) => l.getClassName() === 'Concatenate');
      throw new TwinError(`${model.name} has no additive shortcut (no Add layer whose operands are a branch and a shortcut of the same input)` +
        (concat ? '; its Concatenate merges keep the input as features rather than adding it back (DenseNet-style), so removing them changes the layers, not just the shortcut.' : '.'));
    }
    for (const m of merges) replace.set(m.merge, byName.get(m.merge)!.inbound_nodes[0][m.branch]);
  } else {
    for (const l of json.config.layers) {
      if (l.class_name !== 'BatchNormalization') continue;
      if (l.inbound_nodes.length !== 1) throw new TwinError(`The BatchNormalization layer ${l.name} is called ${l.inbound_nodes.length} times.`);
      replace.set(l.name, l.inbound_nodes[0][0]);
    }
    if (replace.size === 0) throw new TwinError(`${model.name} has no BatchNormalization layer to take out.`);
  }
  const resolve = (ref: NodeRef): NodeRef => {
    let r = ref;
    for (let hops = 0; replace.has(r[0]) && hops <= replace.size; hops++) r = replace.get(r[0])!;
    return r;
  };
  for (const l of json.config.layers) l.inbound_nodes = l.inbound_nodes.map((node) => node.map(resolve));
  json.config.output_layers = json.config.output_layers.map(resolve);

  // Keep what the outputs still read; the rest computed only shortcuts (projections) or removed layers.
  const live = new Set<string>();
  const stack = [...json.config.output_layers, ...json.config.input_layers].map((r) => r[0]);
  while (stack.length) {
    const name = stack.pop()!;
    if (live.has(name)) continue;
    live.add(name);
    for (const node of byName.get(name)?.inbound_nodes ?? []) for (const ref of node) stack.push(ref[0]);
  }
  const kept = json.config.layers.filter((l) => live.has(l.name));
  for (const l of kept) {
    const dangling = l.inbound_nodes.flat().find((ref) => !live.has(ref[0]));
    if (dangling) throw new TwinError(`The layer ${l.name} is shared with a removed part of the network (it reads ${dangling[0]}).`);
  }
  const dropped = json.config.layers.filter((l) => !live.has(l.name) && !replace.has(l.name)).map((l) => l.name);
  json.config.layers = kept;
  json.config.name = `${model.name}_${variant === 'plain' ? 'plain' : 'no_bn'}`;

  let twin: tfType.LayersModel;
  try {
    twin = await tf.models.modelFromJSON(json as unknown as Parameters<Tf['models']['modelFromJSON']>[0]);
  } catch (err) {
    throw new TwinError(`tfjs could not rebuild ${model.name} without its ${variant === 'plain' ? 'shortcuts' : 'BatchNormalization layers'}: ` +
      `${err instanceof Error ? err.message : String(err)} (custom layers must be registered with tf.serialization.registerClass).`);
  }
  try {
    for (const layer of twin.layers) {
      const source = model.getLayer(layer.name);
      if (layer.weights.length) layer.setWeights(source.getWeights());
    }
  } catch (err) {
    twin.dispose();
    throw new TwinError(`Could not copy the initial weights into the ${variant} twin: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { model: twin, removed: [...replace.keys()], projections: dropped };
}
