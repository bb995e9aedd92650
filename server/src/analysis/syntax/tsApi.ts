// TypeScript's runtime API (type guards, SyntaxKind, the parser) as the analyzer calls it. `typescript`
// exports its members as getters on one object of ~2,200 properties, which V8 keeps in slow dictionary
// mode, and a bundler's `import * as` wraps that in a second layer of getters: each `ts.isIdentifier(node)`
// on the interpreter's hot path paid a hash lookup and one or two getter calls. This is a plain object of
// the same functions and enums, read once at load. Types still come from `import type * as ts`.
import * as ts from 'typescript';

const USED = [
  'LanguageVariant', 'NodeFlags', 'ScriptKind', 'ScriptTarget', 'SyntaxKind', 'canHaveModifiers',
  'createScanner', 'createSourceFile', 'createTextChangeRange', 'createTextSpan', 'factory', 'forEachChild',
  'getModifiers', 'isArrayLiteralExpression', 'isArrayTypeNode', 'isArrowFunction', 'isAsExpression',
  'isBinaryExpression', 'isBlock', 'isBreakStatement', 'isCallExpression', 'isCaseClause',
  'isClassDeclaration', 'isClassLike', 'isComputedPropertyName', 'isConditionalExpression',
  'isConstructorDeclaration', 'isContinueStatement', 'isDefaultClause', 'isDeleteExpression',
  'isDoStatement', 'isElementAccessExpression', 'isEnumDeclaration', 'isImportDeclaration', 'isInterfaceDeclaration', 'isExpressionStatement', 'isExternalModule',
  'isExternalModuleReference', 'isForInStatement', 'isForOfStatement', 'isForStatement',
  'isFunctionDeclaration', 'isFunctionExpression', 'isFunctionLike', 'isGetAccessorDeclaration',
  'isIdentifier', 'isIfStatement', 'isIterationStatement', 'isLabeledStatement', 'isMethodDeclaration',
  'isModuleBlock', 'isNamedImports', 'isNamespaceExport', 'isNamespaceImport', 'isNewExpression', 'isNonNullExpression',
  'isNumericLiteral', 'isObjectBindingPattern', 'isObjectLiteralExpression', 'isOmittedExpression',
  'isParenthesizedExpression', 'isPostfixUnaryExpression', 'isPrefixUnaryExpression', 'isPrivateIdentifier',
  'isPropertyAccessExpression', 'isPropertyAssignment', 'isPropertyDeclaration', 'isReturnStatement',
  'isSatisfiesExpression', 'isShorthandPropertyAssignment', 'isSourceFile', 'isSpreadAssignment',
  'isSpreadElement', 'isStringLiteral', 'isSwitchStatement', 'isTupleTypeNode', 'isTypeAssertionExpression',
  'isTypeAliasDeclaration', 'isTypeLiteralNode', 'isTypeReferenceNode', 'isVariableDeclaration', 'isVariableDeclarationList',
  'isVariableStatement', 'updateSourceFile',
] as const;

export type TsApi = Pick<typeof ts, (typeof USED)[number]>;

export const tsApi = Object.fromEntries(USED.map((k) => [k, ts[k]])) as unknown as TsApi;
