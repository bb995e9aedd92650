// Fix verification: every shape fix is applied and the program re-analysed; fixes that do not help are dropped.
import type { AnalysisHost, AnalysisResult, AnalyzeOptions, Finding, Fix, TextEdit } from '../types';
import { applyEdits } from './apply';

const verified = new WeakSet<AnalysisResult>();

/** The analysis, passed in by analyze.ts: this stage sits below it and re-runs it on edited text. */
export type AnalyzeFn = (file: string, text: string, host: AnalysisHost, options: AnalyzeOptions) => AnalysisResult;

const errors = (r: AnalysisResult) => r.findings.filter((f) => f.severity === 'error').length;
const ofRule = (r: AnalysisResult, rule: string) => r.findings.filter((f) => f.rule === rule).length;

/**
 * Fixes for shape errors change the model, possibly in a helper that other calls share: each one is
 * checked by re-analysing the edited program. A fix that does not remove its finding, or that creates a
 * new error, is dropped (and the next one becomes preferred).
 */
export function verifyFixes(analyze: AnalyzeFn, result: AnalysisResult, file: string, text: string, host: AnalysisHost, options: AnalyzeOptions): void {
  if (verified.has(result)) return;
  verified.add(result);
  const baseErrors = errors(result);
  for (const f of result.findings) {
    if (f.rule !== 'residual-shape-mismatch' && f.rule !== 'missing-same-padding') continue;
    f.fixes = f.fixes.filter((fix) => fixWorks(analyze, fix, f, result, baseErrors, file, text, host, options));
    if (f.fixes.length && !f.fixes.some((x) => x.isPreferred)) f.fixes[0].isPreferred = true;
  }
}

function fixWorks(analyze: AnalyzeFn, fix: Fix, finding: Finding, before: AnalysisResult, baseErrors: number, file: string, text: string, host: AnalysisHost, options: AnalyzeOptions): boolean {
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
