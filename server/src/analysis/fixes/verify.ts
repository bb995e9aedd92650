import type { AnalysisHost, AnalysisResult, AnalyzeOptions, Finding, Fix, TextEdit } from '../types';
import { analyze } from '../analyze';

/** Applies LSP-style edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const errors = (r: AnalysisResult) => r.findings.filter((f) => f.severity === 'error').length;
const ofRule = (r: AnalysisResult, rule: string) => r.findings.filter((f) => f.rule === rule).length;

/**
 * Fixes for shape errors change the model, possibly in a helper that other calls share: each one is
 * checked by re-analysing the edited program. A fix that does not remove its finding, or that creates a
 * new error, is dropped (and the next one becomes preferred).
 */
export function verifyFixes(result: AnalysisResult, file: string, text: string, host: AnalysisHost, options: AnalyzeOptions): void {
  const baseErrors = errors(result);
  for (const f of result.findings) {
    if (f.rule !== 'residual-shape-mismatch' && f.rule !== 'missing-same-padding') continue;
    f.fixes = f.fixes.filter((fix) => fixWorks(fix, f, result, baseErrors, file, text, host, options));
    if (f.fixes.length && !f.fixes.some((x) => x.isPreferred)) f.fixes[0].isPreferred = true;
  }
}

function fixWorks(fix: Fix, finding: Finding, before: AnalysisResult, baseErrors: number, file: string, text: string, host: AnalysisHost, options: AnalyzeOptions): boolean {
  const original = fix.file === file ? text : host.readFile(fix.file);
  if (original === undefined) return false;
  const edited = applyEdits(original, fix.edits);
  const overlay: AnalysisHost = { readFile: (p) => (p === fix.file ? edited : p === file ? text : host.readFile(p)) };
  const mainText = fix.file === file ? edited : text;
  const after = analyze(file, mainText, overlay, { ...options, verify: false });
  if (after.models.length < before.models.length) return false;
  if (errors(after) > baseErrors - (finding.severity === 'error' ? 1 : 0)) return false;
  return ofRule(after, finding.rule) < ofRule(before, finding.rule);
}
