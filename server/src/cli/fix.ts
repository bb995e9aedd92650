// `skipcheck --fix`: applies the preferred fix of every finding, in place, without ever losing the user's
// code: each file is known by its real path (a symlinked folder or a second spelling is the same file, fixed
// once), written atomically, re-read just before the write so an edit saved meanwhile wins, and a file that
// cannot be written is reported while the other files are still fixed.
import * as fs from 'node:fs';
import { analyze, applyEdits, preferredEdits, type Finding } from '../analysis';
import { writeFileAtomic } from '../io/writeFileAtomic';
import { diskHost } from './files';

const MAX_ROUNDS = 5;

/** What --fix touches on disk; tests wrap it to act like a user saving a file mid-run. */
export interface FixIo {
  read(file: string): string;
  write(file: string, text: string): void;
  /** False when the file's permission bits say nobody may write it. */
  writable(file: string): boolean;
  realpath(file: string): string;
}

export const diskFixIo: FixIo = {
  read: (f) => fs.readFileSync(f, 'utf8'),
  write: (f, text) => writeFileAtomic(f, text),
  // By the bits, not access(2): root may write anything, yet a read-only file says "leave me alone".
  writable: (f) => (fs.statSync(f).mode & 0o222) !== 0,
  realpath: (f) => fs.realpathSync.native(f),
};

export interface FixOutcome {
  /** Files changed, as the user named them (or as the analysis reached them). */
  changed: string[];
  /** Files left alone, with why. */
  skipped: { file: string; reason: string }[];
}

export function fixFiles(files: string[], io: FixIo = diskFixIo): FixOutcome {
  const real = (p: string) => { try { return io.realpath(p); } catch { return p; } };
  const shown = new Map<string, string>(); // real path -> the path the user gave
  for (const f of files) if (!shown.has(real(f))) shown.set(real(f), f);
  const skipped = new Map<string, string>();
  const known = new Map<string, string>(); // real path -> the text we last read or wrote
  const changed = new Set<string>();
  const skip = (file: string, reason: string) => { if (!skipped.has(file)) skipped.set(file, reason); };

  /** The file's text, or undefined (and the file skipped) when it cannot be read or changed behind our back. */
  const read = (file: string): string | undefined => {
    let text: string;
    try { text = io.read(file); } catch (e) { skip(file, `could not be read (${errorText(e)})`); return undefined; }
    const before = known.get(file);
    if (before !== undefined && before !== text) { skip(file, 'changed on disk while --fix ran; left as it is'); return undefined; }
    known.set(file, text);
    return text;
  };

  const write = (file: string, analysed: string, next: string): boolean => {
    try {
      if (!io.writable(file)) { skip(file, 'is read-only; not fixed'); return false; }
      // The last moment to notice an edit saved since the analysis; after this the window is the rename.
      if (io.read(file) !== analysed) { skip(file, 'changed on disk since it was analysed; not fixed'); return false; }
      io.write(file, next);
    } catch (e) {
      skip(file, `could not be written (${errorText(e)}); left unchanged`);
      return false;
    }
    known.set(file, next);
    changed.add(file);
    return true;
  };

  const entries = [...shown.keys()];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progress = false;
    for (const file of entries) {
      if (skipped.has(file)) continue;
      const text = read(file);
      if (text === undefined) continue;
      const result = analyze(file, text, diskHost);
      // Grouped by real path; a file the analysis reached by two spellings takes the findings of the first.
      const byFile = new Map<string, { target: string; findings: Finding[] }>();
      for (const f of result.findings) {
        const target = f.fixes.find((x) => x.isPreferred)?.file;
        if (!target) continue;
        const key = real(target);
        const group = byFile.get(key) ?? byFile.set(key, { target, findings: [] }).get(key)!;
        if (group.target === target) group.findings.push(f);
      }
      for (const [key, { target, findings }] of byFile) {
        if (skipped.has(key)) continue;
        const current = key === file ? text : read(key);
        if (current === undefined) continue;
        const edits = preferredEdits(current, target, findings);
        if (edits.length === 0) continue;
        const next = applyEdits(current, edits);
        if (next === current || !write(key, current, next)) continue;
        if (!shown.has(key)) shown.set(key, target);
        progress = true;
        if (key === file) break; // positions of other findings in this file are stale now
      }
    }
    if (!progress) break;
  }
  return {
    changed: [...changed].map((f) => shown.get(f) ?? f),
    skipped: [...skipped].map(([f, reason]) => ({ file: shown.get(f) ?? f, reason })),
  };
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message.replace(/^\w+: /, '')}` : String(err?.message ?? e);
}
