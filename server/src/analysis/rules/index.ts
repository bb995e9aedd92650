// The rules stage: every rule over the built graph, findings in source order (fixes come later, in fixes/).
import type { Graph } from '../graph/graph';
import { batchNormRules } from './batchnorm';
import type { RuleFinding } from './finding';
import { residualRules } from './residual';

/** Runs every rule over the graph; findings are sorted by file and position. */
export function runRules(graph: Graph): RuleFinding[] {
  const findings = [...residualRules(graph.apps), ...batchNormRules(graph.layers, graph.apps)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
