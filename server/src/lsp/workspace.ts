// The workspace folders and their import graph: indexed once at start (in the background, a few files per
// turn of the event loop), then kept current from file-watcher events and open documents' edits.
import * as path from 'node:path';
import { ImportGraph, scanImports } from './importGraph';
import { inWorkspace, isSourceFile, readSource, scanWorkspace } from './workspaceScan';

const FILES_PER_TURN = 20;

export class Workspace {
  readonly graph = new ImportGraph();
  private roots: string[] = [];
  /** Why indexing stopped short, for the log. */
  truncated: string | undefined;

  setRoots(roots: string[]): void {
    this.roots = [...new Set(roots.map((r) => path.resolve(r)))];
  }

  get folders(): readonly string[] {
    return this.roots;
  }

  /** Whether a file belongs in the index: a source file under a folder, outside skipped folders. */
  contains(file: string): boolean {
    return path.isAbsolute(file) && isSourceFile(file) && inWorkspace(file, this.roots);
  }

  /** Reads every source file's imports. Yields to the event loop often, so edits are served meanwhile. */
  async index(): Promise<void> {
    const scan = await scanWorkspace(this.roots);
    this.truncated = scan.truncated;
    for (let i = 0; i < scan.files.length; i++) {
      const file = scan.files[i];
      // A file the editor already reported (open, or changed on disk) during the scan is not overwritten.
      if (!this.graph.has(file)) {
        const text = await readSource(file);
        if (text !== undefined && !this.graph.has(file)) this.graph.set(file, scanImports(file, text));
      }
      if (i % FILES_PER_TURN === FILES_PER_TURN - 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The file's current text (undefined: deleted or unreadable). Returns whether its import facts changed. */
  update(file: string, text: string | undefined): boolean {
    if (!this.contains(file)) return false;
    return this.graph.set(file, text === undefined ? undefined : scanImports(file, text));
  }

  /** Re-reads a file from disk after a watcher event. */
  async refresh(file: string): Promise<boolean> {
    return this.update(file, await readSource(file));
  }
}
