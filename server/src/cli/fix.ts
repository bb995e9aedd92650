// `skipcheck --fix`: applies the preferred fixes and writes the files back.
import * as fs from 'node:fs';
import { analyze, applyEdits, preferredEdits } from '../analysis';
import { diskHost } from './files';

const MAX_ROUNDS = 5;

/**
 * Applies the preferred fix of every finding, file by file. Fixes can overlap (two findings on one
 * layer), so it re-analyses and repeats until nothing fixable is left. Returns the files it changed.
 */
export function fixFiles(files: string[]): string[] {
  const changed = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progress = false;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const result = analyze(file, text, diskHost);
      const byFile = new Map<string, typeof result.findings>();
      for (const f of result.findings) {
        const target = f.fixes.find((x) => x.isPreferred)?.file;
        if (target) byFile.set(target, [...(byFile.get(target) ?? []), f]);
      }
      for (const [target, findings] of byFile) {
        const current = target === file ? text : fs.readFileSync(target, 'utf8');
        const edits = preferredEdits(current, target, findings);
        if (edits.length === 0) continue;
        const next = applyEdits(current, edits);
        if (next === current) continue;
        fs.writeFileSync(target, next);
        changed.add(target);
        progress = true;
        if (target === file) break; // positions of other findings in this file are stale now
      }
    }
    if (!progress) break;
  }
  return [...changed];
}
