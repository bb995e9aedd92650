// The binding compiles against a handful of TF C API headers; a TF install ships ~10,000. Copying only the
// quoted-include closure of the headers the binding names keeps deps/include small and independent of the
// TF layout (which moved ctstring.h from tensorflow/core to tsl/ and xla/tsl/ between 2.9 and 2.18).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What binding.gyp names as the TF headers the binding is built against. */
export const BINDING_ENTRY_HEADERS = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h'];

/** binding.gyp's headers plus the TF headers the binding's sources include directly. */
export function bindingEntryHeaders(packageDir: string): string[] {
  const dir = path.join(packageDir, 'binding');
  const direct = fs.readdirSync(dir).filter((f) => /\.(cc|h)$/.test(f))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(QUOTED_INCLUDE)].map((m) => m[1]))
    .filter((h) => h.startsWith('tensorflow/'));
  return [...new Set([...BINDING_ENTRY_HEADERS, ...direct])];
}

export interface HeaderClosure {
  /** Paths relative to the include root, in discovery order. */
  files: string[];
  /** Quoted includes found in no candidate location (often inside an #if for another platform). */
  missing: { header: string; includedFrom: string }[];
}

const QUOTED_INCLUDE = /^\s*#\s*include\s+"([^"]+)"/gm;

export function headerClosure(includeRoot: string, entries: string[]): HeaderClosure {
  const files: string[] = [];
  const missing: HeaderClosure['missing'] = [];
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const entry of entries) {
    if (!fs.existsSync(path.join(includeRoot, entry))) {
      throw new Error(`${path.join(includeRoot, entry)} not found: this folder does not hold the TensorFlow C API headers`);
    }
    queue.push(entry);
  }
  while (queue.length > 0) {
    const rel = queue.shift()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    files.push(rel);
    const text = fs.readFileSync(path.join(includeRoot, rel), 'utf8');
    for (const match of text.matchAll(QUOTED_INCLUDE)) {
      const found = resolveInclude(includeRoot, rel, match[1]);
      if (found) queue.push(found);
      else missing.push({ header: match[1], includedFrom: rel });
    }
  }
  return { files, missing };
}

// Quoted includes are looked up next to the including file first, then on the include path: same as cc.
function resolveInclude(includeRoot: string, from: string, target: string): string | undefined {
  const candidates = [path.posix.join(path.posix.dirname(from), target), path.posix.normalize(target)];
  return candidates.find((c) => !c.startsWith('..') && fs.existsSync(path.join(includeRoot, c)));
}
