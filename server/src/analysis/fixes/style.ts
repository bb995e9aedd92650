// How the file is written, so inserted code reads like the rest of it: spacing inside braces, the
// indentation step, the line width it keeps to, how it casts apply() results (a `T` alias included), its
// own BatchNormalization helper, and names that are free in the function being edited.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { skipOuter } from '../syntax/ast';
import { splitLines } from '../syntax/text';
import { isTs } from './edits';

export interface FileStyle {
  /** '{ a: 1 }' (true) or '{a: 1}' (false). */
  braceSpace: boolean;
  /** One level of indentation: '  ', '    ' or '\t'. */
  indentUnit: string;
  /** Longest line the file keeps to (inserted lines wrap past it). */
  width: number;
  /** ' as tf.SymbolicTensor', ' as T', or '' (JavaScript, or a file that never casts). */
  cast: string;
  /** A helper of the file that applies BatchNormalization to its one argument, e.g. 'bn'. */
  bnHelper?: string;
}

const cache = new WeakMap<ts.SourceFile, FileStyle>();

export function styleOf(sf: ts.SourceFile, layerPrefix: string): FileStyle {
  let s = cache.get(sf);
  if (!s) {
    s = { braceSpace: braceSpace(sf.text), indentUnit: indentUnit(sf.text), width: width(sf.text), cast: castOf(sf, layerPrefix), bnHelper: bnHelper(sf) };
    cache.set(sf, s);
  }
  return s;
}

function braceSpace(text: string): boolean {
  const spaced = (text.match(/\(\{ [^\s}]/g) ?? []).length;
  const tight = (text.match(/\(\{[^\s}]/g) ?? []).length;
  return spaced >= tight && spaced > 0;
}

/** The most common step between the indentation of a line and the next deeper one. */
function indentUnit(text: string): string {
  const lines = splitLines(text).filter((l) => l.trim().length > 0 && !/^\s*(\*|\/\/)/.test(l));
  if (lines.some((l) => l.startsWith('\t'))) return '\t';
  const steps = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const a = /^ */.exec(lines[i - 1])![0].length;
    const b = /^ */.exec(lines[i])![0].length;
    if (b > a) steps.set(b - a, (steps.get(b - a) ?? 0) + 1);
  }
  const best = [...steps].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0] ?? 2;
  return ' '.repeat(best === 4 ? 4 : 2);
}

/** The file's long lines set the limit (never below 80, never above 160). */
function width(text: string): number {
  const lengths = splitLines(text).map((l) => l.length).sort((a, b) => a - b);
  const longest = lengths[Math.floor(lengths.length * 0.98)] ?? 0;
  return Math.min(160, Math.max(80, longest));
}

/** How the file casts apply() results: its most frequent `as X` naming SymbolicTensor or an alias of it. */
function castOf(sf: ts.SourceFile, layerPrefix: string): string {
  if (!isTs(sf)) return '';
  const aliases = new Set<string>();
  for (const m of sf.text.matchAll(/\btype\s+([A-Za-z_$][\w$]*)\s*=\s*(?:[A-Za-z_$][\w$]*\.)?SymbolicTensor\s*;/g)) aliases.add(m[1]);
  // An alias imported from the project's own files (`import { type T } from './common'`) is one too when the
  // file casts apply() results to it.
  for (const m of sf.text.matchAll(/\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]\.[^'"]*['"]/g)) {
    for (const spec of m[1].split(',')) {
      const name = /(?:^|\s)([A-Za-z_$][\w$]*)\s*$/.exec(spec.trim())?.[1];
      if (name && new RegExp(`\\)\\s*as\\s+${name.replace(/\$/g, '\\$')}\\b`).test(sf.text)) aliases.add(name);
    }
  }
  const counts = new Map<string, number>();
  for (const m of sf.text.matchAll(/\bas\s+((?:[A-Za-z_$][\w$]*\.)?[A-Za-z_$][\w$]*)\b(?![.[<])/g)) {
    if (/(^|\.)SymbolicTensor$/.test(m[1]) || aliases.has(m[1])) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best) return ` as ${best}`;
  const ns = /^([A-Za-z_$][\w$]*)\.layers\.$/.exec(layerPrefix);
  return ns ? ` as ${ns[1]}.SymbolicTensor` : '';
}

/** `function bn(x) { return tf.layers.batchNormalization().apply(x) as T; }` or its arrow form: its name. */
function bnHelper(sf: ts.SourceFile): string | undefined {
  for (const st of sf.statements) {
    let name: string | undefined;
    let fn: ts.FunctionLikeDeclaration | undefined;
    if (tsApi.isFunctionDeclaration(st) && st.name) { name = st.name.text; fn = st; }
    else if (tsApi.isVariableStatement(st)) {
      const d = st.declarationList.declarations[0];
      const init = d?.initializer && skipOuter(d.initializer);
      if (d && tsApi.isIdentifier(d.name) && init && (tsApi.isArrowFunction(init) || tsApi.isFunctionExpression(init))) { name = d.name.text; fn = init; }
    }
    if (!name || !fn || !fn.body || fn.parameters.length < 1 || fn.parameters.slice(1).some((p) => !p.initializer && !p.questionToken)) continue;
    const param = fn.parameters[0].name;
    if (!tsApi.isIdentifier(param)) continue;
    let ret: ts.Expression | undefined;
    if (!tsApi.isBlock(fn.body)) ret = fn.body;
    else if (fn.body.statements.length === 1 && tsApi.isReturnStatement(fn.body.statements[0])) ret = fn.body.statements[0].expression;
    const call = ret && skipOuter(ret);
    if (!call || !tsApi.isCallExpression(call) || call.arguments.length !== 1) continue;
    const arg = skipOuter(call.arguments[0]);
    const callee = skipOuter(call.expression);
    if (!tsApi.isIdentifier(arg) || arg.text !== param.text || !tsApi.isPropertyAccessExpression(callee) || callee.name.text !== 'apply') continue;
    const factory = skipOuter(callee.expression);
    if (tsApi.isCallExpression(factory) && /batchNormalization$/.test(factory.expression.getText(sf))) return name;
  }
  return undefined;
}

/** Identifiers used anywhere inside `scope`. */
function namesIn(scope: ts.Node): Set<string> {
  const used = new Set<string>();
  const visit = (n: ts.Node): void => { if (tsApi.isIdentifier(n)) used.add(n.text); tsApi.forEachChild(n, visit); };
  visit(scope);
  return used;
}

/** The first of `names` not used in the function around `node` (or the file), else the last with a number. */
export function freeName(node: ts.Node, names: string[]): string {
  let scope: ts.Node = node;
  while (scope.parent && !tsApi.isFunctionLike(scope)) scope = scope.parent;
  const used = namesIn(scope);
  for (const n of names) if (!used.has(n)) return n;
  const base = names[names.length - 1];
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** `{ a, b }` or `{a, b}` as the file writes object literals. */
export function objectText(style: FileStyle, props: string[]): string {
  return style.braceSpace ? `{ ${props.join(', ')} }` : `{${props.join(', ')}}`;
}
