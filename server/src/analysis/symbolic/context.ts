// What the current path knows about its symbols (from the branch conditions assumed on the way), for the
// catalogue's checks, which are pure functions of shapes and configs. The interpreter sets it around each
// layer application; outside of one it is empty.
import type { Facts } from './expr';

let current: Facts = {};

export function currentFacts(): Facts { return current; }

export function withFacts<T>(facts: Facts, f: () => T): T {
  const saved = current;
  current = facts;
  try { return f(); } finally { current = saved; }
}

/** Makes `facts` the current facts until the next call (a symbolic path sets its own, mutable, facts). */
export function setCurrentFacts(facts: Facts): void { current = facts; }
