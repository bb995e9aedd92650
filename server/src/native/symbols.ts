// Whether a TF library really exports the C API functions the tfjs-node binding calls. Derived from the
// binding's own sources and the TF headers, so it stays right when either side changes version: a
// function the binding calls that the headers declare exported (TF_CAPI_EXPORT) must be defined by
// one of the two libraries the binding links, else loading it fails with "undefined symbol".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execTool } from './exec';

const CALL = /\b(TFE?_\w+)\s*\(/g;
const EXPORTED_DECL = /TF_CAPI_EXPORT\s+extern\s+[^;(]*?\b(TFE?_\w+)\s*\(/g;

/** TF_/TFE_ names the binding's .cc/.h files call. */
export function bindingCalls(packageDir: string): Set<string> {
  const dir = path.join(packageDir, 'binding');
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => /\.(cc|h)$/.test(f))) {
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(CALL)) names.add(m[1]);
  }
  return names;
}

/** Functions the headers declare as exported by the library (inline helpers like TF_TString_* are not). */
export function exportedDeclarations(includeRoot: string, headers: string[]): Set<string> {
  const names = new Set<string>();
  for (const h of headers) {
    for (const m of fs.readFileSync(path.join(includeRoot, h), 'utf8').matchAll(EXPORTED_DECL)) names.add(m[1]);
  }
  return names;
}

/** Dynamic symbols a shared library defines, without the ELF version tag (TF_NewStatus@@tensorflow). */
export async function definedSymbols(library: string): Promise<Set<string> | { error: string }> {
  const r = await execTool('nm', ['-D', '--defined-only', library]);
  if (r.code !== 0) return { error: r.error ?? r.stderr.trim() };
  const names = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const name = line.trim().split(/\s+/)[2];
    if (name) names.add(name.replace(/@.*$/, ''));
  }
  return names;
}

export type SymbolCheck =
  | { checked: true; required: number; missing: string[] }
  | { checked: false; reason: string };

export async function checkCApiSymbols(
  packageDir: string, includeRoot: string, headers: string[], libraries: string[],
): Promise<SymbolCheck> {
  const exported = exportedDeclarations(includeRoot, headers);
  const required = [...bindingCalls(packageDir)].filter((n) => exported.has(n)).sort();
  const defined = new Set<string>();
  for (const lib of libraries) {
    const syms = await definedSymbols(lib);
    if (!(syms instanceof Set)) return { checked: false, reason: `could not list symbols of ${lib} (${syms.error})` };
    for (const s of syms) defined.add(s);
  }
  return { checked: true, required: required.length, missing: required.filter((n) => !defined.has(n)) };
}
