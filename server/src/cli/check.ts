// `skipcheck <files>`: analyses files from disk into one report per file.
import * as fs from 'node:fs';
import { analyze, type AnalysisResult, type ContractInfo, type Finding, type ModelInfo } from '../analysis';
import { diskHost } from './files';
import { toCliNote, type CliNote } from './notes';
import { syntaxNote } from './syntax';

/** `contracts`: what functions analysed without a caller require of their arguments (checked at every call). */
export interface FileReport { path: string; findings: Finding[]; models: ModelInfo[]; notes: CliNote[]; contracts: ContractInfo[] }

/**
 * Analyses each file; a finding inside an imported helper is reported once, under the helper's file,
 * however many entry files reach it.
 */
export function checkFiles(files: string[]): FileReport[] {
  const reports = new Map<string, FileReport>();
  // Findings, notes and contracts of a helper reached from several entry files: each kept once.
  const seen = new Set<string>();
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const report = (p: string) => {
    let r = reports.get(p);
    if (!r) { r = { path: p, findings: [], models: [], notes: [], contracts: [] }; reports.set(p, r); }
    return r;
  };
  for (const file of files) report(file);
  for (const file of files) {
    let result: AnalysisResult;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
      result = analyze(file, text, diskHost);
    } catch (e) {
      report(file).notes.push(toCliNote(`could not analyse: ${e instanceof Error ? e.message : String(e)}`, file));
      continue;
    }
    const r = report(file);
    r.models.push(...result.models);
    // A function the analyzer could not follow is also a plain note ("name: reason"): keep the located one.
    const located = new Set((result.functionNotes ?? []).map((n) => `${n.function}: ${n.reason}`));
    const syntax = result.usesTfjs ? syntaxNote(file, text) : undefined;
    for (const n of [...(syntax ? [syntax] : []), ...result.notes.filter((s) => !located.has(s)), ...(result.functionNotes ?? [])]) {
      const note = toCliNote(n, file);
      if (firstTime(`note:${note.file}:${note.line ?? ''}:${note.message}`)) report(note.file).notes.push(note);
    }
    // A helper file reached from several entry files has its contracts once, under its own path.
    for (const c of result.contracts ?? []) {
      if (firstTime(`contract:${c.file}:${c.range.start.line}:${c.range.start.character}:${c.function}`)) report(c.file).contracts.push(c);
    }
    for (const f of result.findings) {
      if (firstTime(`finding:${f.file}:${f.range.start.line}:${f.range.start.character}:${f.rule}`)) report(f.file).findings.push(f);
    }
  }
  return [...reports.values()];
}
