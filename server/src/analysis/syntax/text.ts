// Source positions and text: LSP ranges, line numbers for messages, shapes as text.
import * as ts from 'typescript';
import type { Range } from '../types';

/** LSP range of a node (without leading trivia). */
export function rangeOf(sf: ts.SourceFile, node: ts.Node): Range {
  return spanRange(sf, node.getStart(sf), node.getEnd());
}

export function spanRange(sf: ts.SourceFile, start: number, end: number): Range {
  const s = sf.getLineAndCharacterOfPosition(start);
  const e = sf.getLineAndCharacterOfPosition(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

/** 1-based line of a node, for messages ("line 12"). */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** 1-based line where an applied layer was created; typed by structure so that syntax stays below the graph. */
export const lineOfLayer = (a: { layer: { created: { sf: ts.SourceFile; node: ts.Node } } }): number =>
  lineOf(a.layer.created.sf, a.layer.created.node);

/** JSON-friendly shape text: [null,32,32,16]; unknown dims print as '?'. */
export function showShape(s: readonly (number | null | undefined | string)[] | undefined): string {
  if (!s) return '?';
  return `[${s.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`;
}
