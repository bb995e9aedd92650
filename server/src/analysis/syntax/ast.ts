// Small AST helpers shared by the interpreter, the rules and the fixes.
import type * as ts from 'typescript';
import { tsApi } from './tsApi';

/**
 * Caches a syntactic query per node: the interpreter asks the same question of a function body on every
 * call, and the answer only depends on the (immutable) tree.
 */
export function perNode<T>(query: (n: ts.Node) => T): (n: ts.Node) => T {
  const cache = new WeakMap<ts.Node, T>();
  return (n) => {
    let v = cache.get(n);
    if (v === undefined && !cache.has(n)) { v = query(n); cache.set(n, v); }
    return v as T;
  };
}

export function skipOuter(n: ts.Node): ts.Node {
  while (tsApi.isParenthesizedExpression(n) || tsApi.isAsExpression(n) || tsApi.isNonNullExpression(n) || tsApi.isTypeAssertionExpression(n) || tsApi.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

export function hasExport(n: ts.Node): boolean {
  return tsApi.canHaveModifiers(n) && !!tsApi.getModifiers(n)?.some((m) => m.kind === tsApi.SyntaxKind.ExportKeyword);
}
export function isDefault(n: ts.Node): boolean {
  return tsApi.canHaveModifiers(n) && !!tsApi.getModifiers(n)?.some((m) => m.kind === tsApi.SyntaxKind.DefaultKeyword);
}
export function isStatic(n: ts.Node): boolean {
  return tsApi.canHaveModifiers(n) && !!tsApi.getModifiers(n)?.some((m) => m.kind === tsApi.SyntaxKind.StaticKeyword);
}
export function isParameterPropertyModifier(k: ts.SyntaxKind): boolean {
  return k === tsApi.SyntaxKind.PublicKeyword || k === tsApi.SyntaxKind.PrivateKeyword || k === tsApi.SyntaxKind.ProtectedKeyword || k === tsApi.SyntaxKind.ReadonlyKeyword;
}
export function propText(n: ts.PropertyName): string | undefined {
  if (tsApi.isIdentifier(n) || tsApi.isStringLiteral(n) || tsApi.isNumericLiteral(n) || tsApi.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

export function boundNames(n: ts.BindingName): string[] {
  if (tsApi.isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!tsApi.isOmittedExpression(el)) out.push(...boundNames(el.name));
  return out;
}

export const containsReturn = perNode((n: ts.Node): boolean => {
  let found = false;
  const visit = (c: ts.Node): void => {
    if (found || tsApi.isFunctionLike(c) || tsApi.isClassLike(c)) return;
    if (tsApi.isReturnStatement(c)) { found = true; return; }
    tsApi.forEachChild(c, visit);
  };
  visit(n);
  return found;
});


/** `var` (function-scoped) rather than `let`/`const`. */
export function isVarList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & tsApi.NodeFlags.BlockScoped) === 0;
}

/** Names declared with `var` anywhere in a function body or module, outside nested functions. */
export const varNames = perNode((root: ts.Node): readonly string[] => {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (n !== root && (tsApi.isFunctionLike(n) || tsApi.isClassLike(n))) return;
    if (tsApi.isVariableDeclarationList(n) && isVarList(n)) for (const d of n.declarations) out.push(...boundNames(d.name));
    tsApi.forEachChild(n, visit);
  };
  visit(root);
  return out;
});

/** Labels written directly in front of a statement (`outer: for …`). */
export function labelsOf(n: ts.Node): string[] {
  const out: string[] = [];
  for (let p = n.parent; p && tsApi.isLabeledStatement(p); p = p.parent) out.push(p.label.text);
  return out;
}

/** break/continue statements inside `root` whose target is outside it (a loop or switch root keeps its own). */
export const escapingJumps = perNode((root: ts.Node): readonly ts.BreakOrContinueStatement[] => {
  const out: ts.BreakOrContinueStatement[] = [];
  const visit = (n: ts.Node, inLoop: boolean, inSwitch: boolean, labels: string[]): void => {
    if (n !== root && (tsApi.isFunctionLike(n) || tsApi.isClassLike(n))) return;
    if (tsApi.isBreakStatement(n) || tsApi.isContinueStatement(n)) {
      const captured = n.label ? labels.includes(n.label.text) : tsApi.isBreakStatement(n) ? inLoop || inSwitch : inLoop;
      if (!captured) out.push(n);
      return;
    }
    const loop = inLoop || tsApi.isIterationStatement(n, false);
    const sw = inSwitch || tsApi.isSwitchStatement(n);
    const own = tsApi.isLabeledStatement(n) ? [...labels, n.label.text] : labels;
    tsApi.forEachChild(n, (c) => visit(c, loop, sw, own));
  };
  visit(root, false, false, tsApi.isIterationStatement(root, false) || tsApi.isSwitchStatement(root) ? labelsOf(root) : []);
  return out;
});

/**
 * A classic script in sloppy mode: plain JavaScript without import/export (a <script> file or CommonJS)
 * and without a "use strict" prologue. There, assigning an undeclared name creates a global.
 */
export const isSloppyScript = perNode((n: ts.Node): boolean => {
  const sf = n as ts.SourceFile;
  if (!/\.(js|cjs|jsx)$/i.test(sf.fileName) || tsApi.isExternalModule(sf)) return false;
  for (const st of sf.statements) {
    if (!tsApi.isExpressionStatement(st) || !tsApi.isStringLiteral(st.expression)) break;
    if (st.expression.text === 'use strict') return false;
  }
  return true;
});
