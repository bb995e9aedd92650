// Asks the trainer program a question (contract/trainerQuery.ts) on the Node that will run the training:
// the extension host bundles no trainer code, and the answer is what a run there would find.
import { execFile } from 'node:child_process';
import { QUERY_FLAG, type AnswerOf, type QueryFailure, type TrainerQuery } from '../../../contract/trainerQuery';

export interface TrainerLocation {
  nodePath: string;
  /** dist/trainer.js of this extension. */
  trainerScript: string;
  cwd: string;
}

/** Resolves with the trainer's answer; rejects with its reason (or the spawn's) when there is none. */
export function askTrainer<Q extends TrainerQuery>(at: TrainerLocation, query: Q, timeoutMs = 60_000): Promise<AnswerOf<Q>> {
  return new Promise((resolve, reject) => {
    execFile(at.nodePath, [at.trainerScript, QUERY_FLAG, JSON.stringify(query)], { cwd: at.cwd, timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let answer: AnswerOf<Q> | QueryFailure | undefined;
      try { answer = JSON.parse(last) as AnswerOf<Q> | QueryFailure; } catch { /* no answer: say why below */ }
      if (answer && !('error' in answer)) resolve(answer);
      else reject(new Error(answer?.error ?? (stderr.trim() || err?.message || 'the trainer gave no answer')));
    });
  });
}
