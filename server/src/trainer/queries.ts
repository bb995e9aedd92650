// The trainer's answers to the extension host's questions (contract/trainerQuery.ts): the lookups a run
// would do, and the comparison page, without the host bundling any of this.
import { nativeRuntimeStatus } from '../native/status';
import type { PreflightAnswer, ComparisonAnswer, QueryFailure, TrainerQuery } from '../../../contract/trainerQuery';
import { mnistDataDir } from './datasets/mnist';
import { writeComparison } from './report/writeComparison';

export function answerQuery(json: string | undefined): PreflightAnswer | ComparisonAnswer | QueryFailure {
  let q: TrainerQuery;
  try {
    q = JSON.parse(json ?? '') as TrainerQuery;
  } catch {
    return { error: `unreadable query: ${json ?? '(none)'}` };
  }
  try {
    if (q.query === 'preflight') {
      const native = nativeRuntimeStatus([q.workspaceDir, q.extensionDir]);
      let mnist = true;
      try { mnistDataDir(q.workspaceDir); } catch { mnist = false; }
      return { native: { ready: native.ready, reason: native.reason }, mnist };
    }
    if (q.query === 'comparison') {
      if (!q.runs?.length) return { error: 'a comparison needs at least one run' };
      return { path: writeComparison(q.dir, q.runs) };
    }
    return { error: `unknown query: ${JSON.stringify((q as { query?: unknown }).query)}` };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
