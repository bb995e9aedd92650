// What a type name in a parameter's annotation stands for: `type T = tf.SymbolicTensor` in the same file or
// imported from a file the analysis has loaded. Files that alias tfjs's tensor type to a short name are
// common (the fix style honours them too); without this, every `x: T` parameter would be left unknown.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { candidatePaths, isTfjsSpecifier, type ModuleRecord } from './modules';

/**
 * The aliased type; 'tensor' for tfjs's own tensor types imported under another name; 'other' for anything
 * else declared or imported; undefined when a relative import could not be followed (the file is not loaded).
 */
export type TypeTarget = ts.TypeNode | 'tensor' | 'other' | undefined;

/** tfjs's tensor types as a parameter annotation spells them: `tf.SymbolicTensor`, `Tensor4D`, a union of them. */
export function isTfjsTensorType(text: string): boolean {
  return /^(tf\.)?(SymbolicTensor|Tensor(\d*D)?)(\s*\|\s*(tf\.)?(SymbolicTensor|Tensor(\d*D)?))*$/.test(text);
}

export function resolveTypeName(name: string, sf: ts.SourceFile, modules: ReadonlyMap<string, ModuleRecord>, depth = 0): TypeTarget {
  if (depth > 4) return undefined;
  for (const st of sf.statements) {
    if (tsApi.isTypeAliasDeclaration(st) && st.name.text === name) return st.type;
    if ((tsApi.isInterfaceDeclaration(st) || tsApi.isClassDeclaration(st) || tsApi.isEnumDeclaration(st)) && st.name?.text === name) return 'other';
    if (!tsApi.isImportDeclaration(st) || !tsApi.isStringLiteral(st.moduleSpecifier)) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !tsApi.isNamedImports(named)) continue;
    const spec = named.elements.find((e) => e.name.text === name);
    if (!spec) continue;
    const imported = (spec.propertyName ?? spec.name).text;
    if (isTfjsSpecifier(st.moduleSpecifier.text)) return isTfjsTensorType(imported) ? 'tensor' : 'other';
    if (!st.moduleSpecifier.text.startsWith('.')) return 'other';
    const target = candidatePaths(sf.fileName, st.moduleSpecifier.text).map((p) => modules.get(p)).find(Boolean);
    return target ? resolveTypeName(imported, target.sf, modules, depth + 1) : undefined;
  }
  return 'other';
}
