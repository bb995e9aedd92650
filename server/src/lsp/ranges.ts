// Position arithmetic shared by the features that match cursor positions and edits against analysis ranges.
import type { Position, Range } from '../analysis';

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Inclusive at both ends: a cursor just after a call still hovers it. */
export function rangeContains(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

/** Touching ranges count as intersecting: a zero-width request range at a finding's edge still asks for it. */
export function rangesIntersect(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** Two edits conflict when they overlap, or when both insert at the same point (their order would be undefined). */
export function editsConflict(a: Range, b: Range): boolean {
  const aEmpty = comparePositions(a.start, a.end) === 0;
  const bEmpty = comparePositions(b.start, b.end) === 0;
  if (aEmpty && bEmpty) return comparePositions(a.start, b.start) === 0;
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/** Narrower first: fewer lines, then fewer characters, so the innermost of nested ranges wins. */
export function isNarrower(a: Range, b: Range): boolean {
  const lines = (r: Range) => r.end.line - r.start.line;
  const chars = (r: Range) => r.end.character - r.start.character;
  return lines(a) < lines(b) || (lines(a) === lines(b) && chars(a) < chars(b));
}

export function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
