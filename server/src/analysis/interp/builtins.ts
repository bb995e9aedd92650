// The JavaScript globals and primitive/array methods the interpreter models (Math, Array.from, push...).
import { ClassValue, Fn, Native, Obj, UNKNOWN, type Value, truthy } from './values';

const num = (v: Value): number | undefined => (typeof v === 'number' ? v : undefined);

function mathFn(f: (...xs: number[]) => number): Native {
  return new Native('Math', (args) => {
    const xs = args.map(num);
    return xs.every((x) => x !== undefined) ? f(...(xs as number[])) : UNKNOWN;
  });
}

function namespace(name: string, members: Record<string, Value>): Native {
  return new Native(name, undefined, (p) => (p in members ? members[p] : UNKNOWN));
}

/** Object.keys and friends: defined on plain objects, a step per property. */
function ofObject(name: string, f: (o: Obj) => Value): Native {
  return new Native(`Object.${name}`, ([o], call) => {
    if (!(o instanceof Obj)) return UNKNOWN;
    call.charge(o.props.size);
    return f(o);
  });
}

/** The globals user model code commonly touches. Everything else resolves to UNKNOWN. */
export function builtinGlobals(): [string, Value][] {
  const math: Record<string, Value> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2 };
  for (const k of ['abs', 'ceil', 'floor', 'round', 'trunc', 'sqrt', 'log', 'log2', 'log10', 'exp', 'sign', 'pow', 'max', 'min', 'hypot'] as const) {
    math[k] = mathFn(Math[k] as (...xs: number[]) => number);
  }
  const arrayFrom = new Native('Array.from', (args, call) => {
    const [src, fn] = args;
    let items: Value[] | undefined;
    if (Array.isArray(src)) items = [...src];
    else if (src instanceof Obj && typeof src.props.get('length') === 'number') items = new Array(src.props.get('length') as number).fill(undefined);
    if (!items || items.length > 100_000) return UNKNOWN;
    call.charge(items.length);
    return fn === undefined ? items : items.map((v, i) => call.invoke(fn, [v, i]));
  });
  const objectNs = namespace('Object', {
    keys: ofObject('keys', (o) => [...o.props.keys()]),
    values: ofObject('values', (o) => [...o.props.values()]),
    entries: ofObject('entries', (o) => [...o.props].map(([k, v]) => [k, v])),
    assign: new Native('Object.assign', ([t, ...srcs], call) => {
      if (!(t instanceof Obj)) return UNKNOWN;
      for (const s of srcs) if (s instanceof Obj) { call.charge(s.props.size); for (const [k, v] of s.props) t.props.set(k, v); }
      return t;
    }),
    freeze: new Native('Object.freeze', ([o]) => o),
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
    ['JSON', UNKNOWN],
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
      const size = key === 'repeat' ? recv.length * (num(args[0]) ?? 0) : key === 'padStart' || key === 'padEnd' ? num(args[0]) ?? 0 : recv.length;
      if (!(size <= MAX_STRING)) return UNKNOWN;
      call.charge(size);
      return attempt(() => {
        const r = (fn as (...a: unknown[]) => unknown).apply(recv, args);
        return Array.isArray(r) ? [...r] : (r as Value);
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
      const out = [...arr];
      for (const a of args) {
        if (Array.isArray(a)) { call.charge(a.length); for (const v of a) out.push(v); } else out.push(a);
      }
      call.charge(arr.length);
      return out;
    });
    case 'reverse': return linear('reverse', () => arr.reverse());
    case 'indexOf': return linear('indexOf', ([v]) => arr.indexOf(v));
    case 'includes': return linear('includes', ([v]) => (v === UNKNOWN || arr.includes(UNKNOWN) ? UNKNOWN : arr.includes(v)));
    case 'join': return linear('join', ([sep]) => (arr.some((v) => v === UNKNOWN || (typeof v === 'object' && v !== null)) ? UNKNOWN : arr.join(typeof sep === 'string' ? sep : ',')));
    case 'at': return new Native('at', ([i]) => (typeof i === 'number' ? arr.at(i) : UNKNOWN));
    case 'fill': return linear('fill', ([v]) => arr.fill(v));
    case 'keys': return linear('keys', () => arr.map((_, i) => i));
    case 'entries': return linear('entries', () => arr.map((v, i) => [i, v]));
    case 'flat': return linear('flat', () => arr.flat() as Value[]);
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

export const isCallable = (v: Value): boolean => v instanceof Fn || v instanceof Native || v instanceof ClassValue;
