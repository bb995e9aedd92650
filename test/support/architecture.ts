// The repository's dependency rules, checked from the import statements of the source tree (read with the
// TypeScript parser). Takes the tree's root as a parameter so that a fixture tree can show each rule failing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** One import edge: `from` (relative to the root) imports `spec`, resolved to `to` when it is a project file. */
export interface Edge { from: string; spec: string; to: string | undefined; typeOnly: boolean }

/** Source folders the rules cover, relative to the root. */
export const SOURCE_DIRS = ['server/src', 'client/src', 'webview/src', 'contract'];

/**
 * Layer order inside server/src/analysis/: a file may import its own unit or a unit of a lower level.
 * rules/ and report/ share a level and may not import each other; so do syntax/ and symbolic/ (symbolic
 * dimension arithmetic, which the layer catalogue computes with). rules/registry.ts is data every level
 * needs (rule ids), so it sits with types.ts.
 */
const ANALYSIS_LEVELS: Record<string, number> = { types: 0, syntax: 1, symbolic: 2, layers: 3, graph: 4, interp: 5, rules: 6, report: 6, fixes: 7, analyze: 8 };
export const ANALYSIS_ORDER = 'types -> syntax -> symbolic -> layers -> graph -> interp -> rules/report -> fixes -> analyze';

function unitOf(relInAnalysis: string): string {
  if (relInAnalysis === 'types.ts' || relInAnalysis === 'rules/registry.ts') return 'types';
  const slash = relInAnalysis.indexOf('/');
  return slash < 0 ? 'analyze' : relInAnalysis.slice(0, slash);
}

export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(root, d));
  return out.sort();
}

function resolveSpec(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.(m|c)?js$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}/index.ts`]) {
    if (/\.(ts|tsx|mts)$/.test(c) && fs.existsSync(path.join(root, c))) return c;
  }
  return base;
}

/** Every import, re-export, dynamic import() and require() of a file. */
export function importsOf(root: string, file: string): Edge[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean): void => { edges.push({ from: file, spec, to: resolveSpec(root, file, spec), typeOnly }); };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      // `import { type A, type B }` is erased like `import type`; a side-effect import is a runtime edge.
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const allTypes = !!c && !c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(n.moduleSpecifier.text, !!c && (c.isTypeOnly || allTypes));
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const named = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements : undefined;
      add(n.moduleSpecifier.text, n.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      add(n.moduleReference.expression.text, n.isTypeOnly);
    } else if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteralLike(n.arguments[0]) &&
        (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      add(n.arguments[0].text, false);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text, true);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return edges;
}

export function allEdges(root: string): Edge[] {
  return sourceFiles(root).flatMap((f) => importsOf(root, f));
}

const ANALYSIS = 'server/src/analysis/';

/** analysis/ is pure: besides itself it may import only the TypeScript parser. */
export function analysisPurityViolations(edges: Edge[]): string[] {
  return edges.filter((e) => e.from.startsWith(ANALYSIS) && e.spec !== 'typescript' && !(e.to?.startsWith(ANALYSIS)))
    .map((e) => `${e.from} imports '${e.spec}' (analysis/ may import only typescript and itself)`);
}

export function layerOrderViolations(edges: Edge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (!e.from.startsWith(ANALYSIS) || !e.to?.startsWith(ANALYSIS)) continue;
    const from = unitOf(e.from.slice(ANALYSIS.length));
    const to = unitOf(e.to.slice(ANALYSIS.length));
    const lf = ANALYSIS_LEVELS[from];
    const lt = ANALYSIS_LEVELS[to];
    if (lf === undefined) { out.push(`${e.from}: folder '${from}' has no place in the layer order (${ANALYSIS_ORDER})`); continue; }
    if (from === to) continue;
    if (lt === undefined || lt >= lf) out.push(`${e.from} (${from}) imports ${e.to} (${to}), against the order ${ANALYSIS_ORDER}`);
  }
  return [...new Set(out)];
}

/** Cycles among runtime imports (type-only imports are erased), each as the list of files around it. */
export function runtimeCycles(edges: Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    if (e.typeOnly || !e.to) continue;
    if (!graph.has(e.from)) graph.set(e.from, []);
    graph.get(e.from)!.push(e.to);
  }
  // Tarjan's strongly connected components; every component with more than one file (or a self-import) is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const strong = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { strong(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return cycles;
}

/** The extension host bundle must not pull the server in: client/ may name server/ types only. */
export function clientServerViolations(edges: Edge[]): string[] {
  return edges.filter((e) => e.from.startsWith('client/') && e.to?.startsWith('server/') && !e.typeOnly)
    .map((e) => `${e.from} imports ${e.to} at run time (client/ may import server/ only as types)`);
}

/**
 * contract/ is the contract between processes (trainer, extension host, webview): it runs in all three, so it
 * imports nothing but itself (no Node, no DOM-only code, no package).
 */
export function contractViolations(edges: Edge[]): string[] {
  return edges.filter((e) => e.from.startsWith('contract/') && !e.to?.startsWith('contract/'))
    .map((e) => `${e.from} imports '${e.spec}' (contract/ may import only itself)`);
}

/** Edges from files under `fromDir` to files under `toDir`, for "never imports" rules. */
export function crossings(edges: Edge[], fromDir: string, toDir: string): string[] {
  return edges.filter((e) => e.from.startsWith(fromDir) && e.to?.startsWith(toDir)).map((e) => `${e.from} imports ${e.to}`);
}

/** Files whose first line (after a #! line) is not a comment saying what the file is for. */
export function filesWithoutHeader(root: string): string[] {
  return sourceFiles(root).filter((f) => {
    const text = fs.readFileSync(path.join(root, f), 'utf8').replace(/^#!.*\n/, '').trimStart();
    return !(text.startsWith('//') || text.startsWith('/*'));
  });
}
