// Expands a VS Code snippet body the way accepting every default would: `${1:default}` (nested too),
// `$1` / `${1}` mirroring the value of the same tab stop, `${1|a,b|}` choosing the first option, `$0` empty,
// `\$ \} \\` escapes. Variables ($TM_FILENAME...) and transforms are rejected: the snippets do not use them.

type Node = string | { stop: number; children: Node[] | null; choice?: string[] };

function parse(body: string): Node[] {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`snippet syntax: ${msg} at offset ${i}: ${JSON.stringify(body.slice(Math.max(0, i - 20), i + 20))}`);
  };
  const number = () => {
    const m = /^\d+/.exec(body.slice(i));
    if (!m) fail('expected a tab stop number');
    i += m![0].length;
    return Number(m![0]);
  };
  const nodes = (until?: string): Node[] => {
    const out: Node[] = [];
    let text = '';
    while (i < body.length) {
      const c = body[i];
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
        text += body[i + 1];
        i += 2;
      } else if (until && c === until) {
        break;
      } else if (c === '$') {
        if (text) out.push(text);
        text = '';
        out.push(placeholder());
      } else {
        text += c;
        i++;
      }
    }
    if (text) out.push(text);
    return out;
  };
  const placeholder = (): Node => {
    i++; // $
    if (/\d/.test(body[i] ?? '')) return { stop: number(), children: null };
    if (body[i] !== '{') fail('variables are not supported');
    i++;
    const stop = number();
    if (body[i] === '}') {
      i++;
      return { stop, children: null };
    }
    if (body[i] === ':') {
      i++;
      const children = nodes('}');
      if (body[i] !== '}') fail('unclosed placeholder');
      i++;
      return { stop, children };
    }
    if (body[i] === '|') {
      const end = body.indexOf('|}', i + 1);
      if (end < 0) fail('unclosed choice');
      const choice = body.slice(i + 1, end).split(',');
      i = end + 2;
      return { stop, children: [choice[0]], choice };
    }
    return fail('expected }, : or |');
  };
  return nodes();
}

export function expandSnippet(body: string | string[]): string {
  const tree = parse(Array.isArray(body) ? body.join('\n') : body);
  const defaults = new Map<number, Node[]>();
  const collect = (ns: Node[]) => {
    for (const n of ns) {
      if (typeof n === 'string' || !n.children) continue;
      if (!defaults.has(n.stop)) defaults.set(n.stop, n.children);
      collect(n.children);
    }
  };
  collect(tree);
  const render = (ns: Node[], seen: number[]): string =>
    ns
      .map((n) => {
        if (typeof n === 'string') return n;
        if (seen.includes(n.stop)) throw new Error(`tab stop ${n.stop} contains itself`);
        const value = n.children ?? defaults.get(n.stop) ?? [];
        return render(value, [...seen, n.stop]);
      })
      .join('');
  return render(tree, []);
}

/** Every tab stop number used in a body, for checking the snippets give users the stops they need. */
export function tabStops(body: string | string[]): number[] {
  const stops = new Set<number>();
  const walk = (ns: Node[]) => {
    for (const n of ns) {
      if (typeof n === 'string') continue;
      stops.add(n.stop);
      if (n.children) walk(n.children);
    }
  };
  walk(parse(Array.isArray(body) ? body.join('\n') : body));
  return [...stops].sort((a, b) => a - b);
}
