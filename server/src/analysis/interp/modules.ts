// Modules for the interpreter: parsing (incrementally while the user types) and resolving relative imports.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import * as path from '../syntax/paths';
import type { Value } from './values';
import { Scope } from './scope';

/** One parsed source file and the bindings it exports once its top level has run. */
export class ModuleRecord {
  readonly exports = new Map<string, Value>();
  /** Names exported by `export function` / `export const`, in source order, for picking entry points. */
  readonly exportOrder: string[] = [];
  state: 'new' | 'running' | 'done' = 'new';
  readonly scope: Scope;
  constructor(public readonly file: string, public readonly sf: ts.SourceFile, globals: Scope) {
    this.scope = new Scope(globals);
  }
}

/** Specifiers that name the tfjs API (every flavour resolves to the same namespace). */
export function isTfjsSpecifier(spec: string): boolean {
  return /^@tensorflow\/tfjs(-node|-node-gpu|-layers|-core)?(\/.*)?$/.test(spec);
}

export function scriptKindFor(file: string): ts.ScriptKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return tsApi.ScriptKind.JS;
  if (ext === '.jsx') return tsApi.ScriptKind.JSX;
  if (ext === '.tsx') return tsApi.ScriptKind.TSX;
  return tsApi.ScriptKind.TS;
}

/**
 * The last tree parsed for each file. While the user types, a file's text changes a little at a time, and
 * TypeScript's incremental parser reuses every node outside the edit: a keystroke in a 1000-line model
 * costs ~1 ms of parsing instead of ~11. A tree handed to updateSourceFile must not be used afterwards;
 * no analysis keeps one once it has returned, and analyses do not interleave.
 */
const lastParse = new Map<string, ts.SourceFile>();
const MAX_CACHED_FILES = 64;
const MAX_INCREMENTAL_CHANGE = 4096;

export function parse(file: string, text: string): ts.SourceFile {
  const old = lastParse.get(file);
  lastParse.delete(file);
  let sf: ts.SourceFile | undefined;
  if (old && old.text === text) sf = old;
  else if (old) {
    // Incremental parsing pays off for edits, not for a different file under the same name. The old tree
    // is spent whatever happens; a failed update (too deep to parse) starts over from scratch.
    const change = changeRange(old.text, text);
    if (change.span.length + change.newLength <= MAX_INCREMENTAL_CHANGE) {
      try { sf = tsApi.updateSourceFile(old, text, change); } catch { sf = undefined; }
    }
  }
  sf ??= tsApi.createSourceFile(file, text, tsApi.ScriptTarget.Latest, true, scriptKindFor(file));
  lastParse.set(file, sf);
  if (lastParse.size > MAX_CACHED_FILES) lastParse.delete(lastParse.keys().next().value!);
  return sf;
}

/** The one span that differs between two texts (common prefix and suffix removed). */
function changeRange(a: string, b: string): ts.TextChangeRange {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  return tsApi.createTextChangeRange(tsApi.createTextSpan(start, a.length - end - start), b.length - end - start);
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * Candidate files for a relative import, in the order TypeScript's resolver would try them
 * (including the ESM habit of writing './blocks.js' for './blocks.ts').
 */
export function candidatePaths(fromFile: string, spec: string): string[] {
  const base = path.resolve(path.dirname(fromFile), spec);
  const out: string[] = [];
  const ext = path.extname(base);
  if (ext) {
    out.push(base);
    const stem = base.slice(0, -ext.length);
    if (ext === '.js') out.push(stem + '.ts', stem + '.tsx');
    if (ext === '.mjs') out.push(stem + '.mts');
    if (ext === '.cjs') out.push(stem + '.cts');
  }
  for (const e of EXTENSIONS) out.push(base + e);
  for (const e of EXTENSIONS) out.push(path.join(base, 'index' + e));
  return out;
}
