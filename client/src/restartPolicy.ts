// When the server dies, restart it unless it keeps dying: a crash loop would only flood the user with errors.
export interface RestartPolicy {
  /** Record a crash at `now` (ms); true when another restart is allowed. */
  shouldRestart(now: number): boolean;
  reset(): void;
}

export function restartPolicy(maxRestarts: number, windowMs: number): RestartPolicy {
  let crashes: number[] = [];
  return {
    shouldRestart(now) {
      crashes = [...crashes.filter((t) => now - t < windowMs), now];
      return crashes.length <= maxRestarts;
    },
    reset() {
      crashes = [];
    },
  };
}
