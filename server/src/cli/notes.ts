// What the analyzer could not do, as the CLI shows it. Notes are strings today and may grow a location
// (file, line) later: everything here takes either, so a new kind of note shows up without changes.
import type { AnalysisResult } from '../analysis';

export type RawNote = AnalysisResult['notes'][number];

export interface CliNote {
  /** The file the note is about (the analysed file unless the note names another). */
  file: string;
  /** 0-based, when the note has a location. */
  line?: number;
  message: string;
  /** The analysis of the file stopped short (budget, nesting, analyzer defect), not merely met an unknown. */
  incomplete: boolean;
}

// Phrases of the notes that mean "this file (or entry) was not fully analysed": a clean result from it
// proves nothing. Other notes (an unknown import, a layer outside the catalogue) leave the rest sound.
const INCOMPLETE = [/step budget exceeded/, /too deeply nested/, /^internal error/, /^could not analyse/, /could not be read/, /^syntax error/];

/** A note with a location: a message, or a function and the reason it was not followed (FunctionNote). */
export interface LocatedNote {
  message?: string;
  function?: string;
  reason?: string;
  file?: string;
  line?: number;
  range?: { start: { line: number } };
}

export function toCliNote(raw: RawNote | LocatedNote, file: string): CliNote {
  if (typeof raw === 'string') return { file, message: raw, incomplete: INCOMPLETE.some((r) => r.test(raw)) };
  const message = raw.message !== undefined ? String(raw.message)
    : raw.function ? `${raw.function}: not analysed: ${raw.reason ?? 'unknown reason'}` : String(raw.reason ?? '');
  const line = typeof raw.line === 'number' ? raw.line : raw.range?.start.line;
  return { file: raw.file ?? file, ...(line !== undefined ? { line } : {}), message, incomplete: INCOMPLETE.some((r) => r.test(message)) };
}
