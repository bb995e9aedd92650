// Reading a source file on behalf of the analysis (a relative import), the way an untrusted workspace must be
// read: only regular files (never a FIFO, a device or /dev/stdin, which block or never end), only up to a
// size no model file reaches, and, when roots are given, only inside them after symlinks are resolved, so
// that values from files elsewhere on disk never flow into shapes and reports. A refusal throws an Error
// whose message says why; the analysis turns it into a note.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Larger files are not model code (the biggest generated ResNet is ~60 KB); reading them is refused. */
export const MAX_SOURCE_BYTES = 8 << 20;

export class RefusedRead extends Error {}

const inside = (file: string, root: string): boolean => {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Real paths of the roots, once per call site (roots rarely change). */
function realRoots(roots: readonly string[]): string[] {
  return roots.map((r) => { try { return fs.realpathSync(r); } catch { return path.resolve(r); } });
}

/**
 * The text of `file`, undefined when it does not exist, or a RefusedRead when it is not a regular file, is
 * too large, or lies (or links) outside every root.
 */
export function readSource(file: string, roots?: readonly string[]): string | undefined {
  const abs = path.resolve(file);
  if (roots && roots.length > 0 && !roots.some((r) => inside(abs, path.resolve(r)))) {
    throw new RefusedRead(`${abs} is outside the workspace root (${roots.join(', ')}): not read`);
  }
  let st: fs.Stats;
  try { st = fs.statSync(abs); } catch { return undefined; }
  if (!st.isFile()) throw new RefusedRead(`${abs} is not a regular file: not read`);
  if (st.size > MAX_SOURCE_BYTES) throw new RefusedRead(`${abs} is larger than ${MAX_SOURCE_BYTES >> 20} MB: not read`);
  if (roots && roots.length > 0) {
    const real = fs.realpathSync(abs);
    if (!realRoots(roots).some((r) => inside(real, r))) {
      throw new RefusedRead(`${abs} links to ${real}, outside the workspace root (${roots.join(', ')}): not read`);
    }
  }
  try { return fs.readFileSync(abs, 'utf8'); } catch { return undefined; }
}

/** The deepest folder containing every path (a file stands for its folder): the CLI's default root. */
export function commonRoot(paths: readonly string[]): string {
  const dirs = paths.map((p) => {
    const abs = path.resolve(p);
    try { return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs); } catch { return path.dirname(abs); }
  });
  let root = dirs[0] ?? process.cwd();
  for (const d of dirs.slice(1)) while (!inside(d, root)) root = path.dirname(root);
  return root;
}
