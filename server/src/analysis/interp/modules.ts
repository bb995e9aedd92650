import * as path from 'node:path';
import * as ts from 'typescript';
import type { Value } from '../values';
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
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

export function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
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
