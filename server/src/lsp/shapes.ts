// How shapes read in hovers and inlay hints: the way tfjs prints them, with `?` for what the analyzer could not
// know and symbolic dims (`⌈H/2⌉`) under the short names `aliases` gives their symbols.
import type { Dim, Shape } from '../analysis';
import { renderSymbolic } from './symbolicText';

const noAliases = new Map<string, string>();

export function formatDim(d: Dim, aliases = noAliases): string {
  if (d === undefined) return '?';
  if (typeof d === 'string') return renderSymbolic(d, aliases);
  return d === null ? 'null' : String(d);
}

export function formatShape(shape: Shape, aliases = noAliases): string {
  return `[${shape.map((d) => formatDim(d, aliases)).join(',')}]`;
}

/** Several call contexts of one source line: each distinct shape once. */
export function formatShapes(shapes: Shape[], aliases = noAliases): string {
  return [...new Set(shapes.map((s) => formatShape(s, aliases)))].join(' | ');
}

export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return maxLength <= 1 ? '…' : text.slice(0, maxLength - 1) + '…';
}
