// The CLI's file access: expanding folders into source files and reading them for the analysis core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisHost } from '../analysis';
import { readSource } from '../io/readSource';

export const SOURCE_EXT = /\.(ts|js|mts|cts)$/i;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage']);

let readRoots: string[] | undefined;

/** Confines what imports may read to these folders (the CLI's common root of its paths, or --root). */
export function confineReads(roots: string[] | undefined): void {
  readRoots = roots;
}

/**
 * The CLI's way to let the pure core read other files: regular files of sane size, inside the roots when
 * confined (io/readSource.ts); a refusal becomes a note of the analysis.
 */
export const diskHost: AnalysisHost = {
  readFile: (p: string) => readSource(p, readRoots),
};

/**
 * Expands files and folders into source files; returns the paths that do not exist separately. A file
 * reached twice (a symlinked folder, two spellings on a case-insensitive disk) is listed once, under the
 * first path that reached it.
 */
export function collectFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && SOURCE_EXT.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { missing.push(p); continue; }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  const byReal = new Map<string, string>();
  for (const f of files.map((x) => path.resolve(x))) {
    let real = f;
    try { real = fs.realpathSync.native(f); } catch { /* vanished meanwhile: keep the name */ }
    if (!byReal.has(real)) byReal.set(real, f);
  }
  return { files: [...byReal.values()], missing };
}
