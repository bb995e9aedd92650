// A file that does not parse is still analysed as far as it parses, and the editor shows TypeScript's own
// syntax errors; the CLI has no such neighbour, so it says so itself: "0 findings" on a half-typed file must
// not read as clean. transpileModule reports syntax errors only (no type check), with TypeScript's message.
import * as ts from 'typescript';
import type { LocatedNote } from './notes';

export function syntaxNote(file: string, text: string): LocatedNote | undefined {
  let diagnostics: readonly ts.Diagnostic[];
  try {
    diagnostics = ts.transpileModule(text, { fileName: file, reportDiagnostics: true }).diagnostics ?? [];
  } catch {
    return undefined; // a file too deeply nested for the parser: the analysis has said so already
  }
  const first = diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error && d.file && d.start !== undefined);
  if (!first?.file || first.start === undefined) return undefined;
  const { line } = first.file.getLineAndCharacterOfPosition(first.start);
  return { file, line, message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ').replace(/\.$/, '')}; analysed as far as it parses` };
}
