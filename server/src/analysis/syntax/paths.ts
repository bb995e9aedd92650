// File-path arithmetic for resolving relative imports, without node:path: the analysis core stays free of
// Node so that any host (language server, CLI, a browser) can run it. Paths keep the host's separator:
// backslashes for a Windows path ('C:\\src\\model.ts'), slashes otherwise.

const isWindows = (p: string): boolean => /^[A-Za-z]:[\\/]/.test(p) || (p.includes('\\') && !p.includes('/'));
const sepOf = (p: string): string => (isWindows(p) ? '\\' : '/');
const parts = (p: string): string[] => p.split(isWindows(p) ? /[\\/]/ : '/');

/** The extension of the last path segment, with its dot ('' when there is none, or for dotfiles). */
export function extname(p: string): string {
  const base = parts(p).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

export function dirname(p: string): string {
  const segs = parts(p);
  if (segs.length <= 1) return '.';
  segs.pop();
  const dir = segs.join(sepOf(p));
  return dir === '' ? sepOf(p) : dir;
}

/** `dir` joined with `rel`, with '.' and '..' segments worked out; an absolute `rel` stands alone. */
export function resolve(dir: string, rel: string): string {
  const sep = sepOf(dir);
  const absolute = rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel);
  const joined = absolute ? rel : `${dir}${sep}${rel}`;
  const out: string[] = [];
  const segs = joined.split(/[\\/]/);
  const root = segs[0] === '' || /^[A-Za-z]:$/.test(segs[0]) ? segs.shift()! : undefined;
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (s !== '..' || root === undefined) out.push(s);
  }
  const body = out.join(sep);
  return root === undefined ? body || '.' : `${root}${sep}${body}`;
}

export const join = (dir: string, name: string): string => resolve(dir, name);
