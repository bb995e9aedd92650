// Text edits that respect the user's style: quotes, indentation, line endings, casts, fresh names.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { propText } from '../syntax/ast';
import { lineAt, spanRange } from '../syntax/text';
import type { TextEdit } from '../types';

/** The quote character the file mostly uses for strings, so inserted code looks like the user's. */
export function quoteOf(sf: ts.SourceFile): string {
  let single = 0;
  let double = 0;
  const visit = (n: ts.Node): void => {
    if (tsApi.isStringLiteral(n)) {
      if (sf.text[n.getStart(sf)] === '"') double++;
      else single++;
    }
    tsApi.forEachChild(n, visit);
  };
  visit(sf);
  return double > single ? '"' : "'";
}

/** The file's own line ending: CRLF, a lone CR (classic Mac) or LF. */
export const eolOf = (sf: ts.SourceFile): string => (sf.text.includes('\r\n') ? '\r\n' : sf.text.includes('\r') && !sf.text.includes('\n') ? '\r' : '\n');

/** Leading whitespace of the line a position is on. */
export function indentAt(sf: ts.SourceFile, pos: number): string {
  const lineStart = Math.max(sf.text.lastIndexOf('\n', pos - 1), sf.text.lastIndexOf('\r', pos - 1)) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

export function findProperty(obj: ts.ObjectLiteralExpression, key: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => p.name && propText(p.name) === key);
}

/** Sets `key: valueText` in an object literal: replaces the value if present, else appends the property. */
export function setProperty(sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, key: string, valueText: string): TextEdit {
  const existing = findProperty(obj, key);
  if (existing && tsApi.isPropertyAssignment(existing)) {
    return { range: spanRange(sf, existing.initializer.getStart(sf), existing.initializer.getEnd()), newText: valueText };
  }
  if (existing && tsApi.isShorthandPropertyAssignment(existing)) {
    return { range: spanRange(sf, existing.getStart(sf), existing.getEnd()), newText: `${key}: ${valueText}` };
  }
  const props = obj.properties;
  if (props.length === 0) {
    return { range: spanRange(sf, obj.getStart(sf), obj.getEnd()), newText: `{${key}: ${valueText}}` };
  }
  const last = props[props.length - 1];
  const multiline = lineAt(sf, last.getStart(sf)) !== lineAt(sf, obj.getStart(sf));
  const sep = multiline ? `,${eolOf(sf)}${indentAt(sf, last.getStart(sf))}` : ', ';
  return { range: spanRange(sf, last.getEnd(), last.getEnd()), newText: `${sep}${key}: ${valueText}` };
}

/** Removes a property with its separating comma. */
export function removeProperty(sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike): TextEdit {
  const props = obj.properties;
  const i = props.indexOf(prop);
  if (i < props.length - 1) return { range: spanRange(sf, prop.getStart(sf), props[i + 1].getStart(sf)), newText: '' };
  if (i > 0) return { range: spanRange(sf, props[i - 1].getEnd(), prop.getEnd()), newText: '' };
  return { range: spanRange(sf, prop.getStart(sf), prop.getEnd()), newText: '' };
}

/** The statement (directly inside a block, case clause or the file) that contains a node. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (tsApi.isFunctionLike(n) && n !== node) return undefined;
    const p = n.parent;
    if (p && (tsApi.isBlock(p) || tsApi.isSourceFile(p) || tsApi.isCaseClause(p) || tsApi.isDefaultClause(p) || tsApi.isModuleBlock(p))) return n as ts.Statement;
  }
  return undefined;
}

/** Inserts a whole statement on its own line before `before`, with the same indentation. */
export function insertStatementBefore(sf: ts.SourceFile, before: ts.Statement, text: string): TextEdit {
  const start = before.getStart(sf);
  const indent = indentAt(sf, start);
  return { range: spanRange(sf, start, start), newText: `${text}${eolOf(sf)}${indent}` };
}

export function insertStatementAfter(sf: ts.SourceFile, after: ts.Statement, text: string): TextEdit {
  const end = after.getEnd();
  const indent = indentAt(sf, after.getStart(sf));
  return { range: spanRange(sf, end, end), newText: `${eolOf(sf)}${indent}${text}` };
}

export function replaceNode(sf: ts.SourceFile, node: ts.Node, text: string): TextEdit {
  return { range: spanRange(sf, node.getStart(sf), node.getEnd()), newText: text };
}

/** A name not used anywhere in the file. */
export function freshName(sf: ts.SourceFile, base: string): string {
  const used = new Set<string>();
  const visit = (n: ts.Node): void => { if (tsApi.isIdentifier(n)) used.add(n.text); tsApi.forEachChild(n, visit); };
  visit(sf);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** How the file casts apply() results, e.g. ' as tf.SymbolicTensor' — empty for JS or when it never casts. */
export function castSuffix(sf: ts.SourceFile, layerPrefix: string): string {
  if (!isTs(sf)) return '';
  const m = /\bas\s+((?:[A-Za-z_$][\w$]*\.)?SymbolicTensor)\b(?!\[)/.exec(sf.text);
  if (m) return ` as ${m[1]}`;
  const ns = /^([A-Za-z_$][\w$]*)\.layers\.$/.exec(layerPrefix);
  return ns ? ` as ${ns[1]}.SymbolicTensor` : '';
}

export function isTs(sf: ts.SourceFile): boolean { return !/\.[cm]?jsx?$/i.test(sf.fileName); }
