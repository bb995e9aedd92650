// Turns a recorded step into a TensorFlow graph: variables and fed batch tensors become placeholders,
// tensors from JavaScript and from before the step become constants, and every recorded op becomes a node
// with the same attributes. Only what the fetched tensors (read-backs and new variable values) depend on
// is built; tfjs computes some values it never uses.
import { ATTR, type GraphAddon, type Graph, type OutputRef, type GraphAttr, type TensorValue } from './addon';
import { parseOpDef, type InputArg } from './opDef';
import type { Ref, StepTrace, TracedOp } from './trace';

export interface BuiltGraph {
  graph: Graph;
  /** Placeholder of each external that is a variable or a feed, by external index. */
  placeholders: Map<number, OutputRef>;
  /** The trace's reads, then its updates, in order. */
  fetches: OutputRef[];
  /** Nodes in the graph. */
  nodes: number;
}

export class GraphBuildError extends Error {}

export function buildGraph(addon: GraphAddon, trace: StepTrace): BuiltGraph {
  const graph = addon.newGraph();
  const needed = neededOps(trace);
  const placeholders = new Map<number, OutputRef>();
  const externalRefs = new Map<number, OutputRef>();
  const constRefs = new Map<number, OutputRef>();
  const opIndex = new Map<number, number>();
  const argsOf = new Map<string, InputArg[]>();
  let nodes = 0;
  const add = (type: string, name: string, inputs: (OutputRef | OutputRef[])[], attrs: GraphAttr[]): number => {
    nodes++;
    try {
      return addon.addOp(graph, type, name, inputs, attrs);
    } catch (err) {
      throw new GraphBuildError(`TensorFlow refused ${type} in the graph: ${(err as Error).message}`);
    }
  };
  const constant = (name: string, value: TensorValue): OutputRef => ({
    op: add('Const', name, [], [
      { name: 'dtype', type: ATTR.TYPE, value: value.dtype },
      { name: 'value', type: ATTR.TENSOR, value },
    ]),
    index: 0,
  });
  const output = (ref: Ref): OutputRef => {
    if (ref.kind === 'out') {
      const op = opIndex.get(ref.op);
      if (op === undefined) throw new GraphBuildError(`op ${ref.op} is used before it is built`);
      return { op, index: ref.index };
    }
    if (ref.kind === 'const') {
      let out = constRefs.get(ref.index);
      if (!out) constRefs.set(ref.index, out = constant(`const_${ref.index}`, trace.consts[ref.index]));
      return out;
    }
    let out = externalRefs.get(ref.index);
    if (!out) {
      const ext = trace.externals[ref.index];
      if (ext.kind === 'captured') out = constant(`captured_${ref.index}`, ext.value);
      else {
        out = { op: add('Placeholder', `${ext.kind}_${ref.index}`, [], [
          { name: 'dtype', type: ATTR.TYPE, value: ext.dtype },
          { name: 'shape', type: ATTR.SHAPE, value: ext.shape },
        ]), index: 0 };
        placeholders.set(ref.index, out);
      }
      externalRefs.set(ref.index, out);
    }
    return out;
  };

  trace.ops.forEach((op, i) => {
    if (!needed.has(i)) return;
    let args = argsOf.get(op.type);
    if (!args) {
      try {
        args = parseOpDef(addon.opDef(graph, op.type)).inputs;
      } catch (err) {
        throw new GraphBuildError(`TensorFlow has no op ${op.type}: ${(err as Error).message}`);
      }
      argsOf.set(op.type, args);
    }
    const flat = op.inputs.map(output);
    opIndex.set(i, add(op.type, `op_${i}_${op.type}`, groupInputs(op, args, flat), op.attrs));
  });
  const fetches = [...trace.reads, ...trace.updates.map((u) => u.value)].map(output);
  return { graph, placeholders, fetches, nodes };
}

/** Indices of the ops the reads and updates depend on. */
function neededOps(trace: StepTrace): Set<number> {
  const needed = new Set<number>();
  const stack = [...trace.reads, ...trace.updates.map((u) => u.value)].filter((r) => r.kind === 'out').map((r) => (r as { op: number }).op);
  while (stack.length) {
    const op = stack.pop()!;
    if (needed.has(op)) continue;
    needed.add(op);
    for (const r of trace.ops[op].inputs) if (r.kind === 'out' && !needed.has(r.op)) stack.push(r.op);
  }
  return needed;
}

/**
 * Splits an op's flat inputs into its OpDef's arguments: a list argument takes as many as its length attr
 * says (N for ConcatV2), or, when that attr is not set, whatever the single-tensor arguments leave.
 */
export function groupInputs<T>(op: TracedOp, args: InputArg[], flat: T[]): (T | T[])[] {
  const lengthOf = (arg: InputArg): number | undefined => {
    const attr = op.attrs.find((a) => a.name === (arg.numberAttr ?? arg.typeListAttr));
    if (!attr) return undefined;
    return Array.isArray(attr.value) ? attr.value.length : typeof attr.value === 'number' && arg.numberAttr ? attr.value : undefined;
  };
  const isList = (arg: InputArg) => !!(arg.numberAttr || arg.typeListAttr);
  const known = args.map((arg) => (isList(arg) ? lengthOf(arg) : 1));
  const unknown = known.filter((n) => n === undefined).length;
  if (unknown > 1) throw new GraphBuildError(`${op.type}: cannot tell how its ${flat.length} inputs split into ${args.length} arguments`);
  const fixed = known.reduce<number>((s, n) => s + (n ?? 0), 0);
  const rest = flat.length - fixed;
  if (rest < 0 || (unknown === 0 && rest !== 0)) {
    throw new GraphBuildError(`${op.type}: ${flat.length} inputs do not fit its ${args.length} arguments`);
  }
  const grouped: (T | T[])[] = [];
  let pos = 0;
  args.forEach((arg, i) => {
    const n = known[i] ?? rest;
    if (isList(arg)) grouped.push(flat.slice(pos, pos + n));
    else grouped.push(flat[pos]);
    pos += n;
  });
  return grouped;
}
