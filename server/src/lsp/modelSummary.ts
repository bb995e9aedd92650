// A model's summary as a hover shows it on `tf.model(...)`, `tf.sequential(...)` or its builder's name: the
// layers tfjs would build with their output shapes and parameter counts, like model.summary() prints.
// Shapes may be symbolic (`⌈H/2⌉`) when the builder's sizes are parameters.
import type { Dim, ModelInfo, Shape } from '../analysis';
import { formatShape } from './shapes';
import { aliasesFor, legend } from './symbolicText';

/** Rows shown before the rest is summarised by class: a ResNet-50 has ~175 layers. */
const MAX_ROWS = 24;

function count(n: Dim | null): string {
  if (n === null || n === undefined) return 'unknown';
  return typeof n === 'number' ? n.toLocaleString('en-US') : n;
}

const outputs = (shape: Shape | Shape[] | null): Shape[] =>
  !shape ? [] : shape.length > 0 && Array.isArray(shape[0]) ? (shape as Shape[]) : [shape as Shape];

function outputOf(shape: Shape | Shape[] | null, aliases: Map<string, string>): string {
  return shape ? outputs(shape).map((s) => formatShape(s, aliases)).join(' ') : '?';
}

export function modelSummary(model: ModelInfo): string {
  const params = model.paramCount === null ? 'params unknown' : `${count(model.paramCount)} params`;
  const cut = model.partial ? ` · partial: ${model.partial}, the layers built up to there` : '';
  const note = model.note ? ` · ${model.note}` : '';
  const lines = [`**Model \`${model.name}\`** (${model.kind}) · ${model.layers.length} layers · ${params}${cut}${note}`];
  // A builder analysed without a caller has symbolic sizes: named as in hovers, and explained once.
  const aliases = aliasesFor([...model.inputShapes, ...model.outputShapes, ...model.layers.flatMap((l) => outputs(l.outputShape))]);
  const shapes = (list: Shape[]) => list.map((s) => `\`${formatShape(s, aliases)}\``).join(', ') || '?';
  if (model.inputShapes.length || model.outputShapes.length) lines.push(`inputs ${shapes(model.inputShapes)} → outputs ${shapes(model.outputShapes)}`);
  if (aliases.size) lines.push(`where ${legend(aliases).join(', ')}`);
  const rows = model.layers.slice(0, MAX_ROWS).map((l, i) => `| ${i + 1} | ${l.className} | \`${outputOf(l.outputShape, aliases)}\` | ${count(l.paramCount)} |`);
  const table = ['', '| # | layer | output | params |', '|--:|---|---|--:|', ...rows];
  const rest = model.layers.slice(MAX_ROWS);
  if (rest.length > 0) {
    const byClass = new Map<string, number>();
    for (const l of rest) byClass.set(l.className, (byClass.get(l.className) ?? 0) + 1);
    const kinds = [...byClass].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ×${n}`).join(', ');
    table.push('', `… and ${rest.length} more: ${kinds}`);
  }
  return [lines.join('  \n'), ...(model.layers.length ? [table.join('\n')] : [])].join('\n');
}

/** One summary per distinct model built at a place (a builder called with different sizes builds several). */
export function modelSummaries(models: ModelInfo[], max = 2): string {
  const distinct = [...new Map(models.map((m) => [JSON.stringify([m.layers, m.inputShapes, m.paramCount]), m])).values()];
  const shown = distinct.slice(0, max).map(modelSummary);
  if (distinct.length > max) shown.push(`… built ${distinct.length - max} more ways`);
  return shown.join('\n\n---\n\n');
}
