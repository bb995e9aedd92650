// One AnalysisCache per file the server analyses: each keystroke's analysis reuses the functions the
// keystroke did not touch (analysis/functionCache.ts). The most recently analysed files keep theirs.
import type { AnalysisCache } from '../analysis';

const MAX_FILES = 64;

export class AnalysisCaches {
  private readonly byFile = new Map<string, AnalysisCache>();

  for(file: string): AnalysisCache {
    const cache = this.byFile.get(file) ?? {};
    // Map order is insertion order: re-inserting makes this file the most recent.
    this.byFile.delete(file);
    this.byFile.set(file, cache);
    if (this.byFile.size > MAX_FILES) this.byFile.delete(this.byFile.keys().next().value!);
    return cache;
  }
}
