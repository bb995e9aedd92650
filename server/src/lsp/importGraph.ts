// Which workspace files use tfjs, directly or through a file they import, and who imports whom. Built from a
// cheap scan of each file's import specifiers (no analysis), so the server knows which closed files to analyse
// and which files an edit can affect before any of them has been analysed.
import * as ts from 'typescript';
import { candidatePaths, isTfjsSpecifier } from '../analysis';

/** What one file's text says about its imports. */
export interface FileImports {
  /** It names tfjs: an import/require of a tfjs package, or a global `tf.` script use. */
  tfjs: boolean;
  /** Relative specifiers, unresolved (resolution depends on which files exist). */
  relative: string[];
}

// Scripts that load tfjs from a <script> tag use the global `tf`; the analyzer checks those too.
const GLOBAL_TF = /\btf\.(layers|model|sequential|input)\b/;

export function scanImports(_file: string, text: string): FileImports {
  let specs: string[] = [];
  try {
    specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  } catch {
    // A file the scanner cannot read imports nothing as far as the index knows; the analysis will say more.
  }
  return {
    tfjs: specs.some(isTfjsSpecifier) || GLOBAL_TF.test(text),
    relative: [...new Set(specs.filter((s) => s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..'))],
  };
}

export class ImportGraph {
  private readonly files = new Map<string, FileImports>();
  /** Resolved edges and the set of files using tfjs through imports, rebuilt lazily after a change. */
  private cache: { imports: Map<string, string[]>; importers: Map<string, string[]>; relevant: Set<string> } | undefined;

  /**
   * `imports` undefined removes the file (deleted, or no longer under a workspace folder). Returns whether
   * anything changed: a keystroke that leaves the imports alone keeps the resolved graph.
   */
  set(file: string, imports: FileImports | undefined): boolean {
    const old = this.files.get(file);
    if (imports) {
      if (old && old.tfjs === imports.tfjs && old.relative.join('\0') === imports.relative.join('\0')) return false;
      this.files.set(file, imports);
    } else {
      if (!old) return false;
      this.files.delete(file);
    }
    this.cache = undefined;
    return true;
  }

  allFiles(): string[] {
    return [...this.files.keys()];
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  get size(): number {
    return this.files.size;
  }

  /** Files that use tfjs or import (transitively) a file that does: the ones worth analysing. */
  relevant(): Set<string> {
    return this.build().relevant;
  }

  isRelevant(file: string): boolean {
    return this.build().relevant.has(file);
  }

  /** Every indexed file whose imports reach `file`, nearest first (the files an edit of `file` can change). */
  importersOf(file: string): string[] {
    const { importers } = this.build();
    const seen = new Set<string>([file]);
    const out: string[] = [];
    for (let i = -1; i < out.length; i++) {
      for (const by of importers.get(i < 0 ? file : out[i]) ?? []) {
        if (seen.has(by)) continue;
        seen.add(by);
        out.push(by);
      }
    }
    return out;
  }

  private resolve(from: string, spec: string): string | undefined {
    return candidatePaths(from, spec).find((c) => this.files.has(c));
  }

  private build() {
    if (this.cache) return this.cache;
    const imports = new Map<string, string[]>();
    const importers = new Map<string, string[]>();
    for (const [file, info] of this.files) {
      const targets = info.relative.map((s) => this.resolve(file, s)).filter((t): t is string => t !== undefined);
      imports.set(file, targets);
      for (const t of targets) importers.set(t, [...(importers.get(t) ?? []), file]);
    }
    const relevant = new Set<string>();
    const work = [...this.files].filter(([, info]) => info.tfjs).map(([file]) => file);
    for (const f of work) relevant.add(f);
    while (work.length > 0) {
      for (const by of importers.get(work.pop()!) ?? []) {
        if (relevant.has(by)) continue;
        relevant.add(by);
        work.push(by);
      }
    }
    this.cache = { imports, importers, relevant };
    return this.cache;
  }
}
