// Fix verification: every shape fix is applied and the program re-analysed; fixes that do not help are
// dropped. The check runs one fix at a time so a host can spread the work over many turns of its event loop
// (the language server) or run it all at once (the CLI).
import type { AnalysisHost, AnalysisResult, AnalyzeOptions, Finding, Fix } from '../types';
import { applyEdits } from './apply';

/** The analysis, passed in by analyze.ts: this stage sits below it and re-runs it on edited text. */
export type AnalyzeFn = (file: string, text: string, host: AnalysisHost, options: AnalyzeOptions) => AnalysisResult;

/**
 * Fixes that are alternative ways to do one thing (projection styles): verification keeps the first that
 * works and does not even check the rest.
 */
const alternatives = new WeakMap<Fix, Fix[]>();
export function markAlternatives(fixes: Fix[]): void {
  for (const f of fixes) alternatives.set(f, fixes);
}

/** The fixes `fix` is an alternative to (itself included), for copying a finding with its fixes. */
export function alternativesOf(fix: Fix): readonly Fix[] | undefined {
  return alternatives.get(fix);
}

/** Verdicts already reached, per fix object (a result's fixes are checked at most once). */
const verdicts = new WeakMap<Fix, boolean>();
/** Why a fix failed its check, said in the message when no fix of the finding passes. */
const failures = new WeakMap<Fix, string>();
const settled = new WeakSet<Finding>();

const errors = (r: AnalysisResult) => r.findings.filter((f) => f.severity === 'error').length;
const ofRule = (r: AnalysisResult, rule: string) => r.findings.filter((f) => f.rule === rule).length;

/** Whether a finding's fixes are checked by re-analysis at all (the others only set a property). */
const isShapeFinding = (f: Finding): boolean => f.rule === 'residual-shape-mismatch' || f.rule === 'missing-same-padding';

/** True when the finding's fixes are final: checked, or of a kind that needs no check. */
export function fixesSettled(f: Finding): boolean {
  return !isShapeFinding(f) || settled.has(f);
}

/**
 * One step of the check: re-analyses the next unchecked fix of `finding` (one analysis of the program),
 * or, when none is left, drops the fixes that failed and settles the finding. Returns true once settled.
 * `text` must be the text `result` was computed from.
 */
export function verifyStep(analyze: AnalyzeFn, result: AnalysisResult, finding: Finding, text: string, host: AnalysisHost, options: AnalyzeOptions = {}): boolean {
  if (fixesSettled(finding)) return true;
  const next = finding.fixes.find((fix) => !verdicts.has(fix));
  if (next) {
    const rivals = alternatives.get(next) ?? [];
    if (rivals.some((r) => r !== next && verdicts.get(r) === true)) verdicts.set(next, false);
    else {
      const failure = whyFixFails(analyze, next, finding, result, text, host, options);
      verdicts.set(next, failure === undefined);
      if (failure !== undefined) failures.set(next, failure);
    }
    return false;
  }
  const candidates = finding.fixes;
  finding.fixes = candidates.filter((fix) => verdicts.get(fix) === true);
  if (finding.fixes.length && !finding.fixes.some((x) => x.isPreferred)) finding.fixes[0].isPreferred = true;
  if (candidates.length && !finding.fixes.length) finding.message = `${finding.message} ${noVerifiedFix(candidates)}`;
  settled.add(finding);
  return true;
}

/** Checks every fix of `result` now (the CLI and tests; analyze() with verify on). */
export function verifyFixes(analyze: AnalyzeFn, result: AnalysisResult, text: string, host: AnalysisHost, options: AnalyzeOptions): void {
  for (const f of result.findings) while (!verifyStep(analyze, result, f, text, host, options));
}

/** Said when every candidate failed: which fixes were tried and why each was not offered. */
function noVerifiedFix(candidates: Fix[]): string {
  const why = candidates.map((fix) => `"${fix.title}" ${failures.get(fix) ?? 'was not checked'}`);
  return `No verified fix is available: ${why.join('; ')}.`;
}

/**
 * A fix works when the edited program keeps its models, gains no error, and has fewer findings of the rule.
 * Returns undefined when it works, else why not (the end of a sentence that starts with the fix's title).
 */
function whyFixFails(analyze: AnalyzeFn, fix: Fix, finding: Finding, before: AnalysisResult, text: string, host: AnalysisHost, options: AnalyzeOptions): string | undefined {
  const file = before.file;
  const original = fix.file === file ? text : host.readFile(fix.file);
  if (original === undefined) return `edits ${fix.file}, which could not be read`;
  const edited = applyEdits(original, fix.edits);
  const overlay: AnalysisHost = { readFile: (p) => (p === fix.file ? edited : p === file ? text : host.readFile(p)) };
  const mainText = fix.file === file ? edited : text;
  // Not through the caller's cache: that belongs to the text the user has, not to this edited copy.
  const after = analyze(file, mainText, overlay, { ...options, verify: false, cache: undefined });
  if (after.models.length < before.models.length) return 'stops a model from being built';
  if (errors(after) > errors(before) - (finding.severity === 'error' ? 1 : 0)) {
    // Identical findings (a block written out several times) each count: one fixed leaves the others.
    const said = firstSentence(finding.message);
    const alike = (r: AnalysisResult) => r.findings.filter((f) => f.rule === finding.rule && firstSentence(f.message) === said).length;
    if (alike(after) >= alike(before)) return 'leaves the problem as it is';
    const added = after.findings.find((f) => f.severity === 'error' && ofRule(after, f.rule) > ofRule(before, f.rule) - (f.rule === finding.rule ? 1 : 0));
    return `leads to another error${added ? ` (${firstSentence(added.message)})` : ''}`;
  }
  // Padding advice counts only if the merge it is about then matches.
  const merges = ofRule(before, 'residual-shape-mismatch');
  if (finding.rule === 'missing-same-padding' && merges > 0 && ofRule(after, 'residual-shape-mismatch') >= merges) {
    const left = after.findings.find((f) => f.rule === 'residual-shape-mismatch');
    return `leaves a merge mismatched${left ? ` (${firstSentence(left.message)})` : ''}`;
  }
  if (ofRule(after, finding.rule) >= ofRule(before, finding.rule)) {
    const still = after.findings.find((f) => f.rule === finding.rule);
    return `does not remove the problem${still ? ` (after it: ${firstSentence(still.message)})` : ''}`;
  }
  return undefined;
}

/** A message's first sentence, which stands alone (the rest is detail). */
function firstSentence(message: string): string {
  const end = /[.!?](\s|$)/.exec(message);
  return (end ? message.slice(0, end.index) : message).replace(/\s+/g, ' ');
}
