// A function's contract as its hover shows it: what the function needs of its arguments for its merges and
// layers to work, as the core derived it with the parameters as symbols ("requires `filters == x.shape[3]`").
// Every call site is checked against it, so the hover also says that silence inside the function is earned.
import * as path from 'node:path';
import type { Range } from '../analysis';
import { rangeKey } from './ranges';
import { originOf, symbolsIn } from './symbolicText';

/**
 * The core's ContractInfo/ContractCondition (analysis/types.ts), spelled out so the editor side compiles
 * before and after the core's AnalysisResult carries `contracts`.
 */
export interface ContractView {
  function: string;
  file: string;
  range: Range;
  requires: { text: string; when?: string; file: string; range: Range }[];
}

export function contractsOf(result: object): ContractView[] {
  return (result as { contracts?: ContractView[] }).contracts ?? [];
}

/** One contract per function, conditions from every analysis that saw it merged (each once). */
export function mergeContracts(contracts: ContractView[]): ContractView[] {
  const byFunction = new Map<string, ContractView>();
  for (const c of contracts) {
    const key = `${c.function}|${rangeKey(c.range)}`;
    const prev = byFunction.get(key);
    const requires = [...(prev?.requires ?? []), ...c.requires];
    const distinct = [...new Map(requires.map((r) => [`${r.text}|${r.when ?? ''}|${rangeKey(r.range)}`, r])).values()];
    byFunction.set(key, { ...c, requires: distinct });
  }
  return [...byFunction.values()];
}

export function contractText(c: ContractView): string {
  const where = (r: ContractView['requires'][number]) => {
    const file = r.file === c.file ? '' : ` in ${path.basename(r.file)}`;
    return `line ${r.range.start.line + 1}${file}${r.when ? `, when \`${r.when}\`` : ''}`;
  };
  const lines = [`**${c.function}** requires:`, ...c.requires.map((r) => `- \`${r.text}\` (${where(r)})`)];
  const origins = [...new Set(c.requires.flatMap((r) => symbolsIn(`${r.text} ${r.when ?? ''}`)))]
    .filter((s) => /[.[]/.test(s))
    .map((s) => `\`${s}\` is ${originOf(s)}`);
  if (origins.length) lines.push('', origins.join(', '));
  lines.push('', 'Each call is checked against this; a call that breaks it gets the finding.');
  return lines.join('\n');
}
