import * as ts from 'typescript';

// Small AST helpers shared by the interpreter, the rules and the fixes.

export function skipOuter(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isTypeAssertionExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

export function hasExport(n: ts.Node): boolean {
  return ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}
export function isDefault(n: ts.Node): boolean {
  return ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}
export function isStatic(n: ts.Node): boolean {
  return ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}
export function isParameterPropertyModifier(k: ts.SyntaxKind): boolean {
  return k === ts.SyntaxKind.PublicKeyword || k === ts.SyntaxKind.PrivateKeyword || k === ts.SyntaxKind.ProtectedKeyword || k === ts.SyntaxKind.ReadonlyKeyword;
}
export function propText(n: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

export function boundNames(n: ts.BindingName): string[] {
  if (ts.isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!ts.isOmittedExpression(el)) out.push(...boundNames(el.name));
  return out;
}

export function containsReturn(n: ts.Node): boolean {
  let found = false;
  const visit = (c: ts.Node): void => {
    if (found || ts.isFunctionLike(c) || ts.isClassLike(c)) return;
    if (ts.isReturnStatement(c)) { found = true; return; }
    ts.forEachChild(c, visit);
  };
  visit(n);
  return found;
}

