// The symbolic interpreter: runs model-building code over Values, with a step budget, building the Graph.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { AnalysisHost } from '../types';
import { Graph, type CallFrame, type SourceRef, TensorNode, LayerInstance, ModelRecord } from '../graph/graph';
import { ClassValue, Fn, Native, Obj, UNKNOWN, type NativeCall, type Value, propertyKey, truthy } from './values';
import { Scope } from './scope';
import { ModuleRecord, candidatePaths, isTfjsSpecifier, parse } from './modules';
import { binaryOp, unaryOp } from './operators';
import { MAX_STRING, builtinGlobals, primitiveMember } from './builtins';
import { TfApi } from './tfjs';
import { SymbolicSession } from './symbolicSession';
import { widenLoop } from './symbolicLoops';
import { SymCond } from '../symbolic/cond';
import { SymNum } from '../symbolic/value';
import { isSymbolicObject, symbolicMember } from './symbolicParams';
import { StacklessError } from '../syntax/stackless';
import type { Machine } from './machine';
import { effects } from './havoc';
import { UNKNOWN_KEYS, forgetArray, forgetObject, forgetReachable, isAccessor, isForgotten, isFrozen, known, markAccessor } from './forget';
import { boundNames, containsReturn, escapingJumps, isSloppyScript, hasExport, isDefault, isParameterPropertyModifier, isStatic, isVarList, labelsOf, propText, skipOuter, varNames } from '../syntax/ast';

/** The user's program threw: ends the current entry point, like it would end the real run. */
export class UserThrow extends StacklessError { constructor() { super('user code threw'); } }
/** The step budget ran out (a huge loop, deep recursion): ends the current entry point. */
export class BudgetExceeded extends StacklessError { constructor() { super('step budget exceeded'); } }

type Completion =
  | undefined
  | { kind: 'return'; value: Value }
  | { kind: 'break'; label?: string }
  | { kind: 'continue'; label?: string }
  /** A break/continue/return inside code that was skipped (unknown condition): where control goes is unknown. */
  | { kind: 'uncertain' };

const MAX_CALL_DEPTH = 60;
/** The largest array index JS has (2^32 - 2); larger numeric keys are plain properties. */
const MAX_ARRAY_INDEX = 4294967294;
/**
 * How many entry points' worth of steps one analysis may spend in total: room for one runaway entry point
 * and everything else. The largest realistic file seen (a 1000-line library of helpers, each analysed
 * symbolically on every path) takes about 80k steps in all; each further budget a hostile file could burn
 * was a few hundred more milliseconds.
 */
const WHOLE_FILE_BUDGETS = 2;

/**
 * Runs the user's model-building code symbolically: every value the program could compute without I/O is
 * computed, everything else is UNKNOWN, and tfjs calls build a Graph instead of tensors. Never executes
 * user code for real.
 */
export class Interpreter implements Machine {
  readonly graph = new Graph();
  readonly notes: string[] = [];
  readonly modules = new Map<string, ModuleRecord>();
  readonly tf: TfApi;
  readonly globals: Scope;
  /** Helper calls currently running, outermost first. */
  stack: CallFrame[] = [];
  /** Name of the entry point being run, for attributing models to builders. */
  currentEntry: string | undefined;
  /** Variables that hold a symbolic tensor, for hovers and inlay hints. */
  readonly tensorVars: { at: SourceRef; name: string; tensor: TensorNode; symbolic?: boolean }[] = [];
  private steps = 0;
  private stepLimit = 0;
  /** How many try statements with a catch clause are running: a throw there goes to the catch. */
  private catching = 0;
  /** Counts calls to code the analyzer cannot see, any of which may have thrown. */
  private unseenCalls = 0;
  /** Symbolic runs: the current path's decisions and facts, and what each application needed. */
  readonly symbolic = new SymbolicSession();
  /** When set, every user function and class entered is added (what a run's results depend on). */
  touched: Set<ts.Node> | undefined;

  constructor(private readonly host: AnalysisHost, private readonly maxSteps: number) {
    this.globals = new Scope(undefined);
    this.tf = new TfApi(this);
    for (const [name, v] of builtinGlobals()) this.globals.declare(name, v);
  }

  // ---------------------------------------------------------------- modules and entry points

  loadModule(file: string, text: string): ModuleRecord {
    const existing = this.modules.get(file);
    if (existing) return existing;
    const mod = new ModuleRecord(file, parse(file, text), this.globals);
    this.modules.set(file, mod);
    return mod;
  }

  /** Runs a module's top level once; a cycle sees the partially initialised exports, as in JS. */
  runModule(mod: ModuleRecord): void {
    if (mod.state !== 'new') return;
    mod.state = 'running';
    // CommonJS: `module.exports = {...}` and `exports.f = ...` become the module's exports.
    const cjsExports = new Obj();
    const cjsModule = new Obj();
    cjsModule.props.set('exports', cjsExports);
    mod.scope.declare('module', cjsModule);
    mod.scope.declare('exports', cjsExports);
    try {
      this.hoistVars(mod.sf, mod.scope);
      this.hoist(mod.sf.statements, mod.scope, mod);
      for (const st of mod.sf.statements) {
        const c = this.execStmt(st, mod.scope, mod);
        if (c) break;
      }
    } finally {
      mod.state = 'done';
      const final = cjsModule.props.get('exports');
      if (final instanceof Obj) for (const [k, v] of final.props) this.exportBinding(mod, k, v);
      else if (final instanceof Fn) this.exportBinding(mod, 'default', final);
    }
  }

  /**
   * A fresh budget for the next entry point, within a cap for the whole analysis so that a file full of
   * runaway entry points stays bounded too.
   */
  resetBudget(fraction = 1): void {
    this.stepLimit = Math.min(this.steps + Math.ceil(this.maxSteps * fraction), this.maxSteps * WHOLE_FILE_BUDGETS);
    this.catching = 0;
  }

  /**
   * Something JS would throw for (reading a property of null, calling undefined, writing a frozen object
   * in strict code). Inside a try with a catch the catch runs, as it would; elsewhere the analyzer stays
   * quiet and goes on with UNKNOWN, since a crash at that point is not what the user is asking about.
   */
  private implicitThrow(): void {
    if (this.catching > 0) throw new UserThrow();
  }

  /** Steps spent so far by the whole analysis, and the most it may spend. */
  get stepsUsed(): number { return this.steps; }
  get stepCap(): number { return this.maxSteps * WHOLE_FILE_BUDGETS; }

  /** The whole analysis has spent its steps: nothing further can run (symbolic/phase stops there). */
  budgetSpent(): boolean {
    return this.steps >= this.maxSteps * WHOLE_FILE_BUDGETS;
  }

  private tick(): void {
    if (++this.steps > this.stepLimit) throw new BudgetExceeded();
  }

  /** Work proportional to a size (copying an array, building a string) costs that many steps. */
  charge(n: number): void {
    if (this.steps + n > this.stepLimit) {
      // A single huge charge (a length of 1e9) ends this entry point, not the budget of the ones after it.
      this.steps = this.stepLimit + 1;
      throw new BudgetExceeded();
    }
    this.steps += n;
  }

  private nativeCall(node: ts.CallExpression | ts.NewExpression, thisValue: Value): NativeCall {
    return { node, thisValue, invoke: (f, a) => this.call(f, a, undefined, node), charge: (n) => this.charge(n) };
  }

  resolveImport(fromFile: string, spec: string): ModuleRecord | undefined {
    for (const candidate of candidatePaths(fromFile, spec)) {
      const cached = this.modules.get(candidate);
      if (cached) return cached;
      let text: string | undefined;
      try {
        text = this.host.readFile(candidate);
      } catch (e) {
        // The host refused the file (outside the workspace, not a regular file, too large): say why.
        if (e instanceof Error) this.notes.push(`import '${spec}' from ${fromFile}: ${e.message}`);
        text = undefined;
      }
      if (text !== undefined) {
        const mod = this.loadModule(candidate, text);
        this.runModule(mod);
        return mod;
      }
    }
    this.notes.push(`could not resolve '${spec}' from ${fromFile}`);
    return undefined;
  }

  /** The value a module specifier evaluates to (tfjs namespace, a user module's exports, or UNKNOWN). */
  private moduleNamespace(spec: string, mod: ModuleRecord): { get(name: string): Value; ns: Value } {
    if (isTfjsSpecifier(spec)) return { get: (n) => this.tf.namespaceMember(n), ns: this.tf.namespace };
    if (spec.startsWith('.')) {
      const target = this.resolveImport(mod.file, spec);
      if (target) {
        const obj = new Obj();
        for (const [k, v] of target.exports) obj.props.set(k, v);
        return { get: (n) => (target.exports.has(n) ? target.exports.get(n) : UNKNOWN), ns: obj };
      }
    }
    return { get: () => UNKNOWN, ns: UNKNOWN };
  }

  private hoist(statements: readonly ts.Statement[], scope: Scope, mod: ModuleRecord): void {
    for (const st of statements) {
      if (!tsApi.isFunctionDeclaration(st) || !st.body) continue;
      const fn = new Fn(st, scope, mod, undefined);
      if (scope !== mod.scope) this.noteClosure(fn);
      if (st.name) scope.declare(st.name.text, fn);
      // `export default function () {}` has no name to declare but is still the module's default export.
      if (hasExport(st) && (st.name || isDefault(st))) this.exportBinding(mod, isDefault(st) ? 'default' : st.name!.text, fn);
    }
  }

  /** `var` bindings belong to the whole function (or module) and exist, undefined, before their statement runs. */
  private hoistVars(body: ts.Node, scope: Scope): void {
    for (const name of varNames(body)) if (!scope.hasOwn(name)) scope.declare(name, undefined);
  }

  private exportBinding(mod: ModuleRecord, name: string, v: Value): void {
    if (!mod.exports.has(name)) mod.exportOrder.push(name);
    mod.exports.set(name, v);
  }

  /** JS truthiness; a condition on symbols is decided by the current path (forking it), else UNKNOWN. */
  truth(v: Value): boolean | typeof UNKNOWN {
    if (v instanceof SymCond) return this.symbolic.decide(v) ?? UNKNOWN;
    return truthy(v);
  }

  // ---------------------------------------------------------------- statements

  execBlock(statements: readonly ts.Statement[], scope: Scope, mod: ModuleRecord): Completion {
    this.hoist(statements, scope, mod);
    for (const st of statements) {
      const c = this.execStmt(st, scope, mod);
      if (c) return c;
    }
    return undefined;
  }

  execStmt(node: ts.Statement, scope: Scope, mod: ModuleRecord): Completion {
    this.tick();
    switch (node.kind) {
      case tsApi.SyntaxKind.VariableStatement: {
        const st = node as ts.VariableStatement;
        const exported = hasExport(st);
        // `declare const x: T` is provided by the environment: its value is unknown, not undefined.
        const ambient = tsApi.getModifiers(st)?.some((m) => m.kind === tsApi.SyntaxKind.DeclareKeyword);
        const isVar = isVarList(st.declarationList);
        for (const d of st.declarationList.declarations) {
          if (isVar && !d.initializer && !ambient) continue; // `var x;` keeps the hoisted binding's value
          const v = d.initializer ? this.evalExpr(d.initializer, scope, mod) : ambient ? UNKNOWN : undefined;
          this.bindPattern(d.name, v, scope, mod, !isVar);
          if (tsApi.isIdentifier(d.name) && v instanceof TensorNode) {
            this.tensorVars.push({ at: { file: mod.file, sf: mod.sf, node: d.name }, name: d.name.text, tensor: v, symbolic: this.symbolic.root !== undefined });
          }
          if (v instanceof ModelRecord && tsApi.isIdentifier(d.name) && v.name.startsWith('model@')) v.name = d.name.text;
          if (exported) for (const n of boundNames(d.name)) this.exportBinding(mod, n, scope.get(n));
        }
        return undefined;
      }
      case tsApi.SyntaxKind.FunctionDeclaration:
        return undefined; // hoisted
      case tsApi.SyntaxKind.ClassDeclaration: {
        const cd = node as ts.ClassDeclaration;
        const cls = this.makeClass(cd, scope, mod);
        if (cd.name) scope.declare(cd.name.text, cls);
        if (hasExport(cd)) this.exportBinding(mod, isDefault(cd) ? 'default' : cls.name, cls);
        return undefined;
      }
      case tsApi.SyntaxKind.EnumDeclaration: {
        const ed = node as ts.EnumDeclaration;
        const e = this.makeEnum(ed, scope, mod);
        scope.declare(ed.name.text, e);
        if (hasExport(ed)) this.exportBinding(mod, ed.name.text, e);
        return undefined;
      }
      case tsApi.SyntaxKind.ExpressionStatement:
        this.evalExpr((node as ts.ExpressionStatement).expression, scope, mod);
        return undefined;
      case tsApi.SyntaxKind.ReturnStatement: {
        const e = (node as ts.ReturnStatement).expression;
        return { kind: 'return', value: e ? this.evalExpr(e, scope, mod) : undefined };
      }
      case tsApi.SyntaxKind.Block:
        return this.execBlock((node as ts.Block).statements, new Scope(scope), mod);
      case tsApi.SyntaxKind.IfStatement:
        return this.execIf(node as ts.IfStatement, scope, mod);
      case tsApi.SyntaxKind.ForStatement:
        return this.cutByBudget(node, scope, () => this.execFor(node as ts.ForStatement, scope, mod));
      case tsApi.SyntaxKind.ForOfStatement:
      case tsApi.SyntaxKind.ForInStatement:
        return this.cutByBudget(node, scope, () => this.execForEach(node as ts.ForOfStatement | ts.ForInStatement, scope, mod));
      case tsApi.SyntaxKind.WhileStatement:
      case tsApi.SyntaxKind.DoStatement:
        return this.cutByBudget(node, scope, () => this.execWhile(node as ts.WhileStatement | ts.DoStatement, scope, mod));
      case tsApi.SyntaxKind.SwitchStatement:
        return this.execSwitch(node as ts.SwitchStatement, scope, mod);
      case tsApi.SyntaxKind.BreakStatement:
        return { kind: 'break', label: (node as ts.BreakStatement).label?.text };
      case tsApi.SyntaxKind.ContinueStatement:
        return { kind: 'continue', label: (node as ts.ContinueStatement).label?.text };
      case tsApi.SyntaxKind.LabeledStatement: {
        const ls = node as ts.LabeledStatement;
        const c = this.execStmt(ls.statement, scope, mod);
        if (c && c.kind === 'break' && c.label === ls.label.text) return undefined;
        return c;
      }
      case tsApi.SyntaxKind.ThrowStatement:
        this.evalExpr((node as ts.ThrowStatement).expression, scope, mod);
        throw new UserThrow();
      case tsApi.SyntaxKind.TryStatement:
        return this.execTry(node as ts.TryStatement, scope, mod);
      case tsApi.SyntaxKind.ImportDeclaration:
        this.execImport(node as ts.ImportDeclaration, scope, mod);
        return undefined;
      case tsApi.SyntaxKind.ImportEqualsDeclaration: {
        const ie = node as ts.ImportEqualsDeclaration;
        if (tsApi.isExternalModuleReference(ie.moduleReference) && tsApi.isStringLiteral(ie.moduleReference.expression)) {
          scope.declare(ie.name.text, this.moduleNamespace(ie.moduleReference.expression.text, mod).ns);
        }
        return undefined;
      }
      case tsApi.SyntaxKind.ExportDeclaration:
        this.execExportDecl(node as ts.ExportDeclaration, scope, mod);
        return undefined;
      case tsApi.SyntaxKind.ExportAssignment:
        this.exportBinding(mod, 'default', this.evalExpr((node as ts.ExportAssignment).expression, scope, mod));
        return undefined;
      default:
        // Types, interfaces, enums we don't model, empty statements, debugger...
        return undefined;
    }
  }

  /** An enum is an object of its members (numbers also map back to names); members see the earlier ones. */
  private makeEnum(node: ts.EnumDeclaration, scope: Scope, mod: ModuleRecord): Value {
    if (tsApi.getModifiers(node)?.some((m) => m.kind === tsApi.SyntaxKind.DeclareKeyword)) return UNKNOWN;
    const obj = new Obj();
    const inner = new Scope(scope);
    let next: Value = 0;
    for (const m of node.members) {
      const key = this.propertyName(m.name, scope, mod);
      const v: Value = m.initializer ? this.evalExpr(m.initializer, inner, mod) : typeof next === 'number' ? next : UNKNOWN;
      next = typeof v === 'number' ? v + 1 : UNKNOWN;
      if (key === UNKNOWN) continue;
      obj.props.set(key, v);
      inner.declare(key, v);
      if (typeof v === 'number') obj.props.set(String(v), key);
    }
    return obj;
  }

  private execImport(node: ts.ImportDeclaration, scope: Scope, mod: ModuleRecord): void {
    if (!tsApi.isStringLiteral(node.moduleSpecifier) || !node.importClause) return;
    const clause = node.importClause;
    if (clause.isTypeOnly) return;
    const src = this.moduleNamespace(node.moduleSpecifier.text, mod);
    if (clause.name) {
      // A default import of tfjs (esModuleInterop) is the namespace itself.
      scope.declare(clause.name.text, isTfjsSpecifier(node.moduleSpecifier.text) ? src.ns : src.get('default'));
    }
    const nb = clause.namedBindings;
    if (!nb) return;
    if (tsApi.isNamespaceImport(nb)) scope.declare(nb.name.text, src.ns);
    else for (const el of nb.elements) scope.declare(el.name.text, src.get((el.propertyName ?? el.name).text));
  }

  private execExportDecl(node: ts.ExportDeclaration, scope: Scope, mod: ModuleRecord): void {
    if (node.isTypeOnly) return;
    const src = node.moduleSpecifier && tsApi.isStringLiteral(node.moduleSpecifier)
      ? this.moduleNamespace(node.moduleSpecifier.text, mod) : undefined;
    const clause = node.exportClause;
    if (!clause) {
      if (src && src.ns instanceof Obj) for (const [k, v] of src.ns.props) this.exportBinding(mod, k, v);
      return;
    }
    if (tsApi.isNamespaceExport(clause)) { this.exportBinding(mod, clause.name.text, src ? src.ns : UNKNOWN); return; }
    for (const el of clause.elements) {
      const local = (el.propertyName ?? el.name).text;
      this.exportBinding(mod, el.name.text, src ? src.get(local) : (scope.has(local) ? scope.get(local) : UNKNOWN));
    }
  }

  private execIf(node: ts.IfStatement, scope: Scope, mod: ModuleRecord): Completion {
    const t = this.truth(this.evalExpr(node.expression, scope, mod));
    if (t === UNKNOWN) return this.skipUncertain([node.thenStatement, node.elseStatement], scope, mod);
    if (t) return this.execStmt(node.thenStatement, new Scope(scope), mod);
    if (node.elseStatement) return this.execStmt(node.elseStatement, new Scope(scope), mod);
    return undefined;
  }

  /**
   * Code that may or may not run (unknown condition): rather than guess, forget every variable it
   * assigns or mutates, and mark models it touches as incomplete. A return inside makes the result unknown.
   */
  private skipUncertain(nodes: (ts.Node | undefined)[], scope: Scope, _mod: ModuleRecord): Completion {
    this.forget(nodes, scope);
    this.notes.push('a branch or loop with an unknown condition was not followed');
    if (nodes.some((n) => n && containsReturn(n))) return { kind: 'return', value: UNKNOWN };
    // A break or continue that may or may not happen: the enclosing loop's further course is unknown.
    if (nodes.some((n) => n && escapingJumps(n).length > 0)) return { kind: 'uncertain' };
    return undefined;
  }

  private forget(nodes: (ts.Node | undefined)[], scope: Scope): void {
    for (const n of nodes) {
      if (!n) continue;
      const { assigned, receivers } = effects(n);
      for (const name of assigned) scope.havoc(name);
      for (const name of receivers) {
        const v = scope.get(name);
        if (v instanceof ModelRecord) v.incomplete = true;
        else if (Array.isArray(v) || v instanceof Obj) scope.havoc(name);
      }
    }
  }

  /**
   * What a loop does with its body's completion: go on with the next iteration, leave the loop, or hand
   * the completion to the enclosing statement. `continue label` naming this loop continues it.
   */
  private loopStep(c: Completion, loop: ts.IterationStatement, scope: Scope): 'next' | 'exit' | Completion {
    if (!c) return 'next';
    if (c.kind === 'continue' && (!c.label || labelsOf(loop).includes(c.label))) return 'next';
    if (c.kind === 'break' && !c.label) return 'exit';
    if (c.kind === 'uncertain') {
      // The loop may have stopped here or run on: forget everything it could change.
      this.forget([loop], scope);
      return escapingJumps(loop).length > 0 ? c : 'exit';
    }
    return c;
  }

  private execFor(node: ts.ForStatement, outer: Scope, mod: ModuleRecord): Completion {
    let scope = new Scope(outer);
    const init = node.initializer;
    // `let` loop variables get a fresh copy per iteration (closures created in the body keep their own).
    const perIteration = init && tsApi.isVariableDeclarationList(init) && !isVarList(init)
      ? init.declarations.flatMap((d) => boundNames(d.name)) : [];
    if (init) {
      if (tsApi.isVariableDeclarationList(init)) {
        for (const d of init.declarations) {
          this.bindPattern(d.name, d.initializer ? this.evalExpr(d.initializer, scope, mod) : undefined, scope, mod, !isVarList(init));
        }
      } else this.evalExpr(init, scope, mod);
    }
    for (;;) {
      if (node.condition) {
        const cv = this.evalExpr(node.condition, scope, mod);
        if (this.widens(cv)) return this.widen(node, scope, mod, cv);
        const t = this.truth(cv);
        if (t === UNKNOWN) return this.skipUncertain([node], scope, mod);
        if (!t) return undefined;
      }
      const step = this.loopStep(this.execStmt(node.statement, new Scope(scope), mod), node, scope);
      if (step === 'exit') return undefined;
      if (step !== 'next') return step;
      if (perIteration.length) scope = scope.copy(perIteration);
      if (node.incrementor) this.evalExpr(node.incrementor, scope, mod);
    }
  }

  private execForEach(node: ts.ForOfStatement | ts.ForInStatement, outer: Scope, mod: ModuleRecord): Completion {
    const coll = this.evalExpr(node.expression, outer, mod);
    let items: Value[] | undefined;
    // Iterating copies the collection: charged before the copy is made.
    if (Array.isArray(coll) || typeof coll === 'string') this.charge(coll.length);
    else if (coll instanceof Obj) this.charge(coll.props.size);
    if (isForgotten(coll) || (coll instanceof Obj && coll.props.has(UNKNOWN_KEYS))) items = undefined;
    else if (tsApi.isForOfStatement(node)) {
      if (Array.isArray(coll)) items = [...coll];
      else if (typeof coll === 'string') items = [...coll];
    } else if (coll instanceof Obj) items = [...coll.props.keys()];
    else if (Array.isArray(coll)) items = Object.keys(coll);
    if (!items) return this.skipUncertain([node], outer, mod);
    for (const item of items) {
      const scope = new Scope(outer);
      if (tsApi.isVariableDeclarationList(node.initializer)) {
        this.bindPattern(node.initializer.declarations[0].name, item, scope, mod, !isVarList(node.initializer));
      } else this.assignTo(node.initializer, item, scope, mod);
      const step = this.loopStep(this.execStmt(node.statement, scope, mod), node, outer);
      if (step === 'exit') return undefined;
      if (step !== 'next') return step;
    }
    return undefined;
  }

  private execWhile(node: ts.WhileStatement | ts.DoStatement, scope: Scope, mod: ModuleRecord): Completion {
    let first = tsApi.isDoStatement(node);
    for (;;) {
      if (!first) {
        const cv = this.evalExpr(node.expression, scope, mod);
        if (this.widens(cv)) return this.widen(node, scope, mod, cv);
        const t = this.truth(cv);
        if (t === UNKNOWN) return this.skipUncertain([node], scope, mod);
        if (!t) return undefined;
      }
      first = false;
      const step = this.loopStep(this.execStmt(node.statement, new Scope(scope), mod), node, scope);
      if (step === 'exit') return undefined;
      if (step !== 'next') return step;
    }
  }

  /** A loop test on symbols that the path cannot decide: widened (symbolicLoops.ts), never forked per iteration. */
  private widens(v: Value): v is SymCond {
    return v instanceof SymCond && this.symbolic.root !== undefined && this.symbolic.known(v) === undefined;
  }

  private widen(node: ts.ForStatement | ts.WhileStatement | ts.DoStatement, scope: Scope, mod: ModuleRecord, cond: SymCond): Completion {
    const stable = widenLoop({
      session: this.symbolic, loop: node, scope, cond,
      isGlobal: (name) => scope.lookup(name) === this.globals.lookup(name),
      runBody: () => {
        const c = this.execStmt(node.statement, new Scope(scope), mod);
        return !c || (c.kind === 'continue' && !c.label);
      },
    });
    return stable ? undefined : this.skipUncertain([node], scope, mod);
  }

  private execSwitch(node: ts.SwitchStatement, outer: Scope, mod: ModuleRecord): Completion {
    const v = this.evalExpr(node.expression, outer, mod);
    const scope = new Scope(outer);
    const clauses = node.caseBlock.clauses;
    let start = -1;
    if (v !== UNKNOWN) {
      for (let i = 0; i < clauses.length && start < 0; i++) {
        const cl = clauses[i];
        if (!tsApi.isCaseClause(cl)) continue;
        const cv = this.evalExpr(cl.expression, scope, mod);
        if (cv === UNKNOWN) return this.skipUncertain([node], outer, mod);
        if (cv === v) start = i;
      }
      if (start < 0) start = clauses.findIndex((c) => tsApi.isDefaultClause(c));
    } else return this.skipUncertain([node], outer, mod);
    if (start < 0) return undefined;
    for (let i = start; i < clauses.length; i++) {
      const c = this.execBlock(clauses[i].statements, scope, mod);
      if (c) {
        if (c.kind === 'break' && !c.label) return undefined;
        if (c.kind === 'uncertain') {
          // An unknown `break` leaves the switch, or not: forget what the rest of the switch may change.
          this.forget([node.caseBlock], outer);
          return escapingJumps(node.caseBlock).some((j) => j.kind === tsApi.SyntaxKind.ContinueStatement || j.label) ? c : undefined;
        }
        return c;
      }
    }
    return undefined;
  }

  /**
   * A loop the step budget stops half-way has made only some of its writes: forget what it writes, so that
   * later entry points (which get a fresh budget) see unknowns rather than half-updated values.
   */
  private cutByBudget(loop: ts.Node, scope: Scope, f: () => Completion): Completion {
    try {
      return f();
    } catch (e) {
      if (e instanceof BudgetExceeded) this.forget([loop], scope);
      throw e;
    }
  }

  private execTry(node: ts.TryStatement, scope: Scope, mod: ModuleRecord): Completion {
    let result: Completion;
    const unseenBefore = this.unseenCalls;
    if (node.catchClause) this.catching++;
    let threw = false;
    try {
      result = this.execStmt(node.tryBlock, scope, mod);
    } catch (e) {
      if (!(e instanceof UserThrow) || !node.catchClause) throw e;
      threw = true;
      this.catching--;
      const cs = new Scope(scope);
      const decl = node.catchClause.variableDeclaration;
      if (decl) this.bindPattern(decl.name, UNKNOWN, cs, mod, true);
      result = this.execStmt(node.catchClause.block, cs, mod);
    } finally {
      if (node.catchClause && !threw) this.catching--;
    }
    if (node.catchClause && !threw && this.unseenCalls !== unseenBefore) {
      // Code the analyzer could not see ran inside the try and may have thrown part-way: the try block may
      // have stopped anywhere and the catch block may have run. Forget what either writes.
      this.forget([node.tryBlock, node.catchClause.block], scope);
      if (result?.kind === 'return' || containsReturn(node.catchClause.block)) result = { kind: 'return', value: UNKNOWN };
      else if (escapingJumps(node.tryBlock).length > 0 || escapingJumps(node.catchClause.block).length > 0) result = { kind: 'uncertain' };
    }
    // The finally block runs after a normal or caught end; its own abrupt completion wins.
    if (node.finallyBlock) {
      const f = this.execStmt(node.finallyBlock, scope, mod);
      if (f) return f;
    }
    return result;
  }

  // ---------------------------------------------------------------- bindings

  bindPattern(name: ts.BindingName, value: Value, scope: Scope, mod: ModuleRecord, declare: boolean): void {
    // Not declaring: a `var`, which assigns the hoisted binding (declared here when hoisting missed it).
    const put = (n: string, v: Value) => (declare || !scope.has(n) ? scope.declare(n, v) : scope.set(n, v));
    if (tsApi.isIdentifier(name)) { put(name.text, value); return; }
    if (tsApi.isObjectBindingPattern(name)) {
      const used: string[] = [];
      for (const el of name.elements) {
        if (el.dotDotDotToken) {
          const rest = new Obj();
          if (value instanceof Obj) for (const [k, v] of value.props) if (!used.includes(k)) rest.props.set(k, v);
          this.bindPattern(el.name, value === UNKNOWN ? UNKNOWN : rest, scope, mod, declare);
          continue;
        }
        const key = el.propertyName ? this.propertyName(el.propertyName, scope, mod) : (el.name as ts.Identifier).text;
        if (key === UNKNOWN) { this.bindPattern(el.name, UNKNOWN, scope, mod, declare); continue; }
        used.push(String(key));
        let v = this.getMember(value, String(key));
        if (v === undefined && el.initializer) v = this.evalExpr(el.initializer, scope, mod);
        this.bindPattern(el.name, v, scope, mod, declare);
      }
      return;
    }
    // Array binding pattern
    value = known(value);
    name.elements.forEach((el, i) => {
      if (tsApi.isOmittedExpression(el)) return;
      let v: Value;
      if (el.dotDotDotToken) v = Array.isArray(value) ? value.slice(i) : UNKNOWN;
      else v = Array.isArray(value) ? value[i] : value === UNKNOWN ? UNKNOWN : this.getMember(value, String(i));
      if (v === undefined && el.initializer) v = this.evalExpr(el.initializer, scope, mod);
      this.bindPattern(el.name, v, scope, mod, declare);
    });
  }

  private propertyName(n: ts.PropertyName, scope: Scope, mod: ModuleRecord): string | typeof UNKNOWN {
    if (tsApi.isIdentifier(n) || tsApi.isStringLiteral(n) || tsApi.isNumericLiteral(n) || tsApi.isPrivateIdentifier(n)) return n.text;
    if (tsApi.isComputedPropertyName(n)) {
      return propertyKey(this.evalExpr(n.expression, scope, mod));
    }
    return UNKNOWN;
  }

  /** Assignment to an arbitrary target expression (identifier, member, destructuring literal). */
  assignTo(target: ts.Node, value: Value, scope: Scope, mod: ModuleRecord): void {
    target = skipOuter(target);
    if (tsApi.isIdentifier(target)) {
      // A sloppy script assigning an undeclared name creates a global, as in a <script> tag.
      if (!scope.has(target.text) && isSloppyScript(mod.sf)) this.globals.declare(target.text, value);
      else scope.set(target.text, value);
      if (value instanceof TensorNode) this.tensorVars.push({ at: { file: mod.file, sf: mod.sf, node: target }, name: target.text, tensor: value, symbolic: this.symbolic.root !== undefined });
      return;
    }
    if (tsApi.isPropertyAccessExpression(target)) {
      this.setMember(this.evalExpr(target.expression, scope, mod), target.name.text, value);
      return;
    }
    if (tsApi.isElementAccessExpression(target)) {
      const obj = this.evalExpr(target.expression, scope, mod);
      const key = propertyKey(this.evalExpr(target.argumentExpression, scope, mod));
      if (key === UNKNOWN) { this.havocValue(obj); return; }
      this.setMember(obj, key, value);
      return;
    }
    if (tsApi.isArrayLiteralExpression(target)) {
      value = known(value);
      target.elements.forEach((el, i) => {
        if (tsApi.isOmittedExpression(el)) return;
        if (tsApi.isSpreadElement(el)) this.assignTo(el.expression, Array.isArray(value) ? value.slice(i) : UNKNOWN, scope, mod);
        else this.assignTo(el, Array.isArray(value) ? value[i] : UNKNOWN, scope, mod);
      });
      return;
    }
    if (tsApi.isObjectLiteralExpression(target)) {
      for (const p of target.properties) {
        if (tsApi.isShorthandPropertyAssignment(p)) this.assignTo(p.name, this.getMember(value, p.name.text), scope, mod);
        else if (tsApi.isPropertyAssignment(p)) {
          const k = this.propertyName(p.name, scope, mod);
          this.assignTo(p.initializer, k === UNKNOWN ? UNKNOWN : this.getMember(value, k), scope, mod);
        }
      }
    }
  }

  /** A write under an unknown key: any element or property may have changed, or been added. */
  private havocValue(v: Value): void {
    if (Array.isArray(v)) forgetArray(v);
    else if (v instanceof Obj) forgetObject(v);
  }

  // ---------------------------------------------------------------- members

  getMember(obj: Value, key: string): Value {
    if (obj === UNKNOWN) return UNKNOWN;
    if (obj === null || obj === undefined) { this.implicitThrow(); return UNKNOWN; } // TypeError at run time
    if (Array.isArray(obj)) {
      if (isForgotten(obj)) return UNKNOWN;
      if (key === 'length') return obj.length;
      if (/^\d+$/.test(key)) return obj[Number(key)];
      return primitiveMember(obj, key);
    }
    if (obj instanceof Obj) {
      if (obj.props.has(key)) return obj.props.get(key);
      for (let c: Value = obj.cls; c instanceof ClassValue; c = c.superClass) {
        const m = this.findMethod(c, key);
        if (m) return m;
        const getter = c.node.members.find((g): g is ts.GetAccessorDeclaration =>
          tsApi.isGetAccessorDeclaration(g) && !isStatic(g) && !!g.body && propText(g.name) === key);
        if (getter) return this.callFn(new Fn(getter, c.scope, c.mod, undefined, c), [], obj, getter);
      }
      const symbolicField = symbolicMember(this, obj, key);
      if (symbolicField !== undefined) return symbolicField;
      if (obj.cls) return UNKNOWN; // inherited from a base we don't model (e.g. tf.layers.Layer)
      if (obj.props.has(UNKNOWN_KEYS)) return UNKNOWN;
      return key === 'hasOwnProperty' ? primitiveMember(obj, key) : undefined;
    }
    if (obj instanceof ClassValue) {
      for (let c: Value = obj; c instanceof ClassValue; c = c.superClass) {
        if (c.statics.has(key)) return c.statics.get(key);
      }
      return UNKNOWN;
    }
    if (obj instanceof Native) return obj.getImpl ? obj.getImpl(key) : UNKNOWN;
    if (obj instanceof TensorNode || obj instanceof LayerInstance || obj instanceof ModelRecord) return this.tf.member(obj, key);
    if (obj instanceof Fn) return key === 'name' ? obj.name : UNKNOWN;
    return primitiveMember(obj, key);
  }

  private findMethod(cls: ClassValue, key: string): Value | undefined {
    for (const m of cls.node.members) {
      if (tsApi.isMethodDeclaration(m) && !isStatic(m) && m.name && propText(m.name) === key && m.body) {
        return new Fn(m, cls.scope, cls.mod, undefined, cls);
      }
    }
    return undefined;
  }

  setMember(obj: Value, key: string, value: Value): void {
    if (obj === null || obj === undefined) { this.implicitThrow(); return; }
    // Ignored in sloppy code, a TypeError in strict code: either way nothing is written; inside a try the
    // catch may run, so the try's effects become unknown.
    if (isFrozen(obj)) { this.unseenCalls++; return; }
    if (obj instanceof Obj && this.callSetter(obj, key, value)) return;
    if (Array.isArray(obj)) {
      if (isForgotten(obj)) return;
      if (key === 'length') {
        if (value === UNKNOWN) { forgetArray(obj); return; }
        const n = typeof value === 'number' ? value : Number.NaN;
        if (!(Number.isInteger(n) && n >= 0 && n <= MAX_ARRAY_INDEX + 1)) throw new UserThrow(); // RangeError: Invalid array length
        // Growing makes holes that every later copy or loop walks: paid for before it happens.
        if (n > obj.length) this.charge(n - obj.length);
        obj.length = n;
      } else if (/^\d+$/.test(key) && Number(key) <= MAX_ARRAY_INDEX) {
        const i = Number(key);
        if (i >= obj.length) this.charge(i + 1 - obj.length);
        obj[i] = value;
      }
      return;
    }
    if (obj instanceof Obj) {
      // An object-literal setter runs code the analyzer does not follow.
      if (isAccessor(obj, key)) forgetObject(obj);
      else obj.props.set(key, value);
    } else if (obj instanceof ClassValue) {
      const setter = findAccessor(obj, key, true, tsApi.SyntaxKind.SetAccessor);
      if (setter) this.forgetFnEffects(new Fn(setter.member, setter.cls.scope, setter.cls.mod, undefined, setter.cls));
      obj.statics.set(key, setter ? UNKNOWN : value);
    }
  }

  /** `obj.key = value` on an instance whose class (or a base) defines `set key(v)`: runs the setter. */
  private callSetter(obj: Obj, key: string, value: Value): boolean {
    if (!obj.cls || obj.props.has(key)) return false;
    const setter = findAccessor(obj.cls, key, false, tsApi.SyntaxKind.SetAccessor);
    if (!setter) return false;
    this.callFn(new Fn(setter.member, setter.cls.scope, setter.cls.mod, undefined, setter.cls), [value], obj, setter.member);
    return true;
  }

  /** `delete obj.key`: the property is gone (a hole in an array); an unknown key forgets the object. */
  private evalDelete(node: ts.DeleteExpression, scope: Scope, mod: ModuleRecord): Value {
    const target = skipOuter(node.expression);
    if (!tsApi.isPropertyAccessExpression(target) && !tsApi.isElementAccessExpression(target)) { this.evalExpr(target as ts.Expression, scope, mod); return true; }
    const obj = this.evalExpr(target.expression, scope, mod);
    const key = tsApi.isPropertyAccessExpression(target) ? target.name.text : propertyKey(this.evalExpr(target.argumentExpression, scope, mod));
    if (obj === null || obj === undefined) { this.implicitThrow(); return UNKNOWN; }
    if (isFrozen(obj)) { this.unseenCalls++; return UNKNOWN; }
    if (key === UNKNOWN || (obj instanceof Obj && (obj.cls || isAccessor(obj, key)))) {
      forgetReachable(obj, (n) => this.charge(n), (f) => this.forgetFnEffects(f));
      return UNKNOWN;
    }
    if (Array.isArray(obj)) {
      // The user's `delete arr[i]` leaves a hole, exactly as the interpreted program would.
      // eslint-disable-next-line @typescript-eslint/no-array-delete
      if (/^\d+$/.test(key)) delete obj[Number(key)];
      else if (key === 'length') return false;
    } else if (obj instanceof Obj) obj.props.delete(key);
    else if (obj instanceof ClassValue) obj.statics.delete(key);
    return true;
  }

  // ---------------------------------------------------------------- classes and calls

  private makeClass(node: ts.ClassLikeDeclaration, scope: Scope, mod: ModuleRecord): ClassValue {
    const ext = node.heritageClauses?.find((h) => h.token === tsApi.SyntaxKind.ExtendsKeyword)?.types[0];
    const superClass = ext ? this.evalExpr(ext.expression, scope, mod) : undefined;
    const cls = new ClassValue(node, scope, mod, superClass);
    for (const m of node.members) {
      if (!isStatic(m) || !m.name) continue;
      const key = propText(m.name);
      if (key === undefined) continue;
      if (tsApi.isPropertyDeclaration(m)) cls.statics.set(key, m.initializer ? this.evalExpr(m.initializer, scope, mod) : undefined);
      else if (tsApi.isMethodDeclaration(m) && m.body) cls.statics.set(key, new Fn(m, scope, mod, undefined, cls));
    }
    return cls;
  }

  /** True when a class derives (directly or not) from tf.layers.Layer. */
  isLayerClass(cls: ClassValue): boolean {
    for (let c: Value = cls.superClass; c; c = c instanceof ClassValue ? c.superClass : undefined) {
      if (c instanceof Native) return c.isLayerBase;
      if (!(c instanceof ClassValue)) return false;
    }
    return false;
  }

  construct(callee: Value, args: Value[], node: ts.NewExpression | ts.CallExpression): Value {
    if (callee instanceof Native) return callee.callImpl ? callee.callImpl(args, this.nativeCall(node, undefined)) : UNKNOWN;
    if (!(callee instanceof ClassValue)) return UNKNOWN;
    const inst = new Obj(callee);
    this.initInstance(callee, inst, args, node);
    if (this.isLayerClass(callee)) return this.tf.customLayer(callee, inst, node);
    return inst;
  }

  private initInstance(cls: ClassValue, inst: Obj, args: Value[], node: ts.Node): void {
    this.touched?.add(cls.node);
    const ctor = cls.node.members.find((m): m is ts.ConstructorDeclaration => tsApi.isConstructorDeclaration(m) && !!m.body);
    const initFields = () => {
      const s = new Scope(cls.scope, inst);
      for (const m of cls.node.members) {
        if (tsApi.isPropertyDeclaration(m) && !isStatic(m) && m.name) {
          const key = propText(m.name);
          if (key !== undefined) inst.props.set(key, m.initializer ? this.evalExpr(m.initializer, s, cls.mod) : undefined);
        }
      }
    };
    if (!ctor) {
      // Implicit constructor: the base class initialises first, with the same arguments.
      if (cls.superClass instanceof ClassValue) this.initInstance(cls.superClass, inst, args, node);
      initFields();
      return;
    }
    const scope = new Scope(cls.scope, inst);
    this.bindParams(ctor, args, scope, cls.mod);
    for (const p of ctor.parameters) {
      if (tsApi.isIdentifier(p.name) && p.modifiers?.some((m) => isParameterPropertyModifier(m.kind))) {
        inst.props.set(p.name.text, scope.get(p.name.text));
      }
    }
    let fieldsDone = !cls.superClass;
    if (fieldsDone) initFields();
    // super(...) is where fields get initialised in a derived class.
    const onSuper = (superArgs: Value[]) => {
      if (cls.superClass instanceof ClassValue) this.initInstance(cls.superClass, inst, superArgs, node);
      if (!fieldsDone) { fieldsDone = true; initFields(); }
    };
    scope.declare('%super', new Native('super', (a) => { onSuper(a); return undefined; }));
    this.enter(`new ${cls.name}`, cls.mod, node, () => this.execBlock(ctor.body!.statements, scope, cls.mod));
    if (!fieldsDone) initFields();
  }

  private bindParams(fn: ts.SignatureDeclarationBase, args: Value[], scope: Scope, mod: ModuleRecord): void {
    fn.parameters.forEach((p, i) => {
      if (tsApi.isIdentifier(p.name) && p.name.text === 'this') return;
      let v: Value;
      if (p.dotDotDotToken) v = args.slice(i);
      else {
        v = args[i];
        if (v === undefined && p.initializer) v = this.evalExpr(p.initializer, scope, mod);
      }
      this.bindPattern(p.name, v, scope, mod, true);
    });
  }

  call(callee: Value, args: Value[], thisValue: Value, node: ts.CallExpression | ts.NewExpression): Value {
    if (callee instanceof Native) {
      if (!callee.callImpl) return UNKNOWN;
      try {
        return callee.callImpl(args.map(known), this.nativeCall(node, known(thisValue)));
      } catch (e) {
        // A callback cut short (forEach, map...) has made only some of its writes.
        if (e instanceof BudgetExceeded) for (const a of args) if (a instanceof Fn) this.forgetFnEffects(a);
        throw e;
      }
    }
    if (callee instanceof Fn) return this.callFn(callee, args, thisValue, node);
    return UNKNOWN;
  }

  private callFn(fn: Fn, args: Value[], thisValue: Value, node: ts.Node): Value {
    const body = fn.node.body;
    this.symbolic.called.add(fn.node);
    // A generator's body runs lazily, as it is iterated: not followed.
    if (!body || fn.node.asteriskToken) { this.unseenCall(args, thisValue); return UNKNOWN; }
    if (this.stack.length >= MAX_CALL_DEPTH) {
      this.notes.push(`call depth limit reached in ${fn.name} (recursion?)`);
      this.unseenCall(args, thisValue);
      this.forgetFnEffects(fn);
      return UNKNOWN;
    }
    this.touched?.add(fn.node);
    const isArrow = tsApi.isArrowFunction(fn.node);
    const scope = new Scope(fn.scope, isArrow ? undefined : thisValue ?? UNKNOWN);
    if (fn.homeClass && fn.homeClass.superClass instanceof ClassValue) {
      const sup = fn.homeClass.superClass;
      scope.declare('%superMethods', sup);
    }
    try {
      return this.enter(fn.name, fn.mod, node, () => {
        this.bindParams(fn.node, args, scope, fn.mod);
        if (!tsApi.isBlock(body)) return this.evalExpr(body, scope, fn.mod);
        this.hoistVars(body, scope);
        const c = this.execBlock(body.statements, scope, fn.mod);
        if (c?.kind === 'uncertain') return UNKNOWN;
        return c && c.kind === 'return' ? c.value : undefined;
      });
    } catch (e) {
      // Cut by the step budget half-way (a long loop, deep recursion): what it wrote so far is not what it
      // would have written, so it is forgotten rather than kept half-updated. The entry point itself is not
      // walked (it may be megabytes of unrolled code): its loops forget their own writes (cutByBudget).
      if (e instanceof BudgetExceeded && this.stack.length > 0) {
        this.forgetFnEffects(fn);
        for (const v of [...args, thisValue] as Value[]) forgetReachable(v, () => undefined, () => undefined);
      }
      throw e;
    }
  }

  /** A function created inside a running function: analysed on its own if nothing calls it (symbolicEntries.ts). */
  private noteClosure(fn: Fn): void {
    const inner = this.stack.length > 1 ? this.stack[this.stack.length - 1].callee : undefined;
    this.symbolic.noteClosure(fn, inner ?? this.symbolic.root ?? this.stack[0]?.callee ?? this.currentEntry);
  }

  /** Forgets the variables a function could assign in the scopes it closes over. */
  private forgetFnEffects(fn: Fn): void {
    this.forget([fn.node], fn.scope);
  }

  /**
   * A call into code the analyzer cannot see (an unknown function, an unmodelled method, a call it gave up
   * on): it may change anything it is given and anything reachable from that, and it may throw.
   */
  private unseenCall(args: Value[], thisValue: Value): void {
    this.unseenCalls++;
    const seen = new Set<unknown>();
    for (const v of [...args, thisValue] as Value[]) forgetReachable(v, (n) => this.charge(n), (f) => this.forgetFnEffects(f), seen);
  }

  private enter<T>(callee: string, mod: ModuleRecord, node: ts.Node, f: () => T): T {
    const callerFile = this.currentFileOf(node) ?? mod;
    this.stack.push({ callee, at: { file: callerFile.file, sf: callerFile.sf, node } });
    try { return f(); } finally { this.stack.pop(); }
  }

  private currentFileOf(node: ts.Node): ModuleRecord | undefined {
    const sf = node.getSourceFile();
    return this.modules.get(sf.fileName);
  }

  ref(node: ts.Node, mod: ModuleRecord): SourceRef { return { file: mod.file, sf: mod.sf, node }; }

  // ---------------------------------------------------------------- expressions

  evalExpr(node: ts.Expression, scope: Scope, mod: ModuleRecord): Value {
    this.tick();
    switch (node.kind) {
      case tsApi.SyntaxKind.NumericLiteral: return Number((node as ts.NumericLiteral).text);
      case tsApi.SyntaxKind.StringLiteral:
      case tsApi.SyntaxKind.NoSubstitutionTemplateLiteral: return (node as ts.StringLiteral).text;
      case tsApi.SyntaxKind.TrueKeyword: return true;
      case tsApi.SyntaxKind.FalseKeyword: return false;
      case tsApi.SyntaxKind.NullKeyword: return null;
      case tsApi.SyntaxKind.ThisKeyword: return scope.findThis();
      case tsApi.SyntaxKind.Identifier: return this.evalIdentifier(node as ts.Identifier, scope);
      case tsApi.SyntaxKind.TemplateExpression: {
        const te = node as ts.TemplateExpression;
        let s = te.head.text;
        for (const span of te.templateSpans) {
          const v = this.evalExpr(span.expression, scope, mod);
          if (v === UNKNOWN || (typeof v === 'object' && v !== null)) return UNKNOWN;
          const part = String(v) + span.literal.text;
          if (s.length + part.length > MAX_STRING) return UNKNOWN;
          s += part;
        }
        return s;
      }
      case tsApi.SyntaxKind.ParenthesizedExpression:
      case tsApi.SyntaxKind.AsExpression:
      case tsApi.SyntaxKind.NonNullExpression:
      case tsApi.SyntaxKind.TypeAssertionExpression:
      case tsApi.SyntaxKind.SatisfiesExpression:
        return this.evalExpr((node as ts.ParenthesizedExpression).expression, scope, mod);
      case tsApi.SyntaxKind.AwaitExpression: return this.evalExpr((node as ts.AwaitExpression).expression, scope, mod);
      case tsApi.SyntaxKind.ArrayLiteralExpression: {
        const out: Value[] = [];
        for (const el of (node as ts.ArrayLiteralExpression).elements) {
          if (tsApi.isSpreadElement(el)) {
            const v = known(this.evalExpr(el.expression, scope, mod));
            if (!Array.isArray(v)) return UNKNOWN;
            this.charge(v.length);
            for (const item of v) out.push(item);
          } else if (tsApi.isOmittedExpression(el)) out.length++; // a hole, as in JS
          else out.push(this.evalExpr(el, scope, mod));
        }
        return out;
      }
      case tsApi.SyntaxKind.ObjectLiteralExpression: return this.evalObjectLiteral(node as ts.ObjectLiteralExpression, scope, mod);
      case tsApi.SyntaxKind.PropertyAccessExpression: {
        const pa = node as ts.PropertyAccessExpression;
        if (pa.expression.kind === tsApi.SyntaxKind.SuperKeyword) return this.superMember(pa.name.text, scope);
        const obj = this.evalExpr(pa.expression, scope, mod);
        if (pa.questionDotToken && (obj === null || obj === undefined)) return undefined;
        return this.getMember(obj, pa.name.text);
      }
      case tsApi.SyntaxKind.ElementAccessExpression: {
        const ea = node as ts.ElementAccessExpression;
        const obj = this.evalExpr(ea.expression, scope, mod);
        if (ea.questionDotToken && (obj === null || obj === undefined)) return undefined;
        const raw = this.evalExpr(ea.argumentExpression, scope, mod);
        if (Array.isArray(obj) && typeof raw === 'number' && raw < 0) return undefined;
        const key = propertyKey(raw);
        if (key === UNKNOWN) return UNKNOWN;
        return this.getMember(obj, key);
      }
      case tsApi.SyntaxKind.CallExpression: return this.evalCall(node as ts.CallExpression, scope, mod);
      case tsApi.SyntaxKind.NewExpression: {
        const ne = node as ts.NewExpression;
        const callee = this.evalExpr(ne.expression, scope, mod);
        const args = this.evalArgs(ne.arguments ?? tsApi.factory.createNodeArray(), scope, mod);
        if (args === UNKNOWN) return UNKNOWN;
        return this.construct(callee, args, ne);
      }
      case tsApi.SyntaxKind.ArrowFunction:
      case tsApi.SyntaxKind.FunctionExpression: {
        const f = node as ts.ArrowFunction | ts.FunctionExpression;
        if (tsApi.isFunctionExpression(f) && f.name) {
          // A named function expression can call itself by name.
          const s = new Scope(scope);
          const fn = new Fn(f, s, mod, undefined);
          s.declare(f.name.text, fn);
          this.noteClosure(fn);
          return fn;
        }
        const fn = new Fn(f, scope, mod, tsApi.isArrowFunction(f) ? scope.findThis() : undefined);
        this.noteClosure(fn);
        return fn;
      }
      case tsApi.SyntaxKind.ClassExpression: return this.makeClass(node as ts.ClassExpression, scope, mod);
      case tsApi.SyntaxKind.ConditionalExpression: {
        const ce = node as ts.ConditionalExpression;
        const t = this.truth(this.evalExpr(ce.condition, scope, mod));
        if (t === UNKNOWN) return UNKNOWN;
        return this.evalExpr(t ? ce.whenTrue : ce.whenFalse, scope, mod);
      }
      case tsApi.SyntaxKind.BinaryExpression: return this.evalBinary(node as ts.BinaryExpression, scope, mod);
      case tsApi.SyntaxKind.PrefixUnaryExpression: {
        const pu = node as ts.PrefixUnaryExpression;
        if (pu.operator === tsApi.SyntaxKind.PlusPlusToken || pu.operator === tsApi.SyntaxKind.MinusMinusToken) {
          const old = this.evalExpr(pu.operand, scope, mod);
          const nv = typeof old === 'number' ? old + (pu.operator === tsApi.SyntaxKind.PlusPlusToken ? 1 : -1) : UNKNOWN;
          this.assignTo(pu.operand, nv, scope, mod);
          return nv;
        }
        return unaryOp(pu.operator, this.evalExpr(pu.operand, scope, mod));
      }
      case tsApi.SyntaxKind.PostfixUnaryExpression: {
        const pu = node as ts.PostfixUnaryExpression;
        const old = this.evalExpr(pu.operand, scope, mod);
        const nv = typeof old === 'number' ? old + (pu.operator === tsApi.SyntaxKind.PlusPlusToken ? 1 : -1) : UNKNOWN;
        this.assignTo(pu.operand, nv, scope, mod);
        return old;
      }
      case tsApi.SyntaxKind.TypeOfExpression: {
        const v = this.evalExpr((node as ts.TypeOfExpression).expression, scope, mod);
        if (v === UNKNOWN) return UNKNOWN;
        if (v === null) return 'object';
        if (v instanceof Fn || v instanceof ClassValue || v instanceof Native) return 'function';
        if (v instanceof SymNum) return 'number';
        if (v instanceof SymCond) return 'boolean';
        return typeof v === 'object' ? 'object' : typeof v;
      }
      case tsApi.SyntaxKind.VoidExpression:
        this.evalExpr((node as ts.VoidExpression).expression, scope, mod);
        return undefined;
      case tsApi.SyntaxKind.DeleteExpression: return this.evalDelete(node as ts.DeleteExpression, scope, mod);
      case tsApi.SyntaxKind.SpreadElement: return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private evalIdentifier(id: ts.Identifier, scope: Scope): Value {
    if (id.text === 'undefined') return undefined;
    const b = scope.lookup(id.text);
    if (b) return b.value;
    // Scripts that load tfjs with a <script> tag or a global setup use a global `tf`.
    if (id.text === 'tf') return this.tf.namespace;
    return UNKNOWN;
  }

  private superMember(name: string, scope: Scope): Value {
    const sup = scope.get('%superMethods');
    if (sup instanceof ClassValue) {
      const m = this.findMethod(sup, name);
      if (m) return m;
    }
    return UNKNOWN;
  }

  private evalObjectLiteral(node: ts.ObjectLiteralExpression, scope: Scope, mod: ModuleRecord): Value {
    const obj = new Obj();
    for (const p of node.properties) {
      if (tsApi.isSpreadAssignment(p)) {
        const v = this.evalExpr(p.expression, scope, mod);
        if (v instanceof Obj) this.charge(v.props.size);
        // A caller's options object may carry any key: spreading it makes every other key unknown.
        if (v instanceof Obj && !v.props.has(UNKNOWN_KEYS) && !isSymbolicObject(v)) for (const [k, pv] of v.props) obj.props.set(k, pv);
        else if (v === UNKNOWN || v instanceof Obj || isForgotten(v)) {
          if (v instanceof Obj) for (const [k, pv] of v.props) obj.props.set(k, pv);
          // Properties written before an unknown spread may be overridden by it.
          for (const k of obj.props.keys()) obj.props.set(k, UNKNOWN);
          obj.props.set('%unknownSpread', true);
        }
        continue;
      }
      if (tsApi.isShorthandPropertyAssignment(p)) { obj.props.set(p.name.text, this.evalIdentifier(p.name, scope)); continue; }
      if (!p.name) continue;
      const key = this.propertyName(p.name, scope, mod);
      if (key === UNKNOWN) continue;
      if (tsApi.isPropertyAssignment(p)) obj.props.set(key, this.evalExpr(p.initializer, scope, mod));
      else if (tsApi.isMethodDeclaration(p)) obj.props.set(key, new Fn(p, scope, mod, undefined));
      else { obj.props.set(key, UNKNOWN); markAccessor(obj, key); }
    }
    return obj;
  }

  private evalArgs(args: ts.NodeArray<ts.Expression>, scope: Scope, mod: ModuleRecord): Value[] | typeof UNKNOWN {
    const out: Value[] = [];
    for (const a of args) {
      if (tsApi.isSpreadElement(a)) {
        const v = known(this.evalExpr(a.expression, scope, mod));
        if (!Array.isArray(v)) return UNKNOWN;
        this.charge(v.length);
        for (const item of v) out.push(item);
      } else out.push(this.evalExpr(a, scope, mod));
    }
    return out;
  }

  private evalCall(node: ts.CallExpression, scope: Scope, mod: ModuleRecord): Value {
    const calleeNode = skipOuter(node.expression);
    if (calleeNode.kind === tsApi.SyntaxKind.SuperKeyword) {
      const sup = scope.get('%super');
      const args = this.evalArgs(node.arguments, scope, mod);
      if (sup instanceof Native && sup.callImpl) sup.callImpl(args === UNKNOWN ? [] : args, this.nativeCall(node, undefined));
      return undefined;
    }
    if (tsApi.isIdentifier(calleeNode) && calleeNode.text === 'require' && !scope.has('require')) {
      const a = node.arguments[0];
      return a && tsApi.isStringLiteral(a) ? this.moduleNamespace(a.text, mod).ns : UNKNOWN;
    }
    let thisValue: Value;
    let callee: Value;
    if (tsApi.isPropertyAccessExpression(calleeNode) || tsApi.isElementAccessExpression(calleeNode)) {
      if (calleeNode.expression.kind === tsApi.SyntaxKind.SuperKeyword) {
        thisValue = scope.findThis();
        callee = tsApi.isPropertyAccessExpression(calleeNode) ? this.superMember(calleeNode.name.text, scope) : UNKNOWN;
      } else {
        thisValue = this.evalExpr(calleeNode.expression, scope, mod);
        if (calleeNode.questionDotToken && (thisValue === null || thisValue === undefined)) return undefined;
        const key = tsApi.isPropertyAccessExpression(calleeNode) ? calleeNode.name.text : propertyKey(this.evalExpr(calleeNode.argumentExpression, scope, mod));
        callee = key === UNKNOWN ? UNKNOWN : this.getMember(thisValue, key);
      }
    } else {
      callee = this.evalExpr(calleeNode as ts.Expression, scope, mod);
      thisValue = undefined;
    }
    if (node.questionDotToken && (callee === null || callee === undefined)) return undefined;
    const args = this.evalArgs(node.arguments, scope, mod);
    if (args === UNKNOWN) { this.unseenCall(this.argValues(node.arguments, scope), thisValue); return UNKNOWN; }
    if (callee !== UNKNOWN && (callee === undefined || callee === null || typeof callee !== 'object')) {
      this.implicitThrow(); // TypeError: not a function
      return UNKNOWN;
    }
    if (callee === UNKNOWN) {
      // Graph values' unknown members (model.fit, layer.getWeights) are tfjs methods that build nothing.
      const graphValue = thisValue instanceof TensorNode || thisValue instanceof LayerInstance || thisValue instanceof ModelRecord;
      this.unseenCall(args, graphValue && !MUTATING_TFJS_METHODS.has(calleeName(calleeNode)) ? undefined : thisValue);
      return UNKNOWN;
    }
    return this.call(callee, args, thisValue, node);
  }

  /** The values of a call's arguments, for forgetting them when the call cannot be followed. */
  private argValues(args: ts.NodeArray<ts.Expression>, scope: Scope): Value[] {
    return args.map((a) => {
      const e = skipOuter(tsApi.isSpreadElement(a) ? a.expression : a);
      return tsApi.isIdentifier(e) ? scope.get(e.text) : undefined;
    });
  }

  private evalBinary(node: ts.BinaryExpression, scope: Scope, mod: ModuleRecord): Value {
    const op = node.operatorToken.kind;
    if (op === tsApi.SyntaxKind.EqualsToken) {
      const v = this.evalExpr(node.right, scope, mod);
      this.assignTo(node.left, v, scope, mod);
      return v;
    }
    if (op === tsApi.SyntaxKind.AmpersandAmpersandToken || op === tsApi.SyntaxKind.BarBarToken || op === tsApi.SyntaxKind.QuestionQuestionToken) {
      const l = this.evalExpr(node.left, scope, mod);
      if (l === UNKNOWN) return UNKNOWN;
      const t = op === tsApi.SyntaxKind.QuestionQuestionToken ? undefined : this.truth(l);
      if (t === UNKNOWN) return UNKNOWN;
      const short = op === tsApi.SyntaxKind.QuestionQuestionToken ? l !== null && l !== undefined
        : op === tsApi.SyntaxKind.BarBarToken ? t === true : t === false;
      return short ? l : this.evalExpr(node.right, scope, mod);
    }
    const logical = LOGICAL_ASSIGNMENT[op];
    if (logical !== undefined) {
      // `x ??= f()` assigns, and runs f, only when x is nullish; `&&=` only when truthy, `||=` when falsy.
      const l = this.evalExpr(node.left, scope, mod);
      if (l === UNKNOWN) {
        // Whether the right side runs is unknown: not run, its effects and the target forgotten.
        this.forget([node.right], scope);
        this.assignTo(node.left, UNKNOWN, scope, mod);
        return UNKNOWN;
      }
      const short = logical === tsApi.SyntaxKind.QuestionQuestionToken ? l !== null && l !== undefined
        : logical === tsApi.SyntaxKind.BarBarToken ? truthy(l) === true : truthy(l) === false;
      if (short) return l;
      const v = this.evalExpr(node.right, scope, mod);
      this.assignTo(node.left, v, scope, mod);
      return v;
    }
    const compound = COMPOUND[op];
    if (compound !== undefined) {
      const l = this.evalExpr(node.left, scope, mod);
      const r = this.evalExpr(node.right, scope, mod);
      const v = binaryOp(compound, l, r);
      this.assignTo(node.left, v, scope, mod);
      return v;
    }
    if (op === tsApi.SyntaxKind.CommaToken) {
      this.evalExpr(node.left, scope, mod);
      return this.evalExpr(node.right, scope, mod);
    }
    if (op === tsApi.SyntaxKind.InKeyword) {
      const l = this.evalExpr(node.left, scope, mod);
      const r = this.evalExpr(node.right, scope, mod);
      if ((typeof l !== 'string' && typeof l !== 'number') || !(r instanceof Obj) || r.cls || r.props.has('%unknownSpread')) return UNKNOWN;
      return r.props.has(String(l));
    }
    if (op === tsApi.SyntaxKind.InstanceOfKeyword) {
      const l = this.evalExpr(node.left, scope, mod);
      const r = this.evalExpr(node.right, scope, mod);
      if (r instanceof ClassValue && l instanceof Obj) {
        for (let c: Value = l.cls; c instanceof ClassValue; c = c.superClass) if (c === r) return true;
        return false;
      }
      return this.tf.instanceOf(l, r);
    }
    const l = this.evalExpr(node.left, scope, mod);
    const r = this.evalExpr(node.right, scope, mod);
    return binaryOp(op, l, r);
  }
}

/** A class's own `get`/`set` accessor for a key, searched up the class chain. */
function findAccessor(cls: ClassValue, key: string, statics: boolean, kind: ts.SyntaxKind.GetAccessor | ts.SyntaxKind.SetAccessor):
  { cls: ClassValue; member: ts.AccessorDeclaration } | undefined {
  for (let c: Value = cls; c instanceof ClassValue; c = c.superClass) {
    const member = c.node.members.find((m): m is ts.AccessorDeclaration =>
      m.kind === kind && isStatic(m) === statics && !!(m as ts.AccessorDeclaration).body && propText((m as ts.AccessorDeclaration).name) === key);
    if (member) return { cls: c, member };
  }
  return undefined;
}

/** Methods of models and layers that change what the analyzer tracks (the rest compute or train). */
const MUTATING_TFJS_METHODS = new Set(['pop', 'setInputs', 'add']);

function calleeName(n: ts.Node): string {
  return tsApi.isPropertyAccessExpression(n) ? n.name.text : '';
}

const LOGICAL_ASSIGNMENT: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
  [tsApi.SyntaxKind.AmpersandAmpersandEqualsToken]: tsApi.SyntaxKind.AmpersandAmpersandToken,
  [tsApi.SyntaxKind.BarBarEqualsToken]: tsApi.SyntaxKind.BarBarToken,
  [tsApi.SyntaxKind.QuestionQuestionEqualsToken]: tsApi.SyntaxKind.QuestionQuestionToken,
};

const COMPOUND: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
  [tsApi.SyntaxKind.PlusEqualsToken]: tsApi.SyntaxKind.PlusToken,
  [tsApi.SyntaxKind.MinusEqualsToken]: tsApi.SyntaxKind.MinusToken,
  [tsApi.SyntaxKind.AsteriskEqualsToken]: tsApi.SyntaxKind.AsteriskToken,
  [tsApi.SyntaxKind.SlashEqualsToken]: tsApi.SyntaxKind.SlashToken,
  [tsApi.SyntaxKind.PercentEqualsToken]: tsApi.SyntaxKind.PercentToken,
  [tsApi.SyntaxKind.AsteriskAsteriskEqualsToken]: tsApi.SyntaxKind.AsteriskAsteriskToken,
  [tsApi.SyntaxKind.LessThanLessThanEqualsToken]: tsApi.SyntaxKind.LessThanLessThanToken,
  [tsApi.SyntaxKind.GreaterThanGreaterThanEqualsToken]: tsApi.SyntaxKind.GreaterThanGreaterThanToken,
  [tsApi.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: tsApi.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  [tsApi.SyntaxKind.AmpersandEqualsToken]: tsApi.SyntaxKind.AmpersandToken,
  [tsApi.SyntaxKind.BarEqualsToken]: tsApi.SyntaxKind.BarToken,
  [tsApi.SyntaxKind.CaretEqualsToken]: tsApi.SyntaxKind.CaretToken,
};

