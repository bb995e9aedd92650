// Symbolic dims as the editor shows them. The core names each symbol after its origin in the source
// (`x.shape[1]`, `inputShape[0]`, `filters`, `this.width`), which is exact but long inside `⌈x.shape[1]/2⌉`;
// hovers and hints give such symbols a short name from the axis they size (H, W, C, …) and say where each
// comes from, so `[null,⌈H/2⌉,⌈W/2⌉,2·width]` reads like a paper's notation and still points at the code.
import type { Dim, Shape } from '../analysis';

/** A symbol as the core writes it inside a dim's text. */
const SYMBOL = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*/g;

/** Axis letters by rank, channels-last as tfjs defaults: [batch, H, W, C] and friends. */
const AXIS_LETTERS: Record<number, string[]> = {
  2: ['N', 'F'],
  3: ['N', 'L', 'C'],
  4: ['N', 'H', 'W', 'C'],
  5: ['N', 'D', 'H', 'W', 'C'],
};

export const isSymbolic = (d: Dim | string): d is string => typeof d === 'string';

export function symbolsIn(text: string): string[] {
  return [...new Set(text.match(SYMBOL) ?? [])];
}

/** Short names only for symbols that are not already a plain identifier (`filters` stays `filters`). */
const needsAlias = (name: string) => /[.[]/.test(name);

/** Short names for the long symbols of these shapes, from the axis each first sizes. */
export function aliasesFor(shapes: Shape[]): Map<string, string> {
  const all = new Set<string>();
  for (const shape of shapes) for (const d of shape) if (isSymbolic(d)) for (const s of symbolsIn(d)) all.add(s);
  const taken = new Set([...all].filter((s) => !needsAlias(s)));
  const aliases = new Map<string, string>();
  for (const shape of shapes) {
    shape.forEach((d, axis) => {
      if (!isSymbolic(d)) return;
      const letter = AXIS_LETTERS[shape.length]?.[axis];
      if (!letter) return;
      for (const s of symbolsIn(d)) {
        if (!needsAlias(s) || aliases.has(s)) continue;
        let alias = letter;
        for (let n = 2; taken.has(alias); n++) alias = `${letter}${n}`;
        taken.add(alias);
        aliases.set(s, alias);
      }
    });
  }
  return aliases;
}

export function renderSymbolic(text: string, aliases: Map<string, string>): string {
  return text.replace(SYMBOL, (s) => aliases.get(s) ?? s);
}

/** Where a symbol's value comes from, in words. */
export function originOf(name: string): string {
  let m = /^(.*)\.shape\[(\d+)\]$/.exec(name);
  if (m) return `axis ${m[2]} of \`${m[1]}\``;
  m = /^this\.([\w$]+)$/.exec(name);
  if (m) return `the field \`${m[1]}\` of \`this\``;
  m = /^(.*)\[(\d+)\]$/.exec(name);
  if (m) return `item ${m[2]} of \`${m[1]}\``;
  return `the parameter \`${name}\``;
}

/** "H = `x.shape[1]` (axis 1 of `x`)" for each alias used; plain symbols need no legend. */
export function legend(aliases: Map<string, string>): string[] {
  return [...aliases].map(([name, alias]) => `${alias} = \`${name}\` (${originOf(name)})`);
}
