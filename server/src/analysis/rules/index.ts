// The rules stage: every rule over the built graph, findings in source order (fixes come later, in fixes/).
import type { Application, Graph } from '../graph/graph';
import { batchNormRules } from './batchnorm';
import type { RuleFinding } from './finding';
import { residualRules } from './residual';
import { symbolicFindings } from './symbolic';
import type { AppInfo } from '../interp/symbolicSession';

/**
 * Runs every rule over the graph; findings are sorted by file and position. Applications from symbolic runs
 * (functions analysed without a caller) only give findings proven for every value of their symbols.
 */
export function runRules(graph: Graph, symbolic: ReadonlyMap<Application, AppInfo> = new Map()): RuleFinding[] {
  const concrete = symbolic.size ? graph.apps.filter((a) => !symbolic.has(a)) : graph.apps;
  const findings = [...residualRules(concrete), ...batchNormRules(graph.layers, graph.apps)];
  if (symbolic.size) findings.push(...symbolicFindings(graph.apps.filter((a) => symbolic.has(a)), symbolic, findings));
  return dedupe(findings).sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** One finding per rule and place: a layer seen by a concrete and a symbolic run is reported once. */
function dedupe(findings: RuleFinding[]): RuleFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}|${f.file}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
