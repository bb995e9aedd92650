// What the interpreter's helpers (the tfjs model in tfjs.ts) need from the interpreter that runs them.
// Declared apart so that the interpreter depends on its helpers and never the other way round.
import type * as ts from 'typescript';
import type { CallFrame, Graph } from '../graph/graph';
import type { ModuleRecord } from './modules';
import type { Value } from './values';
import type { SymbolicSession } from './symbolicSession';

export interface Machine {
  readonly graph: Graph;
  readonly modules: ReadonlyMap<string, ModuleRecord>;
  /** Things the analysis gave up on, for logs. */
  readonly notes: string[];
  /** Helper calls currently running, outermost first. */
  readonly stack: readonly CallFrame[];
  /** Name of the entry point being run. */
  readonly currentEntry: string | undefined;
  call(callee: Value, args: Value[], thisValue: Value, node: ts.CallExpression | ts.NewExpression): Value;
  /** Counts `n` steps of work against the step budget. */
  charge(n: number): void;
  getMember(obj: Value, key: string): Value;
  /** The current symbolic run (function analysed without a caller), if any. */
  readonly symbolic: SymbolicSession;
}
