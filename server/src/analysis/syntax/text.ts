// Source positions and text: LSP ranges, line numbers for messages, shapes as text.
import * as ts from 'typescript';
import type { Position, Range } from '../types';

// One line model everywhere, the LSP's: a line ends at \n, \r\n or a lone \r. TypeScript's own positions also
// break lines at U+2028/U+2029, which editors do not: a string holding one would move every later finding
// down a line and make fixes edit the wrong text. So ranges, line numbers and edits all use this model.

/** Offsets where each line starts, with \n, \r\n and \r as line breaks. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) starts.push(i + 1);
  }
  return starts;
}

/** The text's lines, broken as lineStarts breaks them (a CR-only file has as many lines as the editor shows). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const startsOf = new WeakMap<ts.SourceFile, number[]>();
function cachedStarts(sf: ts.SourceFile): number[] {
  let s = startsOf.get(sf);
  if (!s) startsOf.set(sf, (s = lineStarts(sf.text)));
  return s;
}

/** Line and UTF-16 character of an offset, given the text's line starts. */
export function positionIn(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** The offset of an LSP position (past the end of the text when the line does not exist). */
export function offsetIn(starts: readonly number[], textLength: number, p: Position): number {
  return Math.min((starts[p.line] ?? textLength) + p.character, textLength);
}

/** LSP range of a node (without leading trivia). */
export function rangeOf(sf: ts.SourceFile, node: ts.Node): Range {
  return spanRange(sf, node.getStart(sf), node.getEnd());
}

export function spanRange(sf: ts.SourceFile, start: number, end: number): Range {
  const starts = cachedStarts(sf);
  return { start: positionIn(starts, start), end: positionIn(starts, end) };
}

/** 0-based line of an offset in the LSP line model. */
export function lineAt(sf: ts.SourceFile, offset: number): number {
  return positionIn(cachedStarts(sf), offset).line;
}

/** 1-based line of a node, for messages ("line 12"). */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return lineAt(sf, node.getStart(sf)) + 1;
}

/**
 * "line 12", or "line 12 of blocks.ts" when the node is in another file than the finding (`here`): a line
 * number alone would point into the wrong file.
 */
export function lineRef(sf: ts.SourceFile, node: ts.Node, here?: ts.SourceFile): string {
  const line = `line ${lineOf(sf, node)}`;
  if (!here || here.fileName === sf.fileName) return line;
  return `${line} of ${sf.fileName.split(/[\\/]/).pop() ?? sf.fileName}`;
}

/** 1-based line where an applied layer was created; typed by structure so that syntax stays below the graph. */
export const lineOfLayer = (a: { layer: { created: { sf: ts.SourceFile; node: ts.Node } } }): number =>
  lineOf(a.layer.created.sf, a.layer.created.node);

/** JSON-friendly shape text: [null,32,32,16]; unknown dims print as '?'. */
export function showShape(s: readonly (number | null | undefined | string)[] | undefined): string {
  if (!s) return '?';
  return `[${s.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`;
}
