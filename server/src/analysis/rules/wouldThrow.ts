// tfjs-would-throw: calls tfjs itself refuses while the model is being built, reported with tfjs's own
// message: a factory tf.layers does not have, a factory called without the config it requires, a layer
// applied to a tensor of the wrong rank, a merge with too few operands or of ranks that cannot broadcast.
// Only when certain: every shape involved is known and none is a guess made after an earlier error.
import type { Application, BuildThrow } from '../graph/graph';
import type { Dim, Shape } from '../types';
import { rangeOf } from '../syntax/text';
import type { RuleFinding } from './finding';

const ELEMENTWISE = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum']);

export function wouldThrowRules(throws: readonly BuildThrow[], apps: readonly Application[]): RuleFinding[] {
  const seen = new Set<string>();
  const findings: RuleFinding[] = [];
  const report = (t: BuildThrow) => {
    // A helper called several times refuses at the same place for the same reason: one finding.
    const key = `${t.at.file}:${t.at.node.pos}:${t.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ rule: 'tfjs-would-throw', message: `tfjs would throw here: ${t.message}`, file: t.at.file, range: rangeOf(t.at.sf, t.at.node) });
  };
  for (const t of throws) report(t);
  for (const app of apps) {
    const message = applyError(app);
    if (message) report({ message, at: app.at, stack: app.stack });
  }
  return findings;
}

/** tfjs's message when applying this layer to these inputs throws for certain (rank checks, merge ranks). */
function applyError(app: Application): string | undefined {
  const shapes = app.inputs.map((t) => t.shape);
  if (app.inputs.some((t) => t.recovered) || shapes.some((s) => s === undefined)) return undefined;
  const known = shapes as Shape[];
  const { spec } = app.layer;
  if (!spec || app.layer.model || app.layer.customShape) return undefined;
  const broken = brokenSize(app, known);
  if (broken) return broken;
  if (spec.rank && known.length === 1) {
    // The catalogue's first complaint must be the rank: a broken config would make tfjs say something else.
    if (!app.error?.startsWith('Input 0 is incompatible')) return undefined;
    const rank = known[0].length;
    const name = typeof app.layer.config.name === 'string' ? app.layer.config.name : tfjsName(app.layer.className);
    if (spec.rank.ndim !== undefined && rank !== spec.rank.ndim) return `Input 0 is incompatible with layer ${name}: expected ndim=${spec.rank.ndim}, found ndim=${rank}`;
    if (spec.rank.minNDim !== undefined && rank < spec.rank.minNDim) return `Input 0 is incompatible with layer ${name}: expected min_ndim=${spec.rank.minNDim}, found ndim=${rank}.`;
    return undefined;
  }
  // Merges of equal ranks are residual-shape-mismatch's; different ranks are reported here.
  if (spec.kind !== 'merge' || known.length < 2 || known.every((s) => s.length === known[0].length)) return undefined;
  if (ELEMENTWISE.has(app.layer.className)) return broadcastError(known);
  if (app.layer.className === 'Concatenate') {
    return `A \`Concatenate\` layer requires inputs with matching shapes except for the concat axis. Got input shapes: ${JSON.stringify(known)}`;
  }
  return undefined;
}

/**
 * A Reshape whose element counts differ: with a None batch size tfjs builds it and throws once data flows
 * (at predict or fit); without one it throws while building. Only with every input dim a number or None
 * (never symbolic), so the failure is certain. (A window that does not fit gives tfjs a negative size too,
 * but its pure-JS backend then runs and returns an empty tensor rather than throwing: not reported here.)
 */
function brokenSize(app: Application, known: Shape[]): string | undefined {
  const error = app.error;
  if (!error || known.length !== 1 || !known[0].every((d) => d === null || typeof d === 'number')) return undefined;
  if (!/^Reshape cannot turn input .*: total size of new array must be unchanged\.$/.test(error)) return undefined;
  const atRun = known[0].some((d) => d === null);
  return atRun ? `${error} tfjs builds the model (its batch size is None) and throws at predict or fit.` : error;
}

/**
 * tfjs Merge.computeElementwiseOpOutputShape folded over the operands without their batch axis: the first
 * pair that cannot broadcast, in tfjs's words; undefined when none clashes or an unknown dim decides it.
 */
function broadcastError(shapes: Shape[]): string | undefined {
  let acc: Dim[] = shapes[0].slice(1);
  for (const next of shapes.slice(1)) {
    const [long, short] = acc.length < next.length - 1 ? [next.slice(1), acc] : [acc, next.slice(1)];
    const out = long.slice(0, long.length - short.length);
    for (let k = 0; k < short.length; k++) {
      const i = long[long.length - short.length + k];
      const j = short[k];
      // An unknown or symbolic dim decides whether it throws: not certain.
      if (i === undefined || j === undefined || typeof i === 'string' || typeof j === 'string') return undefined;
      if (i === null || j === null || i < 0 || j < 0) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else if (i !== j) return `Operands could not be broadcast together with shapes ${JSON.stringify(long)} ${JSON.stringify(short)}`;
      else out.push(i);
    }
    acc = out;
  }
  return undefined;
}

/** The prefix of tfjs's automatic layer names (conv2d_Conv2D1, max_pooling2d_MaxPooling2D1). */
function tfjsName(className: string): string {
  return className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
