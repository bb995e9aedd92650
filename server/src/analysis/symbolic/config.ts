// Layer configs stay plain data for the catalogue: a symbolic value in a config reads as UNKNOWN to every
// reader that does not know about symbols (so nothing can fail on it), and the few readers that can use
// one (filters, units, strides) find it here, keyed by the config object.
/** A layer config object (layers/config.ts); only its identity matters here. */
type LayerConfig = object;
import type { SymDim } from './expr';

export type SymEntry = SymDim | undefined | (SymDim | undefined)[];

const side = new WeakMap<LayerConfig, Record<string, SymEntry>>();

export function setSymbolic(cfg: LayerConfig, key: string, v: SymEntry): void {
  let rec = side.get(cfg);
  if (!rec) { rec = {}; side.set(cfg, rec); }
  rec[key] = v;
}

/** A symbolic scalar config field (e.g. `filters`), when the field holds one. */
export function symField(cfg: LayerConfig, key: string): string | undefined {
  const v = side.get(cfg)?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A symbolic int-or-tuple field normalised to n entries (a scalar is repeated). */
export function symTuple(cfg: LayerConfig, key: string, n: number): (SymDim | undefined)[] | undefined {
  const v = side.get(cfg)?.[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === n ? v : undefined;
  return new Array<SymDim>(n).fill(v);
}
