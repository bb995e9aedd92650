// Lexical scopes of the interpreter.
import { UNKNOWN } from '../layers';
import type { Value } from './values';

interface Binding { value: Value }

/** Lexical scope chain. `this` lives on function scopes. */
export class Scope {
  private readonly vars = new Map<string, Binding>();
  constructor(public readonly parent: Scope | undefined, public readonly thisValue: Value | undefined = undefined) {}

  declare(name: string, value: Value): void { this.vars.set(name, { value }); }

  lookup(name: string): Binding | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk up the scope chain starts here
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.vars.get(name);
      if (b) return b;
    }
    return undefined;
  }

  has(name: string): boolean { return this.lookup(name) !== undefined; }

  hasOwn(name: string): boolean { return this.vars.has(name); }

  /** A sibling scope holding copies of some of this scope's bindings (a `for (let …)` iteration). */
  copy(names: string[]): Scope {
    const s = new Scope(this.parent, this.thisValue);
    for (const n of names) s.declare(n, this.vars.get(n)?.value);
    return s;
  }

  get(name: string): Value | undefined { return this.lookup(name)?.value; }

  /** This scope's own bindings, in declaration order. */
  *own(): IterableIterator<[string, Value]> {
    for (const [name, b] of this.vars) yield [name, b.value];
  }

  /** Assigns to the nearest binding; an undeclared name is ignored (sloppy-mode globals don't matter here). */
  set(name: string, value: Value): void {
    const b = this.lookup(name);
    if (b) b.value = value;
  }

  /** Forgets what is known about a variable, when code the analyzer skipped may have changed it. */
  havoc(name: string): void { this.set(name, UNKNOWN); }

  findThis(): Value {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk up the scope chain starts here
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.thisValue !== undefined) return s.thisValue;
    return undefined;
  }
}
