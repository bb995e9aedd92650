// Source positions for objects created while a fixture runs. tfjs names layers with a session counter
// ('conv2d_Conv2D12'), which says nothing about where in the file a layer came from; the analyzer reports
// positions, so the ground truth needs them too. A transpile-time transform wraps every call and `new`
// expression as `HOOK(line, character, () => expr)`, letting the runtime see each result with its position.
import ts from 'typescript';

/** 0-based, LSP style (as in server/src/analysis/types.ts), of the call expression's first character. */
export interface CallSite {
  file: string;
  line: number;
  character: number;
}

export function callSiteTransformer(sourceFile: ts.SourceFile, hook: string): ts.TransformerFactory<ts.SourceFile> {
  return (context) => {
    const { factory } = context;
    const visit = (node: ts.Node): ts.Node => {
      const visited = ts.visitEachChild(node, visit, context);
      if (!isWrappable(node)) return visited;
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      const thunk = factory.createArrowFunction(
        undefined, undefined, [], undefined,
        factory.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
        visited as ts.Expression,
      );
      return factory.createCallExpression(factory.createIdentifier(hook), undefined, [
        factory.createNumericLiteral(line),
        factory.createNumericLiteral(character),
        thunk,
      ]);
    };
    return (root) => ts.visitNode(root, visit) as ts.SourceFile;
  };
}

function isWrappable(node: ts.Node): node is ts.CallExpression | ts.NewExpression {
  if (ts.isNewExpression(node)) return !suspends(node);
  if (!ts.isCallExpression(node)) return false;
  // Wrapping part of an optional chain would change where it short-circuits; super() must stay a statement
  // of the constructor itself; an arrow cannot contain `await`/`yield` of its enclosing function.
  if (node.flags & ts.NodeFlags.OptionalChain) return false;
  if (node.expression.kind === ts.SyntaxKind.SuperKeyword || node.expression.kind === ts.SyntaxKind.ImportKeyword) return false;
  return !suspends(node);
}

function suspends(node: ts.Node): boolean {
  let found = false;
  const search = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (ts.isAwaitExpression(child) || ts.isYieldExpression(child)) found = true;
    else ts.forEachChild(child, search);
  };
  ts.forEachChild(node, search);
  return found;
}
