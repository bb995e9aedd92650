// The rules stage: every rule over the built graph, findings in source order (fixes come later, in fixes/).
import type { Application, Graph } from '../graph/graph';
import { batchNormRules } from './batchnorm';
import type { RuleFinding } from './finding';
import { residualRules } from './residual';
import { wouldThrowRules } from './wouldThrow';
import { symbolicFindings } from './symbolic';
import type { AppInfo } from '../interp/symbolicSession';

/**
 * Runs every rule over the graph; findings are sorted by file and position. Applications from symbolic runs
 * (functions analysed without a caller) only give findings proven for every value of their symbols.
 */
export function runRules(graph: Graph, symbolic: ReadonlyMap<Application, AppInfo> = new Map()): RuleFinding[] {
  const concrete = symbolic.size ? graph.apps.filter((a) => !symbolic.has(a)) : graph.apps;
  // tfjs-would-throw needs exact ranks: only concrete applications (a symbolic run's refused factories count).
  const findings = [...residualRules(concrete), ...batchNormRules(graph.layers, graph.apps, symbolic), ...wouldThrowRules(graph.throws, concrete)];
  if (symbolic.size) findings.push(...symbolicFindings(graph.apps.filter((a) => symbolic.has(a)), symbolic, findings));
  for (const f of findings) if (f.rule === 'residual-shape-mismatch') f.message = explainDynamic(f.message);
  return dedupe(findings).sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Says what a dynamic symbol is when a message uses one (`in12.shape[1]`: a None size of an input). */
function explainDynamic(message: string): string {
  const lines = [...new Set([...message.matchAll(/\bin(\d+)\.shape\[\d+\]/g)].map((m) => m[1]))];
  if (lines.length === 0) return message;
  return `${message} Here in${lines[0]}.shape[i] are the None sizes of the input at line ${lines.join(', ')}: tfjs builds this model ` +
    'but fails when it runs.';
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
