// How shapes read in hovers and inlay hints: the way tfjs prints them, with `?` for what the analyzer could not know.
import type { Dim, Shape } from '../analysis';

export function formatDim(d: Dim): string {
  if (d === undefined) return '?';
  return d === null ? 'null' : String(d);
}

export function formatShape(shape: Shape): string {
  return `[${shape.map(formatDim).join(',')}]`;
}

/** Several call contexts of one source line: each distinct shape once. */
export function formatShapes(shapes: Shape[]): string {
  return [...new Set(shapes.map(formatShape))].join(' | ');
}

export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return maxLength <= 1 ? '…' : text.slice(0, maxLength - 1) + '…';
}
