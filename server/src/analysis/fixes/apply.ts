// Applying edits to text: one fix, or every preferred fix of a file at once (CLI --fix, LSP fix-all).
import type { Finding, TextEdit } from '../types';
import { lineStarts, offsetIn } from '../syntax/text';

/** Applies LSP-style edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = lineStarts(text);
  const offset = (p: { line: number; character: number }) => offsetIn(starts, text.length, p);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * The preferred fix of every finding in `file`, as one list of non-overlapping edits ("fix all"). A fix
 * whose edits touch a span another chosen fix already edits is left for the next round; identical fixes
 * (the same helper reported twice) are taken once.
 */
export function preferredEdits(text: string, file: string, findings: Finding[]): TextEdit[] {
  const starts = lineStarts(text);
  const off = (p: { line: number; character: number }) => offsetIn(starts, text.length, p);
  const chosen: TextEdit[][] = [];
  const taken: [number, number][] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.isPreferred);
    if (!fix || fix.file !== file) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const spans = fix.edits.map((e) => [off(e.range.start), off(e.range.end)] as [number, number]);
    const clash = spans.some(([s, e]) => taken.some(([ts, te]) => (s < te && ts < e) || s === ts || (s === e && ts <= s && s <= te)));
    if (clash) continue;
    seen.add(key);
    taken.push(...spans);
    chosen.push(fix.edits);
  }
  return chosen.flat();
}
