// Findings as LSP diagnostics, with the user's per-rule severity applied.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity, FunctionNote } from '../analysis';
import type { Files } from './files';
import { ruleDocLinks } from './ruleDocs';
import type { Settings } from './settings';

export const source = 'skipcheck';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const notAnalysedCode = 'not-analysed';

/** A function the analyzer could not follow: a hint at its name, so a clean file is not taken for a checked one. */
export function notAnalysedDiagnostic(note: FunctionNote): Diagnostic {
  return {
    range: note.range,
    severity: DiagnosticSeverity.Hint,
    source,
    code: notAnalysedCode,
    message: `not analysed: ${note.function}: ${note.reason}`,
  };
}

/** Null when the user turned the rule off. */
export function toDiagnostic(finding: Finding, settings: Settings, files: Files): Diagnostic | null {
  const level = settings.rules[finding.rule] ?? finding.severity;
  if (level === 'off') return null;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: severities[level],
    source,
    code: finding.rule,
    message: finding.message,
  };
  const href = ruleDocLinks().get(finding.rule);
  if (href) diagnostic.codeDescription = { href };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: files.uriOf(r.file), range: r.range },
      message: r.message,
    }));
  }
  return diagnostic;
}
