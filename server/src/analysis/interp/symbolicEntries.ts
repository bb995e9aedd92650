// Every function of a file as an entry point: functions, arrows and function expressions bound at the top
// level, classes (constructor, methods, static methods), exported or not, called or not. Each is run with
// symbolic arguments (symbolic/params.ts), once per path through its branches on symbols: the run records
// its decisions, and the next run replays a prefix of them and takes the other direction at the last
// undecided branch (depth-first), up to a bound.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { ClassValue, Fn, type Value } from './values';
import type { Interpreter } from './interpreter';
import type { ModuleRecord } from './modules';
import { isStatic, propText } from '../syntax/ast';
import { symbolicArgs, symbolicObject } from './symbolicParams';

/** Paths per function; past it the remaining paths are not analysed (a note says so). */
export const MAX_PATHS = 16;

export interface SymbolicEntry {
  /** As shown to users: `block`, `ResNet.build`, `new ResNet`. */
  name: string;
  node: ts.FunctionLikeDeclaration;
  run(it: Interpreter): Value;
  /** Runs under assumptions made outside the function (a closure made on one path of its enclosing function). */
  conditional?: boolean;
}

/** Functions of the module worth a symbolic run: those with a body, not already run as concrete entries. */
export function symbolicEntries(_it: Interpreter, mod: ModuleRecord, skip: ReadonlySet<ts.Node>): SymbolicEntry[] {
  const out: SymbolicEntry[] = [];
  const seen = new Set<ts.Node>(skip);
  const addFn = (name: string, v: Value) => {
    if (!(v instanceof Fn) || seen.has(v.node) || !v.node.body || v.node.asteriskToken) return;
    seen.add(v.node);
    out.push({ name, node: v.node, run: (i) => i.call(v, symbolicArgs(i, v.node), undefined, v.node as unknown as ts.CallExpression) });
  };
  const addClass = (name: string, cls: ClassValue) => {
    if (seen.has(cls.node)) return;
    seen.add(cls.node);
    const ctor = cls.node.members.find((m): m is ts.ConstructorDeclaration => tsApi.isConstructorDeclaration(m) && !!m.body);
    if (ctor) {
      seen.add(ctor);
      out.push({ name: `new ${name}`, node: ctor, run: (i) => i.construct(cls, symbolicArgs(i, ctor), ctor as unknown as ts.NewExpression) });
    }
    for (const m of cls.node.members) {
      if (!tsApi.isMethodDeclaration(m) || !m.body || m.asteriskToken || seen.has(m)) continue;
      const key = propText(m.name);
      if (key === undefined) continue;
      seen.add(m);
      const fn = new Fn(m, cls.scope, cls.mod, undefined, cls);
      const thisFor = (): Value => (isStatic(m) ? cls : symbolicObject('this', cls));
      out.push({ name: `${name}.${key}`, node: m, run: (i) => i.call(fn, symbolicArgs(i, m), thisFor(), m as unknown as ts.CallExpression) });
    }
  };
  for (const st of mod.sf.statements) {
    if (tsApi.isFunctionDeclaration(st) && st.name) addFn(st.name.text, mod.scope.get(st.name.text));
    else if (tsApi.isFunctionDeclaration(st)) addFn('default', mod.exports.get('default'));
    else if (tsApi.isClassDeclaration(st)) {
      const v = st.name ? mod.scope.get(st.name.text) : mod.exports.get('default');
      if (v instanceof ClassValue) addClass(st.name?.text ?? 'default', v);
    } else if (tsApi.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!tsApi.isIdentifier(d.name)) continue;
        const v = mod.scope.get(d.name.text);
        if (v instanceof ClassValue) addClass(d.name.text, v);
        else addFn(d.name.text, v);
      }
    }
  }
  return out;
}

/** Nested functions analysed per file at most (each is one more symbolic entry). */
const MAX_NESTED = 64;

/**
 * Functions created inside other functions of this module that nothing called (a helper declared in a
 * builder and not used yet, an arrow bound to a local): entries of their own, run in the closure the
 * enclosing function's run left (its symbols, its values), under what that run's path had assumed.
 */
export function nestedEntries(it: Interpreter, mod: ModuleRecord, done: Set<ts.Node>): SymbolicEntry[] {
  const out: SymbolicEntry[] = [];
  for (const [node, { fn, outer, assumptions }] of it.symbolic.closures) {
    if (out.length >= MAX_NESTED) break;
    if (done.has(node) || it.symbolic.called.has(node) || fn.mod !== mod || !fn.node.body || fn.node.asteriskToken) continue;
    done.add(node);
    const own = fn.node.name && tsApi.isIdentifier(fn.node.name) ? fn.node.name.text
      : tsApi.isVariableDeclaration(fn.node.parent) && tsApi.isIdentifier(fn.node.parent.name) ? fn.node.parent.name.text : undefined;
    if (own === undefined) continue; // a callback handed to code the analyzer cannot see: not a helper
    out.push({
      name: `${outer}.${own}`,
      node: fn.node,
      conditional: assumptions.length > 0,
      run: (i) => {
        for (const a of assumptions) i.symbolic.assume(a);
        return i.call(fn, symbolicArgs(i, fn.node), undefined, fn.node as unknown as ts.CallExpression);
      },
    });
  }
  return out;
}

/**
 * Runs an entry once per path (depth-first over branch decisions). `each` wraps one run (budget, errors).
 * Returns how many paths were left unexplored.
 */
export function runPaths(it: Interpreter, entry: SymbolicEntry, each: (run: () => void) => void): number {
  const pending: boolean[][] = [[]];
  let done = 0;
  it.symbolic.startRoot();
  while (pending.length > 0 && done < MAX_PATHS) {
    const prefix = pending.pop()!;
    it.symbolic.startPath(entry.name, prefix);
    let taken: boolean[] = prefix;
    try {
      each(() => { entry.run(it); });
    } finally {
      taken = it.symbolic.endPath();
    }
    done++;
    // Every decision made past the replayed prefix has an unexplored other direction.
    for (let i = taken.length - 1; i >= prefix.length; i--) pending.push([...taken.slice(0, i), !taken[i]]);
  }
  return pending.length;
}
