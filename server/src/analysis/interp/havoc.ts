// What a skipped piece of code may change: the names it assigns and the objects it calls methods on.
import * as ts from 'typescript';
import { perNode, skipOuter } from '../syntax/ast';

/**
 * What a piece of code may change, outside nested functions: the identifiers it assigns (x = …, x += …,
 * x++, and obj for obj.p = …) and those whose methods it calls (arr.push, model.add: those objects may have
 * been mutated). One walk for both: a runaway 5 MB function is walked once when the budget cuts it.
 */
export const effects = perNode((root: ts.Node): { assigned: ReadonlySet<string>; receivers: ReadonlySet<string> } => {
  const assigned = new Set<string>();
  const receivers = new Set<string>();
  const target = (t: ts.Node) => {
    t = skipOuter(t);
    if (ts.isIdentifier(t)) assigned.add(t.text);
    else if (ts.isArrayLiteralExpression(t)) t.elements.forEach(target);
    else if (ts.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (ts.isShorthandPropertyAssignment(p)) assigned.add(p.name.text);
        else if (ts.isPropertyAssignment(p)) target(p.initializer);
      }
    } else if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t)) {
      // obj.p = … mutates obj: forget obj itself.
      const base = rootIdentifier(t);
      if (base) assigned.add(base);
    }
  };
  const visit = (n: ts.Node): void => {
    if (n !== root && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) target(n.left);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    else if (ts.isDeleteExpression(n)) target(n.expression);
    else if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
        const base = rootIdentifier(callee.expression);
        if (base) receivers.add(base);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(root);
  return { assigned, receivers };
});

function rootIdentifier(n: ts.Node): string | undefined {
  n = skipOuter(n);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = skipOuter(n.expression);
  return ts.isIdentifier(n) ? n.text : undefined;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}
