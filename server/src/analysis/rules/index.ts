import type * as ts from 'typescript';
import type { Graph } from '../graph';
import type { Finding } from '../types';
import { batchNormRules } from './batchnorm';
import { residualRules } from './residual';

/** Runs every rule over the graph; findings are sorted by file and position. */
export function runRules(graph: Graph, _sourceOf: (file: string) => ts.SourceFile | undefined): Finding[] {
  const findings = [...residualRules(graph.apps), ...batchNormRules(graph.layers, graph.apps)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
