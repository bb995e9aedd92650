// Finds the depth parameter of an exported model builder, for the depth sweep (He et al. Fig. 6 on the
// user's code): `resnet(depth = 20)` (positional) or `resnet({ depth = 20 } = {})` (a property of an options
// object). Syntactic, from the builder's own signature: the sweep is offered only when there is one.
import ts from 'typescript';
import type { DepthParam } from '../../../../contract/depthArgs';

export type { DepthParam };

const DEPTH_NAME = /^(depth|numLayers|num_layers|layers|nLayers)$/;

function paramsOf(source: ts.SourceFile, entry: string): readonly ts.ParameterDeclaration[] | undefined {
  let found: readonly ts.ParameterDeclaration[] | undefined;
  const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const stmt of source.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === entry && exported(stmt)) found = stmt.parameters;
    if (ts.isVariableStatement(stmt) && exported(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === entry && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
          found = d.initializer.parameters;
        }
      }
    }
  }
  return found;
}

/** The depth parameter of `entry` in `text`, or undefined when it has none. */
export function findDepthParam(text: string, entry: string): DepthParam | undefined {
  const source = ts.createSourceFile('model.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const params = paramsOf(source, entry) ?? [];
  for (const [index, p] of params.entries()) {
    if (ts.isIdentifier(p.name) && DEPTH_NAME.test(p.name.text)) return { index, name: p.name.text };
    if (ts.isObjectBindingPattern(p.name)) {
      for (const el of p.name.elements) {
        const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
        if (prop && DEPTH_NAME.test(prop)) return { index, property: prop, name: prop };
      }
    }
  }
  return undefined;
}

export { depthArgs } from '../../../../contract/depthArgs';
