// Symbolic dims: integer polynomials over named symbols and floor/ceil quotients, kept in a normal form whose
// text is the dim itself. A symbolic dim *is* its canonical text ("⌈H/2⌉", "2·width", "H-2"), so equal
// expressions are equal strings (`===` works wherever dims are compared), shapes stay JSON-able, and hosts
// show them as they are. The text is parsed back (and cached) when arithmetic needs the structure.
//
// Normal form: a sum of monomials with nonzero integer coefficients, monomials sorted by their text, the
// constant last; a monomial is a sorted product of atoms; an atom is a symbol name or ⌈p/q⌉ / ⌊p/q⌋ of two
// normal forms with q positive. Symbols stand for positive integers (sizes, filters, strides).

/** A symbolic dim or integer: numbers for constants, canonical text for everything symbolic. */
export type SymDim = number | string;

type Atom = { kind: 'var'; name: string } | { kind: 'ceil' | 'floor'; num: Poly; den: Poly };
interface Mono { coef: number; atoms: Atom[]; key: string }
/** Monomials by key (never the empty key: the constant lives in `c`). */
interface Poly { terms: Map<string, Mono>; c: number }

const MAX_TERMS = 24;
const cache = new Map<string, Poly>();
const CACHE_LIMIT = 20_000;

export const isSym = (d: unknown): d is string => typeof d === 'string';

const NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/** A symbol by name; names that would not read back as one are made safe. */
export function symbol(name: string): string {
  if (NAME.test(name)) return name;
  const safe = name.replace(/[^\w$.[\]]/g, '_').replace(/^[^A-Za-z_$]/, '_$&');
  return NAME.test(safe) ? safe : `_${safe.replace(/[.[\]]/g, '_')}`;
}

// ------------------------------------------------------------------------------------------- polynomials

const constPoly = (c: number): Poly => ({ terms: new Map(), c });

function atomKey(a: Atom): string {
  if (a.kind === 'var') return a.name;
  const [l, r] = a.kind === 'ceil' ? ['⌈', '⌉'] : ['⌊', '⌋'];
  return `${l}${factorText(a.num)}/${factorText(a.den)}${r}`;
}

function monoOf(coef: number, atoms: Atom[]): Mono {
  const sorted = atoms.map((a) => [atomKey(a), a] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { coef, atoms: sorted.map((x) => x[1]), key: sorted.map((x) => x[0]).join('·') };
}

function addInto(p: Poly, m: Mono, scale: number): void {
  const prev = p.terms.get(m.key);
  const coef = (prev?.coef ?? 0) + m.coef * scale;
  if (coef === 0) p.terms.delete(m.key);
  else p.terms.set(m.key, { coef, atoms: m.atoms, key: m.key });
}

function polyAdd(a: Poly, b: Poly, scale = 1): Poly {
  const p: Poly = { terms: new Map(a.terms), c: a.c + b.c * scale };
  for (const m of b.terms.values()) addInto(p, m, scale);
  return p;
}

function polyScale(a: Poly, k: number): Poly {
  if (k === 0) return constPoly(0);
  const p = constPoly(a.c * k);
  for (const m of a.terms.values()) p.terms.set(m.key, { ...m, coef: m.coef * k });
  return p;
}

function polyMul(a: Poly, b: Poly): Poly | undefined {
  if (a.terms.size * b.terms.size > MAX_TERMS) return undefined;
  let p = polyAdd(polyScale(a, b.c), polyScale({ terms: b.terms, c: 0 }, a.c));
  for (const x of a.terms.values()) {
    for (const y of b.terms.values()) {
      const q = constPoly(0);
      addInto(q, monoOf(x.coef * y.coef, [...x.atoms, ...y.atoms]), 1);
      p = polyAdd(p, q);
    }
  }
  return p;
}

const isConst = (p: Poly): boolean => p.terms.size === 0;
const sameText = (a: Poly, b: Poly): boolean => polyText(a) === polyText(b);

// ------------------------------------------------------------------------------------------------ text

function monoText(m: Mono, first: boolean): string {
  const mag = Math.abs(m.coef);
  const body = (mag === 1 ? '' : `${mag}·`) + m.atoms.map(atomKey).join('·');
  if (m.coef < 0) return `-${body}`;
  return first ? body : `+${body}`;
}

function polyText(p: Poly): string {
  const monos = [...p.terms.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  let s = monos.map((m, i) => monoText(m, i === 0)).join('');
  if (p.c !== 0 || s === '') s += s === '' ? String(p.c) : p.c > 0 ? `+${p.c}` : String(p.c);
  return s;
}

/** A poly as a factor: parenthesised unless it is one atom or a non-negative constant. */
function factorText(p: Poly): string {
  const single = p.c === 0 && p.terms.size === 1 && [...p.terms.values()][0];
  if (isConst(p) && p.c >= 0) return String(p.c);
  if (single && single.coef === 1 && single.atoms.length === 1) return single.key;
  return `(${polyText(p)})`;
}

function toDim(p: Poly): SymDim {
  if (isConst(p)) return p.c;
  const text = polyText(p);
  if (cache.size > CACHE_LIMIT) cache.clear();
  cache.set(text, p);
  return text;
}

function toPoly(d: SymDim): Poly {
  if (typeof d === 'number') return constPoly(d);
  const hit = cache.get(d);
  if (hit) return hit;
  const p = new Parser(d).parse();
  cache.set(d, p);
  return p;
}

/** Reads the canonical text back; tolerant of any well-formed expression in the same notation. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}
  parse(): Poly {
    const p = this.sum();
    if (this.i !== this.s.length) throw new Error(`bad symbolic dim '${this.s}'`);
    return p;
  }
  private peek(): string { return this.s[this.i] ?? ''; }
  private sum(): Poly {
    let p = constPoly(0);
    let sign = 1;
    if (this.peek() === '-') { sign = -1; this.i++; } else if (this.peek() === '+') this.i++;
    for (;;) {
      p = polyAdd(p, this.product(), sign);
      const c = this.peek();
      if (c === '+' || c === '-') { sign = c === '+' ? 1 : -1; this.i++; } else return p;
    }
  }
  private product(): Poly {
    let p = this.factor();
    while (this.peek() === '·' || this.peek() === '*') {
      this.i++;
      p = polyMul(p, this.factor()) ?? p;
    }
    return p;
  }
  private factor(): Poly {
    const c = this.peek();
    if (c === '(') { this.i++; const p = this.sum(); this.expect(')'); return p; }
    if (c === '⌈' || c === '⌊') {
      this.i++;
      const num = this.factor();
      this.expect('/');
      const den = this.factor();
      this.expect(c === '⌈' ? '⌉' : '⌋');
      return toPoly(divide(toDim(num), toDim(den), c === '⌈' ? 'ceil' : 'floor') as SymDim);
    }
    const num = /^\d+/.exec(this.s.slice(this.i));
    if (num) { this.i += num[0].length; return constPoly(Number(num[0])); }
    const name = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*/.exec(this.s.slice(this.i));
    if (!name) throw new Error(`bad symbolic dim '${this.s}' at ${this.i}`);
    this.i += name[0].length;
    return varPoly(name[0]);
  }
  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`bad symbolic dim '${this.s}': expected ${ch} at ${this.i}`);
    this.i++;
  }
}

function varPoly(name: string): Poly {
  const p = constPoly(0);
  const m = monoOf(1, [{ kind: 'var', name }]);
  p.terms.set(m.key, m);
  return p;
}

function atomPoly(a: Atom): Poly {
  const p = constPoly(0);
  const m = monoOf(1, [a]);
  p.terms.set(m.key, m);
  return p;
}

// ------------------------------------------------------------------------------------------ memo

/**
 * Results by the text of their operands: the same expressions come back in every path and every function
 * (⌈H/strides⌉ == H is asked once per merge per path), and the normal form makes text a perfect key.
 */
const memo = new Map<string, unknown>();
function memoized<T>(key: string, f: () => T): T {
  if (memo.has(key)) return memo.get(key) as T;
  const v = f();
  if (memo.size > CACHE_LIMIT) memo.clear();
  memo.set(key, v);
  return v;
}

const factsKey = (f: Facts): string => (f.lower?.size || f.subst?.size || f.ne?.length
  ? JSON.stringify([[...(f.lower ?? [])], [...(f.subst ?? [])], f.ne ?? []]) : '');

export const add = (a: SymDim, b: SymDim): SymDim =>
  (typeof a === 'number' && typeof b === 'number' ? a + b : memoized(`+|${a}|${b}`, () => addImpl(a, b)));
export const sub = (a: SymDim, b: SymDim): SymDim =>
  (typeof a === 'number' && typeof b === 'number' ? a - b : memoized(`-|${a}|${b}`, () => subImpl(a, b)));
export const mul = (a: SymDim, b: SymDim): SymDim | undefined =>
  (typeof a === 'number' && typeof b === 'number' ? a * b : memoized(`*|${a}|${b}`, () => mulImpl(a, b)));
export const divide = (a: SymDim, b: SymDim, mode: 'ceil' | 'floor'): SymDim | undefined =>
  memoized(`/|${mode}|${a}|${b}`, () => divideImpl(a, b, mode));
export const decideEqual = (a: SymDim, b: SymDim, facts: Facts = {}, minSize = 1): Verdict =>
  (a === b ? 'equal' : memoized(`=|${a}|${b}|${minSize}|${factsKey(facts)}`, () => decideEqualImpl(a, b, facts, minSize)));
export const provablyAtLeast = (d: SymDim, k: number, facts: Facts = {}, minSize = 1): boolean =>
  memoized(`>=|${d}|${k}|${minSize}|${factsKey(facts)}`, () => provablyAtLeastImpl(d, k, facts, minSize));

// ------------------------------------------------------------------------------------------ arithmetic

function addImpl(a: SymDim, b: SymDim): SymDim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  return toDim(polyAdd(toPoly(a), toPoly(b)));
}

function subImpl(a: SymDim, b: SymDim): SymDim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return toDim(polyAdd(toPoly(a), toPoly(b), -1));
}

/** undefined when the expanded product would be too large to be worth keeping. */
function mulImpl(a: SymDim, b: SymDim): SymDim | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  const p = polyMul(toPoly(a), toPoly(b));
  return p && toDim(p);
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** p / q when q is one monomial dividing every term of p exactly (`(2·s·a)/s = 2·a`). */
function monoQuotient(p: Poly, q: Poly): Poly | undefined {
  if (q.c !== 0 || q.terms.size !== 1 || p.c !== 0) return undefined;
  const d = [...q.terms.values()][0];
  const out = constPoly(0);
  for (const m of p.terms.values()) {
    if (m.coef % d.coef !== 0) return undefined;
    const rest = [...m.atoms];
    for (const a of d.atoms) {
      const i = rest.findIndex((x) => atomKey(x) === atomKey(a));
      if (i < 0) return undefined;
      rest.splice(i, 1);
    }
    if (rest.length === 0) out.c += m.coef / d.coef;
    else addInto(out, monoOf(m.coef / d.coef, rest), 1);
  }
  return out;
}

/**
 * ⌈a/b⌉ or ⌊a/b⌋ for integer a and positive b, normalised: exact quotients disappear, multiples of a
 * constant divisor are pulled out (⌈(2·a+3)/2⌉ = a+2), nested quotients merge (⌈⌈H/2⌉/2⌉ = ⌈H/4⌉).
 * undefined when b is a constant that is not a positive integer.
 */
function divideImpl(a: SymDim, b: SymDim, mode: 'ceil' | 'floor'): SymDim | undefined {
  const round = mode === 'ceil' ? Math.ceil : Math.floor;
  if (typeof b === 'number' && !(Number.isInteger(b) && b > 0)) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return round(a / b);
  const p = toPoly(a);
  const q = toPoly(b);
  if (sameText(p, q)) return 1;
  if (isConst(q) && mode === 'floor' && q.c > 1) {
    // One canonical form per quotient: ⌊p/k⌋ = ⌈(p-k+1)/k⌉, so ⌊(H+1)/2⌋ and ⌈H/2⌉ are the same text.
    return divide(toDim(polyAdd(p, constPoly(1 - q.c))), q.c, 'ceil');
  }
  if (isConst(q)) {
    const k = q.c;
    if (k === 1) return a;
    // Pull out the part divisible by k: ⌈(k·x + r)/k⌉ = x + ⌈r/k⌉, with the constant of r reduced to [0, k).
    const whole = constPoly(0);
    const rest = constPoly(0);
    for (const m of p.terms.values()) addInto(m.coef % k === 0 ? whole : rest, m, 1);
    const cq = Math.floor(p.c / k);
    whole.c = cq * k;
    rest.c = p.c - cq * k;
    const wholeQ = polyScale(whole, 1 / k);
    if (isConst(rest)) return toDim(polyAdd(wholeQ, constPoly(round(rest.c / k))));
    // ⌈⌈x/m⌉/k⌉ = ⌈x/(m·k)⌉ (same for floor) when the rest is exactly one such atom.
    const only = rest.c === 0 && rest.terms.size === 1 ? [...rest.terms.values()][0] : undefined;
    const inner = only && only.coef === 1 && only.atoms.length === 1 ? only.atoms[0] : undefined;
    if (inner && inner.kind === mode && isConst(inner.den)) {
      return toDim(polyAdd(wholeQ, toPoly(divide(toDim(inner.num), inner.den.c * k, mode) as SymDim)));
    }
    // A common factor of the rest and k cancels: ⌈2·a/4⌉ = ⌈a/2⌉.
    let g = k;
    for (const m of rest.terms.values()) g = gcd(g, m.coef);
    g = gcd(g, rest.c);
    const num = g > 1 ? polyScale(rest, 1 / g) : rest;
    return toDim(polyAdd(wholeQ, atomPoly({ kind: mode, num, den: constPoly(k / g) })));
  }
  const exact = monoQuotient(p, q);
  if (exact) return toDim(exact);
  return toDim(atomPoly({ kind: mode, num: p, den: q }));
}

/** Replaces symbols by dims (numbers or other symbolic dims); undefined when a product grows too large. */
export function substitute(d: SymDim, values: ReadonlyMap<string, SymDim>): SymDim | undefined {
  if (typeof d === 'number' || values.size === 0) return d;
  const go = (p: Poly): Poly | undefined => {
    let out = constPoly(p.c);
    for (const m of p.terms.values()) {
      let term: Poly | undefined = constPoly(m.coef);
      for (const a of m.atoms) {
        let ap: Poly | undefined;
        if (a.kind === 'var') ap = values.has(a.name) ? toPoly(values.get(a.name)!) : varPoly(a.name);
        else {
          const num = go(a.num);
          const den = go(a.den);
          const q = num && den ? divide(toDim(num), toDim(den), a.kind) : undefined;
          ap = q === undefined ? undefined : toPoly(q);
        }
        term = ap && term && polyMul(term, ap);
        if (!term) return undefined;
      }
      out = polyAdd(out, term);
    }
    return out;
  };
  const r = go(toPoly(d));
  return r && toDim(r);
}

/** The constant term of a dim (`H-2` → -2). */
export function constantOf(d: SymDim): number {
  return typeof d === 'number' ? d : toPoly(d).c;
}

/** Every symbol name a dim mentions. */
export function symbolsOf(d: SymDim): string[] {
  if (typeof d === 'number') return [];
  const out = new Set<string>();
  const go = (p: Poly): void => {
    for (const m of p.terms.values()) {
      for (const a of m.atoms) {
        if (a.kind === 'var') out.add(a.name);
        else { go(a.num); go(a.den); }
      }
    }
  };
  go(toPoly(d));
  return [...out];
}

// ---------------------------------------------------------------------------------------------- deciding

/** What is known about symbols beyond "positive integer": lower bounds (e.g. from `strides !== 1`). */
export interface Facts {
  lower?: ReadonlyMap<string, number>;
  /** Symbols a path condition equates with something else (`strides == 1`). */
  subst?: ReadonlyMap<string, SymDim>;
  /** Pairs a path condition says differ. */
  ne?: readonly (readonly [SymDim, SymDim])[];
  /** Boolean parameters a path condition fixes (`downsample` true on the path that took its ternary's true side). */
  flags?: ReadonlyMap<string, boolean>;
}

/** A dim with the path's equalities applied (a few rounds, for chains like a = b, b = 1). */
function applySubst(d: SymDim, facts: Facts): SymDim {
  if (!facts.subst || facts.subst.size === 0) return d;
  let cur = d;
  for (let i = 0; i < 3; i++) {
    const next = substitute(cur, facts.subst);
    if (next === undefined || next === cur) return cur;
    cur = next;
  }
  return cur;
}

/** Interval of a value; `hi` may be Infinity. */
interface Range { lo: number; hi: number }

/**
 * Bounds of a poly when every symbol s is an integer ≥ max(minSize, lower(s)). Monomials are bounded as
 * products of their atoms' bounds; quotient atoms through their numerator's and denominator's bounds.
 */
function bounds(p: Poly, lowOf: (name: string) => number): Range {
  let lo = p.c;
  let hi = p.c;
  for (const m of p.terms.values()) {
    let mlo = 1;
    let mhi = 1;
    if (m.atoms.length === 1) ({ lo: mlo, hi: mhi } = atomBounds(m.atoms[0], lowOf));
    else {
      for (const a of m.atoms) {
        const r = atomBounds(a, lowOf);
        if (r.lo < 0) return { lo: -Infinity, hi: Infinity };
        mlo *= r.lo;
        mhi *= r.hi;
      }
    }
    if (m.coef > 0) { lo += m.coef * mlo; hi += m.coef * mhi; } else { lo += m.coef * mhi; hi += m.coef * mlo; }
  }
  return { lo: Number.isNaN(lo) ? -Infinity : lo, hi: Number.isNaN(hi) ? Infinity : hi };
}

function atomBounds(a: Atom, lowOf: (name: string) => number): Range {
  if (a.kind === 'var') return { lo: lowOf(a.name), hi: Infinity };
  const n = bounds(a.num, lowOf);
  const d = bounds(a.den, lowOf);
  const dl = Math.max(d.lo, 1);
  if (a.kind === 'ceil') {
    const lo = n.lo >= 1 ? Math.max(1, Math.ceil(n.lo / d.hi)) : n.lo === -Infinity ? -Infinity : Math.ceil(n.lo / dl);
    const hi = n.hi <= 0 ? 0 : Math.ceil(n.hi / dl);
    return { lo, hi };
  }
  const lo = n.lo >= 0 ? (d.hi === Infinity ? 0 : Math.floor(n.lo / d.hi)) : n.lo === -Infinity ? -Infinity : Math.floor(n.lo / dl);
  const hi = n.hi < 0 ? -1 : Math.floor(n.hi / dl);
  return { lo, hi };
}

/**
 * Linear over-approximation for the sign of `a - b`: each quotient atom ⌈p/k⌉ (constant k) becomes p/k plus
 * an error in [0, (k-1)/k] (floor: [-(k-1)/k, 0]), so `⌈H/2⌉ - H` is -H/2 + [0, 1/2]. Returns the
 * linearised poly scaled by the lcm of the divisors, and the error interval, or undefined when a quotient
 * has a symbolic divisor.
 */
function linearise(p: Poly): { poly: Poly; err: Range; scale: number } | undefined {
  let scale = 1;
  const quotients: { coef: number; atom: Atom & { kind: 'ceil' | 'floor' } }[] = [];
  const plain = constPoly(p.c);
  for (const m of p.terms.values()) {
    if (m.atoms.length === 1 && m.atoms[0].kind !== 'var') {
      const a = m.atoms[0];
      if (!isConst(a.den)) return undefined;
      quotients.push({ coef: m.coef, atom: a });
      scale = (scale * a.den.c) / gcd(scale, a.den.c);
    } else plain.terms.set(m.key, m);
  }
  if (quotients.length === 0) return { poly: p, err: { lo: 0, hi: 0 }, scale: 1 };
  let poly = polyScale(plain, scale);
  const err: Range = { lo: 0, hi: 0 };
  for (const { coef, atom } of quotients) {
    const k = atom.den.c;
    poly = polyAdd(poly, polyScale(atom.num, (coef * scale) / k));
    const e = ((k - 1) / k) * scale * Math.abs(coef);
    const up = atom.kind === 'ceil' ? coef > 0 : coef < 0;
    if (up) err.hi += e; else err.lo -= e;
  }
  return { poly, err, scale };
}

/**
 * Replaces quotients with a symbolic divisor by a bound with a constant one, in the direction that keeps
 * `side` a valid bound of the whole poly: ⌈n/s⌉ ≤ ⌈n/low(s)⌉ and ⌈n/s⌉ ≥ 1 (for n ≥ 1).
 */
function relax(p: Poly, side: 'upper' | 'lower', lowOf: (name: string) => number): Poly {
  let out = constPoly(p.c);
  for (const m of p.terms.values()) {
    const a = m.atoms.length === 1 ? m.atoms[0] : undefined;
    if (!a || a.kind === 'var' || isConst(a.den) || bounds(a.num, lowOf).lo < 1) {
      const q = constPoly(0);
      q.terms.set(m.key, m);
      out = polyAdd(out, q);
      continue;
    }
    const wantUpper = (side === 'upper') === (m.coef > 0);
    const low = Math.max(1, bounds(a.den, lowOf).lo);
    const bound = wantUpper ? toPoly(divide(toDim(a.num), low, a.kind) as SymDim) : constPoly(a.kind === 'ceil' ? 1 : 0);
    out = polyAdd(out, polyScale(bound, m.coef));
  }
  return out;
}

/** Symbols that are tensor sizes (`x.shape[1]`, `inputShape[0]`): the only ones `minSize` raises. */
export const isSizeSymbol = (name: string): boolean => /\[\d+\]$/.test(name);

function lowerBounds(facts: Facts, minSize: number): (name: string) => number {
  return (n) => Math.max(isSizeSymbol(n) ? minSize : 1, facts.lower?.get(n) ?? 1);
}

/** Whether d ≥ k for every admissible value (sizes ≥ minSize). */
function provablyAtLeastImpl(d0: SymDim, k: number, facts: Facts = {}, minSize = 1): boolean {
  const d = applySubst(d0, facts);
  if (typeof d === 'number') return d >= k;
  try { return bounds(toPoly(d), lowerBounds(facts, minSize)).lo >= k; } catch { return false; }
}

export type Verdict = 'equal' | 'different' | 'unknown';

/**
 * Whether a == b for every admissible value (all symbols positive integers ≥ their lower bound and, for
 * `minSize`, spatial sizes ≥ minSize): 'equal' when the normal forms agree, 'different' when the difference
 * provably never vanishes, else 'unknown' (a condition, never a finding).
 */
function decideEqualImpl(a0: SymDim, b0: SymDim, facts: Facts = {}, minSize = 1): Verdict {
  if (a0 === b0) return 'equal';
  const a = applySubst(a0, facts);
  const b = applySubst(b0, facts);
  if (a === b) return 'equal';
  for (const [x, y] of facts.ne ?? []) {
    const px = applySubst(x, facts);
    const py = applySubst(y, facts);
    if ((px === a && py === b) || (px === b && py === a)) return 'different';
  }
  if (typeof a === 'number' && typeof b === 'number') return 'different';
  let diff: Poly;
  try { diff = polyAdd(toPoly(a), toPoly(b), -1); } catch { return 'unknown'; }
  if (isConst(diff)) return diff.c === 0 ? 'equal' : 'different';
  const lowOf = lowerBounds(facts, minSize);
  const r = bounds(diff, lowOf);
  if (r.lo > 0 || r.hi < 0) return 'different';
  for (const side of ['upper', 'lower'] as const) {
    const lin = linearise(relax(diff, side, lowOf));
    if (!lin) continue;
    const lr = bounds(lin.poly, lowOf);
    if (side === 'lower' && lr.lo + lin.err.lo > 0) return 'different';
    if (side === 'upper' && lr.hi + lin.err.hi < 0) return 'different';
  }
  return 'unknown';
}

/** Whether a dim is provably ≥ 1 (a valid size) for every admissible value; false when unsure. */
export function provablyPositive(d0: SymDim, facts: Facts = {}): boolean {
  const d = applySubst(d0, facts);
  if (typeof d === 'number') return d >= 1;
  try { return bounds(toPoly(d), (n) => facts.lower?.get(n) ?? 1).lo >= 1; } catch { return false; }
}

/** Whether a dim is provably ≤ 0 for every admissible value (a window that never fits). */
export function provablyNonPositive(d0: SymDim, facts: Facts = {}): boolean {
  const d = applySubst(d0, facts);
  if (typeof d === 'number') return d <= 0;
  try { return bounds(toPoly(d), (n) => facts.lower?.get(n) ?? 1).hi <= 0; } catch { return false; }
}
