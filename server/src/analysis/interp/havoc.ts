// What a skipped piece of code may change: the names it assigns and the objects it calls methods on.
import * as ts from 'typescript';
import { perNode, skipOuter } from '../syntax/ast';

/** Identifiers a piece of code may assign (x = …, x += …, x++), outside nested functions. */
export const assignedNames = perNode((root: ts.Node): ReadonlySet<string> => {
  const out = new Set<string>();
  const target = (t: ts.Node) => {
    t = skipOuter(t);
    if (ts.isIdentifier(t)) out.add(t.text);
    else if (ts.isArrayLiteralExpression(t)) t.elements.forEach(target);
    else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isShorthandPropertyAssignment(p)) out.add(p.name.text);
        else if (ts.isPropertyAssignment(p)) target(p.initializer);
      }
    } else if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t)) {
      // obj.p = … mutates obj: forget obj itself.
      const base = rootIdentifier(t);
      if (base) out.add(base);
    }
  };
  const visit = (n: ts.Node): void => {
    if (n !== root && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) target(n.left);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
});

/** Identifiers whose methods are called (arr.push, model.add): those objects may have been mutated. */
export const receiverNames = perNode((root: ts.Node): ReadonlySet<string> => {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (n !== root && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
        const base = rootIdentifier(callee.expression);
        if (base) out.add(base);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
});

function rootIdentifier(n: ts.Node): string | undefined {
  n = skipOuter(n);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = skipOuter(n.expression);
  return ts.isIdentifier(n) ? n.text : undefined;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}
