// Reading layer configs the way tfjs-layers 4.22 reads its constructor args, with one addition: any value
// may be UNKNOWN (the analyzer could not evaluate it). Readers return `undefined` for unknown parts so that
// only the dims depending on them become unknown.
import { StacklessError } from '../syntax/stackless';

/** A config value the analyzer could not evaluate. */
export const UNKNOWN: unique symbol = Symbol('unknown');

export type ConfigValue =
  | number
  | string
  | boolean
  | null
  | undefined
  | typeof UNKNOWN
  | ConfigValue[]
  | { [k: string]: ConfigValue };
export type LayerConfig = { [k: string]: ConfigValue };

/** What tfjs would throw while constructing or building the layer. Caught at the spec boundary. */
export class LayerError extends StacklessError {}

export function fail(message: string): never {
  throw new LayerError(message);
}

/** tfjs tests config fields with `== null`, so null and undefined both mean "use the default". */
export function isAbsent(v: ConfigValue): v is null | undefined {
  return v === null || v === undefined;
}

export function show(v: ConfigValue): string {
  if (v === UNKNOWN) return '?';
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  // JSON.stringify gives undefined only for undefined itself.
  return JSON.stringify(v) ?? 'undefined';
}

export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** A number field; `undefined` when unknown. */
export function readNumber(cfg: LayerConfig, key: string, def: number): number | undefined {
  const v = cfg[key];
  if (isAbsent(v)) return def;
  if (v === UNKNOWN) return undefined;
  if (typeof v !== 'number') fail(`${key} must be a number, got ${show(v)}`);
  return v;
}

/** A required positive integer field such as `filters` or `units` (tfjs assertPositiveInteger). */
export function readPositiveInt(cfg: LayerConfig, key: string, def?: number): number | undefined {
  const v = cfg[key];
  if (isAbsent(v) && def !== undefined) return def;
  if (v === UNKNOWN) return undefined;
  if (!isPositiveInt(v)) fail(`Expected ${key} to be a positive integer, but got ${show(v)}.`);
  return v;
}

export function readBool(cfg: LayerConfig, key: string, def: boolean): boolean | undefined {
  const v = cfg[key];
  if (isAbsent(v)) return def;
  if (v === UNKNOWN) return undefined;
  return Boolean(v);
}

/** A string enum field (tfjs checkStringTypeUnionValue); `undefined` when unknown. */
export function readEnum<T extends string>(
  cfg: LayerConfig,
  key: string,
  allowed: readonly T[],
  def: T,
): T | undefined {
  const v = cfg[key];
  if (isAbsent(v)) return def;
  if (v === UNKNOWN) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(`Invalid ${key} ${show(v)}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return v as T;
}

export const DATA_FORMATS = ['channelsLast', 'channelsFirst'] as const;

/** `true` for channelsFirst, `undefined` when unknown. Layers that check the value pass `strict`. */
export function readChannelsFirst(cfg: LayerConfig, strict = true): boolean | undefined {
  if (strict) {
    const f = readEnum(cfg, 'dataFormat', DATA_FORMATS, 'channelsLast');
    return f === undefined ? undefined : f === 'channelsFirst';
  }
  const v = cfg.dataFormat;
  return v === UNKNOWN ? undefined : v === 'channelsFirst';
}

/**
 * An int-or-tuple field normalised to `n` entries (tfjs normalizeArray): a number is repeated, an array
 * must have exactly `n` integers. Unknown entries come back `undefined`.
 */
export function readTuple(v: ConfigValue, n: number, name: string): (number | undefined)[] {
  if (v === UNKNOWN) return new Array<undefined>(n).fill(undefined);
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (!Array.isArray(v)) fail(`The ${name} argument must be an integer or tuple of ${n} integers. Received: ${show(v)}`);
  if (v.length !== n) {
    fail(`The ${name} argument must be an integer or tuple of ${n} integers. Received: ${v.length} elements.`);
  }
  return v.map((e) => {
    if (e === UNKNOWN) return undefined;
    if (typeof e !== 'number' || !Number.isInteger(e)) {
      fail(`The ${name} argument must be an integer or tuple of ${n} integers. Received: ${show(v)} including a non-integer ${show(e)}`);
    }
    return e;
  });
}

/** Every known entry must be a positive integer (kernel sizes, strides, dilation rates). */
export function requirePositive(values: (number | undefined)[], name: string): void {
  for (const e of values) {
    if (e !== undefined && !isPositiveInt(e)) fail(`${name} must be positive integers, got ${show(values)}`);
  }
}
