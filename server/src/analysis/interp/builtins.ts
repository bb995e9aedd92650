// The JavaScript globals and primitive/array methods the interpreter models (Math, Array.from, push...).
import { ClassValue, Fn, Native, Obj, UNKNOWN, type NativeCall, type Value, truthy } from './values';
import { UNKNOWN_KEYS, forgetArray, forgetObject, forgetReachable, freeze, isFrozen } from './forget';

const num = (v: Value): number | undefined => (typeof v === 'number' ? v : undefined);

function mathFn(f: (...xs: number[]) => number): Native {
  return new Native('Math', (args) => {
    const xs = args.map(num);
    return xs.every((x) => x !== undefined) ? f(...(xs)) : UNKNOWN;
  });
}

function namespace(name: string, members: Record<string, Value>): Native {
  return new Native(name, undefined, (p) => (p in members ? members[p] : UNKNOWN));
}

/** Object.keys and friends: defined on plain objects, a step per property. */
function ofObject(name: string, f: (o: Obj) => Value): Native {
  return new Native(`Object.${name}`, ([o], call) => {
    if (!(o instanceof Obj) || o.props.has(UNKNOWN_KEYS)) return UNKNOWN;
    call.charge(o.props.size);
    return f(o);
  });
}

/** The globals user model code commonly touches. Everything else resolves to UNKNOWN. */
export function builtinGlobals(): [string, Value][] {
  const math: Record<string, Value> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2 };
  for (const k of ['abs', 'ceil', 'floor', 'round', 'trunc', 'sqrt', 'log', 'log2', 'log10', 'exp', 'sign', 'pow', 'max', 'min', 'hypot'] as const) {
    // Math's functions never read `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    math[k] = mathFn(Math[k]);
  }
  const arrayFrom = new Native('Array.from', (args, call) => {
    const [src, fn] = args;
    // The size is known before anything is allocated: refuse or charge it first.
    const n = Array.isArray(src) ? src.length : src instanceof Obj ? src.props.get('length') : undefined;
    if (typeof n !== 'number' || !(n >= 0 && n <= MAX_ARRAY) || !Number.isInteger(n)) return UNKNOWN;
    call.charge(n);
    const items: Value[] = Array.isArray(src) ? [...src] : new Array<Value>(n).fill(undefined);
    return fn === undefined ? items : items.map((v, i) => call.invoke(fn, [v, i]));
  });
  const objectNs = namespace('Object', {
    keys: ofObject('keys', (o) => [...o.props.keys()]),
    values: ofObject('values', (o) => [...o.props.values()]),
    entries: ofObject('entries', (o) => [...o.props].map(([k, v]) => [k, v])),
    assign: new Native('Object.assign', ([t, ...srcs], call) => {
      if (!(t instanceof Obj) || t.cls || isFrozen(t)) { forgetReachable(t, call.charge, () => undefined); return UNKNOWN; }
      for (const s of srcs) {
        if (s instanceof Obj && !s.props.has(UNKNOWN_KEYS) && !s.cls) { call.charge(s.props.size); for (const [k, v] of s.props) t.props.set(k, v); }
        // A source the analyzer cannot enumerate may overwrite any key (or run setters): the target is unknown.
        else if (s !== null && s !== undefined && typeof s !== 'number' && typeof s !== 'boolean') { forgetObject(t); return t; }
      }
      return t;
    }),
    freeze: new Native('Object.freeze', ([o]) => { freeze(o); return o; }),
  });
  const identity = (name: string) => new Native(name, ([v]) => v);
  const globals: [string, Value][] = [
    ['Math', namespace('Math', math)],
    ['Array', namespace('Array', {
      from: arrayFrom,
      isArray: new Native('Array.isArray', ([v]) => (v === UNKNOWN ? UNKNOWN : Array.isArray(v))),
      of: new Native('Array.of', (args) => [...args]),
    })],
    ['Object', objectNs],
    ['Number', new Native('Number', ([v]) => (v === UNKNOWN ? UNKNOWN : typeof v === 'object' && v !== null ? UNKNOWN : Number(v)), (p) =>
      p === 'isInteger' ? new Native('Number.isInteger', ([v]) => (typeof v === 'number' ? Number.isInteger(v) : UNKNOWN)) : UNKNOWN)],
    ['String', new Native('String', ([v]) => (v === UNKNOWN || (typeof v === 'object' && v !== null) ? UNKNOWN : String(v)))],
    ['Boolean', new Native('Boolean', ([v]) => truthy(v))],
    ['parseInt', new Native('parseInt', ([v, r]) => (typeof v === 'string' || typeof v === 'number' ? parseInt(String(v), num(r)) : UNKNOWN))],
    ['parseFloat', new Native('parseFloat', ([v]) => (typeof v === 'string' || typeof v === 'number' ? parseFloat(String(v)) : UNKNOWN))],
    ['console', namespace('console', { log: identity('log'), warn: identity('warn'), error: identity('error'), info: identity('info') })],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['Symbol', UNKNOWN],
    ['process', UNKNOWN],
    ['Error', new Native('Error', () => new Obj())],
    // Reads its argument and builds a new value: nothing the analyzer tracks changes.
    ['JSON', namespace('JSON', { stringify: new Native('JSON.stringify', () => UNKNOWN), parse: new Native('JSON.parse', () => UNKNOWN) })],
    ['Promise', UNKNOWN],
    ['globalThis', UNKNOWN],
  ];
  return globals;
}

/** Members of primitives and arrays: only the pure ones. */
export function primitiveMember(recv: Value, key: string): Value {
  if (Array.isArray(recv)) return arrayMethod(recv, key);
  if (typeof recv === 'string') {
    if (key === 'length') return recv.length;
    const fn = (String.prototype as unknown as Record<string, unknown>)[key];
    if (typeof fn !== 'function' || !PURE_STRING_METHODS.has(key)) return UNKNOWN;
    return new Native(`String.${key}`, (args, call) => {
      if (args.some((a) => a === UNKNOWN || (typeof a === 'object' && a !== null))) return UNKNOWN;
      // Strings in model code are names: refuse to build huge ones ('x'.repeat(1e9)) rather than run out of memory.
      // Every string argument may end up in the result (concat, replace), so it counts too.
      const argChars = args.reduce<number>((n, a) => n + (typeof a === 'string' ? a.length : 0), 0);
      const size = key === 'repeat' ? recv.length * (num(args[0]) ?? 0) : key === 'padStart' || key === 'padEnd' ? num(args[0]) ?? 0 : recv.length + argChars;
      if (!(size <= MAX_STRING)) return UNKNOWN;
      call.charge(size);
      return attempt(() => {
        const r = (fn as (...a: unknown[]) => unknown).apply(recv, args);
        return Array.isArray(r) ? [...(r as Value[])] : (r as Value);
      });
    });
  }
  if (typeof recv === 'number') {
    if (key === 'toString' || key === 'toFixed') return new Native(`Number.${key}`, ([d]) => attempt(() => (key === 'toFixed' ? recv.toFixed(num(d) ?? 0) : recv.toString(num(d)))));
  }
  if (recv instanceof Obj && key === 'hasOwnProperty') return new Native('hasOwnProperty', ([k]) => (typeof k === 'string' ? recv.props.has(k) : UNKNOWN));
  return UNKNOWN;
}

/** Longest string the interpreter builds; longer results are UNKNOWN. */
export const MAX_STRING = 1 << 20;
/** Longest array a builtin creates from a length (Array.from({ length })); longer ones are UNKNOWN. */
export const MAX_ARRAY = 100_000;

/** A JS builtin that throws on odd arguments (toFixed(200), repeat(-1)) gives UNKNOWN instead. */
function attempt(f: () => Value): Value {
  try { return f(); } catch { return UNKNOWN; }
}

const PURE_STRING_METHODS = new Set(['toUpperCase', 'toLowerCase', 'padStart', 'padEnd', 'slice', 'substring', 'split', 'includes', 'startsWith', 'endsWith', 'indexOf', 'trim', 'repeat', 'concat', 'replace', 'charAt', 'at']);

function arrayMethod(arr: Value[], key: string): Value {
  const cb = (name: string, body: (fn: Value, invoke: (f: Value, a: Value[]) => Value, rest: Value[]) => Value) =>
    new Native(`Array.${name}`, ([fn, ...rest], call) => body(fn, call.invoke, rest));
  // Whole-array operations cost a step per element, so that the step budget also bounds array doubling.
  const linear = (name: string, body: (args: Value[]) => Value) =>
    new Native(`Array.${name}`, (args, call) => { call.charge(arr.length + args.length); return body(args); });
  switch (key) {
    case 'push': return linear('push', (args) => { for (const a of args) arr.push(a); return arr.length; });
    case 'pop': return new Native('pop', () => arr.pop());
    case 'shift': return linear('shift', () => arr.shift());
    case 'unshift': return linear('unshift', (args) => { arr.unshift(...args); return arr.length; });
    case 'slice': return linear('slice', ([a, b]) => arr.slice(num(a), num(b)));
    case 'concat': return new Native('concat', (args, call) => {
      call.charge(arr.length + args.reduce<number>((n, a) => n + (Array.isArray(a) ? a.length : 1), 0));
      const out = [...arr];
      for (const a of args) {
        if (Array.isArray(a)) { for (const v of a) out.push(v); } else out.push(a);
      }
      return out;
    });
    case 'reverse': return linear('reverse', () => arr.reverse());
    case 'sort': return new Native('sort', ([cmp], call) => sortArray(arr, cmp, call));
    case 'splice': return new Native('splice', (args, call) => {
      const [start, count, ...items] = args;
      if (typeof start !== 'number' || (count !== undefined && typeof count !== 'number')) { forgetArray(arr); return UNKNOWN; }
      call.charge(arr.length + items.length);
      return args.length < 2 ? arr.splice(start) : arr.splice(start, count as number, ...items);
    });
    case 'indexOf': return linear('indexOf', ([v]) => arr.indexOf(v));
    case 'includes': return linear('includes', ([v]) => (v === UNKNOWN || arr.includes(UNKNOWN) ? UNKNOWN : arr.includes(v)));
    case 'join': return linear('join', ([sep]) => {
      // An object's text comes from its own toString, which is not modelled.
      if (!arr.every(isPrimitive) || (sep !== undefined && typeof sep !== 'string')) return UNKNOWN;
      const s = sep ?? ',';
      // Measured before joining: a thousand copies of a long name must not become a gigabyte string.
      const size = arr.reduce<number>((n, v) => n + (v === undefined || v === null ? 0 : String(v).length) + s.length, 0);
      return size > MAX_STRING ? UNKNOWN : arr.join(s);
    });
    case 'at': return new Native('at', ([i]) => (typeof i === 'number' ? arr.at(i) : UNKNOWN));
    case 'fill': return linear('fill', ([v, start, end]) => {
      if ((start !== undefined && typeof start !== 'number') || (end !== undefined && typeof end !== 'number')) { forgetArray(arr); return arr; }
      return arr.fill(v, start, end);
    });
    case 'keys': return linear('keys', () => arr.map((_, i) => i));
    case 'entries': return linear('entries', () => arr.map((v, i) => [i, v]));
    case 'flat': return new Native('flat', ([depth], call) => {
      const d = depth === undefined ? 1 : depth;
      if (typeof d !== 'number' || Number.isNaN(d)) return UNKNOWN;
      return flatten(arr, d, call.charge);
    });
    case 'forEach': return cb('forEach', (fn, inv) => { arr.forEach((v, i) => inv(fn, [v, i, arr])); return undefined; });
    case 'map': return cb('map', (fn, inv) => arr.map((v, i) => inv(fn, [v, i, arr])));
    case 'filter': return cb('filter', (fn, inv) => {
      const out: Value[] = [];
      for (let i = 0; i < arr.length; i++) {
        const t = truthy(inv(fn, [arr[i], i, arr]));
        if (t === UNKNOWN) return UNKNOWN;
        if (t) out.push(arr[i]);
      }
      return out;
    });
    case 'find': case 'some': case 'every': case 'findIndex': return cb(key, (fn, inv) => {
      for (let i = 0; i < arr.length; i++) {
        const t = truthy(inv(fn, [arr[i], i, arr]));
        if (t === UNKNOWN) return UNKNOWN;
        if (key === 'every' && !t) return false;
        if (t && key !== 'every') return key === 'find' ? arr[i] : key === 'findIndex' ? i : true;
      }
      return key === 'every' ? true : key === 'find' ? undefined : key === 'findIndex' ? -1 : false;
    });
    case 'reduce': return cb('reduce', (fn, inv, rest) => {
      let i = 0;
      let acc: Value;
      if (rest.length > 0) acc = rest[0];
      else { if (arr.length === 0) return UNKNOWN; acc = arr[0]; i = 1; }
      for (; i < arr.length; i++) acc = inv(fn, [acc, arr[i], i, arr]);
      return acc;
    });
    default: return UNKNOWN;
  }
}

/**
 * Array.prototype.sort. Without a comparator JS compares the elements' strings, which is exact for known
 * primitives; a comparator is called like JS would call it. Any unknown (an element, a comparison) leaves
 * the order unknown: the elements are forgotten (the length stays: sort never changes it).
 */
function sortArray(arr: Value[], cmp: Value, call: NativeCall): Value {
  call.charge(arr.length * Math.max(1, Math.ceil(Math.log2(arr.length + 1))));
  const unknownOrder = {};
  if (cmp === undefined) {
    if (arr.some((v) => v !== undefined && (v === UNKNOWN || (typeof v === 'object' && v !== null)))) { forgetArray(arr); return arr; }
    return arr.sort();
  }
  try {
    return arr.sort((a, b) => {
      const r = call.invoke(cmp, [a, b]);
      // A sentinel caught just below, not an error: it only unwinds out of sort().
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (typeof r !== 'number') throw unknownOrder;
      return r;
    });
  } catch (e) {
    if (e !== unknownOrder) throw e;
    forgetArray(arr);
    return arr;
  }
}

/**
 * Array.prototype.flat, charging every element it visits at every depth before the result grows, so that
 * nested arrays sharing one big inner array (a tree of aliases) cannot multiply past the step budget.
 */
function flatten(arr: Value[], depth: number, charge: (n: number) => void): Value[] {
  const out: Value[] = [];
  const visit = (a: Value[], d: number) => {
    charge(a.length);
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) continue; // flat skips holes
      const v = a[i];
      if (Array.isArray(v) && d > 0) visit(v, d - 1);
      else out.push(v);
    }
  };
  visit(arr, depth);
  return out;
}

export const isCallable = (v: Value): boolean => v instanceof Fn || v instanceof Native || v instanceof ClassValue;

function isPrimitive(v: Value): v is string | number | boolean | null | undefined {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
