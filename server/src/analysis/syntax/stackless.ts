// Errors the analyzer throws for control flow, not for bugs: a layer config tfjs would reject, a user
// `throw`, the step budget running out. A hostile loop throws one per iteration, and capturing a V8 stack
// trace (dozens of interpreter frames deep) cost more than the rest of the iteration: over half of a
// budget-exhausting analysis. These carry no stack.
export class StacklessError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
