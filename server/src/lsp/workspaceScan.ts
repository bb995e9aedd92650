// Lists the source files of the workspace folders, bounded and read-only: regular files only (symlinks are
// not followed, so nothing outside a folder is read), no dependency/build/VCS folders, no huge files, and at
// most a fixed number of files. Safe in untrusted workspaces: it reads text and runs nothing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage', 'bower_components', 'jspm_packages']);
/** Generated bundles and minified files are this big; model code is far smaller. */
export const MAX_FILE_BYTES = 512 * 1024;
export const MAX_FILES = 5000;

export interface ScanResult {
  files: string[];
  /** Why the scan stopped early, if it did. */
  truncated?: string;
}

export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase()) && !file.endsWith('.d.ts');
}

export function isSkippedDir(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIRS.has(name);
}

/** Whether `file` lies inside one of `roots` and in no skipped folder on the way (for watcher events). */
export function inWorkspace(file: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return rel.split(path.sep).slice(0, -1).every((part) => !isSkippedDir(part));
  });
}

/** Source files under `roots`, breadth first so a cap keeps the files nearest the roots. */
export async function scanWorkspace(roots: string[], maxFiles = MAX_FILES): Promise<ScanResult> {
  const files: string[] = [];
  const queue = [...roots];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!isSkippedDir(e.name)) queue.push(full);
      } else if (e.isFile() && isSourceFile(full)) {
        if (files.length >= maxFiles) return { files, truncated: `more than ${maxFiles} source files; the rest are not indexed` };
        files.push(full);
      }
    }
  }
  return { files };
}

/** The text of a regular file no bigger than the cap, else undefined. */
export async function readSource(file: string): Promise<string | undefined> {
  try {
    const st = await fs.lstat(file);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
