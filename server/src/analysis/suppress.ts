// ESLint-style disable comments: `// skipcheck-disable-next-line [rule, ...]`, `// skipcheck-disable-line`,
// and `/* skipcheck-disable [rule] */` ... `/* skipcheck-enable [rule] */` ranges. Applied to the core's
// result, so the CLI and the editor agree on what is silenced. Pure: text in, filtered findings out.
import { tsApi } from './syntax/tsApi';
import type { Finding, TextEdit } from './types';

/** A disabled stretch of lines for some rules (empty list: every rule). */
interface Span { from: number; to: number; rules: string[] }

const DIRECTIVE = /^\s*skipcheck-(disable-next-line|disable-line|disable|enable)\b([^]*)$/;

/** Rules named after a directive, ESLint style: comma or space separated, `-- reason` ignored. */
function ruleList(rest: string): string[] {
  return rest.split('--')[0].split(/[\s,]+/).filter((r) => r.length > 0);
}

/** Comments of a file with their 0-based start and end lines, found by TypeScript's scanner (not inside strings). */
function comments(text: string): { body: string; line: number; endLine: number }[] {
  const out: { body: string; line: number; endLine: number }[] = [];
  if (!text.includes('skipcheck-')) return out;
  const scanner = tsApi.createScanner(tsApi.ScriptTarget.Latest, false, tsApi.LanguageVariant.Standard, text);
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const lineAt = (pos: number) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= pos) lo = mid; else hi = mid - 1; }
    return lo;
  };
  for (let kind = scanner.scan(); kind !== tsApi.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== tsApi.SyntaxKind.SingleLineCommentTrivia && kind !== tsApi.SyntaxKind.MultiLineCommentTrivia) continue;
    const raw = scanner.getTokenText();
    const body = kind === tsApi.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
    out.push({ body, line: lineAt(scanner.getTokenStart()), endLine: lineAt(scanner.getTokenEnd()) });
  }
  return out;
}

/** The disabled spans of one file. */
export function disabledSpans(text: string): Span[] {
  const spans: Span[] = [];
  // Open `skipcheck-disable` ranges: rule -> start line ('' for all rules).
  const open = new Map<string, number>();
  const close = (key: string, line: number) => {
    const from = open.get(key);
    if (from === undefined) return;
    open.delete(key);
    spans.push({ from, to: line, rules: key ? [key] : [] });
  };
  for (const c of comments(text)) {
    const m = DIRECTIVE.exec(c.body);
    if (!m) continue;
    const rules = ruleList(m[2]);
    if (m[1] === 'disable-next-line') {
      spans.push({ from: c.endLine + 1, to: c.endLine + 1, rules });
    } else if (m[1] === 'disable-line') {
      spans.push({ from: c.line, to: c.line, rules });
    } else if (m[1] === 'disable') {
      for (const r of rules.length ? rules : ['']) if (!open.has(r)) open.set(r, c.line);
    } else {
      for (const key of rules.length ? rules : [...open.keys()]) close(key, c.line);
    }
  }
  for (const key of [...open.keys()]) close(key, Number.MAX_SAFE_INTEGER);
  return spans;
}

/**
 * The findings no disable comment silences. A finding counts as on the line it starts on, as in ESLint.
 * `textOf` gives the text of the file a finding is in (findings can sit in imported helpers).
 */
export function unsuppressed(findings: Finding[], textOf: (file: string) => string | undefined): Finding[] {
  const byFile = new Map<string, Span[]>();
  const spansOf = (file: string) => {
    let s = byFile.get(file);
    if (!s) { const text = textOf(file); s = text === undefined ? [] : disabledSpans(text); byFile.set(file, s); }
    return s;
  };
  return findings.filter((f) => {
    const line = f.range.start.line;
    return !spansOf(f.file).some((s) => s.from <= line && line <= s.to && (s.rules.length === 0 || s.rules.includes(f.rule)));
  });
}

/** The edit that silences one finding: `// skipcheck-disable-next-line rule` above its line, indented like it. */
export function disableNextLineEdit(text: string, finding: Finding): TextEdit {
  const line = finding.range.start.line;
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// skipcheck-disable-next-line ${finding.rule}${eol}` };
}

/** The edit that silences a rule in the whole file: a `/* skipcheck-disable rule *\/` comment on the first line. */
export function disableFileEdit(text: string, rule: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // After a shebang or a leading header comment block, the directive would still cover the whole file from line 0.
  const line = text.startsWith('#!') ? 1 : 0;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `/* skipcheck-disable ${rule} */${eol}` };
}
