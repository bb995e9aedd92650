// What a skipped piece of code may change: the names it assigns and the objects it calls methods on.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
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
    if (tsApi.isIdentifier(t)) assigned.add(t.text);
    else if (tsApi.isArrayLiteralExpression(t)) t.elements.forEach(target);
    else if (tsApi.isObjectLiteralExpression(t)) {
      for (const p of t.properties) {
        if (tsApi.isShorthandPropertyAssignment(p)) assigned.add(p.name.text);
        else if (tsApi.isPropertyAssignment(p)) target(p.initializer);
      }
    } else if (tsApi.isPropertyAccessExpression(t) || tsApi.isElementAccessExpression(t)) {
      // obj.p = … mutates obj: forget obj itself.
      const base = rootIdentifier(t);
      if (base) assigned.add(base);
    }
  };
  const visit = (n: ts.Node): void => {
    if (n !== root && (tsApi.isFunctionLike(n) || tsApi.isClassLike(n))) return;
    if (tsApi.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) target(n.left);
    else if ((tsApi.isPrefixUnaryExpression(n) || tsApi.isPostfixUnaryExpression(n)) &&
      (n.operator === tsApi.SyntaxKind.PlusPlusToken || n.operator === tsApi.SyntaxKind.MinusMinusToken)) target(n.operand);
    else if (tsApi.isDeleteExpression(n)) target(n.expression);
    else if (tsApi.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      if (tsApi.isPropertyAccessExpression(callee) || tsApi.isElementAccessExpression(callee)) {
        const base = rootIdentifier(callee.expression);
        if (base) receivers.add(base);
      }
    }
    tsApi.forEachChild(n, visit);
  };
  visit(root);
  return { assigned, receivers };
});

function rootIdentifier(n: ts.Node): string | undefined {
  n = skipOuter(n);
  while (tsApi.isPropertyAccessExpression(n) || tsApi.isElementAccessExpression(n)) n = skipOuter(n.expression);
  return tsApi.isIdentifier(n) ? n.text : undefined;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= tsApi.SyntaxKind.FirstAssignment && k <= tsApi.SyntaxKind.LastAssignment;
}
