import type { Graph } from '../graph';
import type { Finding } from '../types';
import { batchNormRules } from './batchnorm';
import { residualRules } from './residual';

/** Runs every rule over the graph; findings are sorted by file and position. */
export function runRules(graph: Graph): Finding[] {
  const findings = [...residualRules(graph.apps), ...batchNormRules(graph.layers, graph.apps)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
