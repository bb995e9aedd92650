// Per source location facts for hovers and inlay hints (SiteInfo).
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Application, Graph, SourceRef, TensorNode } from '../graph/graph';
import { skipOuter } from '../syntax/ast';
import { rangeOf } from '../syntax/text';
import type { Shape, SiteInfo } from '../types';
import { jsonShape, symbolicJsonShape } from './models';
import { analyzeMerge } from '../graph/branch';

const shapeKey = (s: Shape | null) => JSON.stringify(s);

/** Per-location facts (hover, inlay hints): one site per source location, shapes deduplicated across calls. */
export function collectSites(graph: Graph, tensorVars: { at: SourceRef; name: string; tensor: TensorNode; symbolic?: boolean }[],
  symbolicApps: ReadonlyMap<Application, unknown> = new Map()): SiteInfo[] {
  // Per file, by span and kind; a hostile loop reaches one site thousands of times, so the key is short.
  const sites = new Map<string, Map<string, SiteInfo>>();
  const ordered: SiteInfo[] = [];
  // Keys of the shapes already in a site's lists: symbolic runs repeat the same shape at a site once per
  // path and per call, and comparing each new one against the whole list was quadratic.
  const symbolicSeen = new Map<SiteInfo, Set<string>>();
  const concreteSeen = new Map<SiteInfo, Set<string>>();
  const seenIn = (m: Map<SiteInfo, Set<string>>, s: SiteInfo) => {
    let set = m.get(s);
    if (!set) m.set(s, set = new Set());
    return set;
  };
  const site = (at: SourceRef, kind: SiteInfo['kind'], className?: string): SiteInfo => {
    let inFile = sites.get(at.file);
    if (!inFile) sites.set(at.file, inFile = new Map<string, SiteInfo>());
    const k = `${at.node.pos}:${at.node.end}${kind}`;
    let s = inFile.get(k);
    if (!s) {
      s = { kind, file: at.file, range: rangeOf(at.sf, at.node), shapes: [], paramCounts: [], ...(className ? { className } : {}) };
      inFile.set(k, s);
      ordered.push(s);
    }
    return s;
  };
  // Shapes from symbolic runs (a function analysed without a caller) go apart, with their symbols.
  const addSymbolic = (s: SiteInfo, shape: Shape | undefined): boolean => {
    const j = symbolicJsonShape(shape);
    if (!j || !j.some((d) => typeof d === 'string')) return false;
    const seen = seenIn(symbolicSeen, s);
    const k = shapeKey(j);
    if (seen.has(k)) return false;
    seen.add(k);
    (s.symbolicShapes ??= []).push(j);
    return true;
  };
  const addShape = (s: SiteInfo, shape: Shape | undefined, params: number | null): boolean => {
    // A None input's dims are symbols inside the analysis: shown as null (tfjs's view) and symbolically.
    if (shape?.some((d) => typeof d === 'string')) addSymbolic(s, shape);
    const j = jsonShape(shape);
    if (!j) return false;
    const seen = seenIn(concreteSeen, s);
    const k = `${shapeKey(j)}|${params}`;
    if (seen.has(k)) return false;
    seen.add(k);
    s.shapes.push(j);
    s.paramCounts.push(params);
    return true;
  };
  for (const layer of graph.layers) {
    if (!tsApi.isCallExpression(layer.created.node) && !tsApi.isNewExpression(layer.created.node)) continue;
    const ls = site(layer.created, 'layer', layer.className);
    for (const app of layer.apps) {
      if (!app.outputs[0] || app.outputs[0].recovered) continue;
      if (symbolicApps.has(app)) { const o = symbolicOutput(app); if (addSymbolic(ls, o.shape) && o.underContract) ls.symbolicUnderContract = true; }
      else addShape(ls, app.outputs[0].shape, layer.paramCount);
    }
  }
  for (const app of graph.apps) {
    if (!isApplyCall(app.at.node)) continue;
    const s = site(app.at, 'apply', app.layer.className);
    const stored = storedName(app.at.node);
    if (stored) s.storedIn = stored;
    const operands = () => (s.symbolicOperandShapes ??= []).push(app.inputs.map((t) => symbolicJsonShape(t.shape) ?? []));
    if (app.outputs[0]?.recovered) {
      // A merge that fails for every value in a function analysed without a caller: its operands say why.
      if (symbolicApps.has(app) && app.error && app.inputs.length > 1 && !app.inputs.some((t) => t.recovered || !t.shape)) {
        const k = JSON.stringify(app.inputs.map((t) => symbolicJsonShape(t.shape)));
        const seen = seenIn(symbolicSeen, s);
        if (!seen.has(k)) { seen.add(k); operands(); }
      }
      continue;
    }
    if (symbolicApps.has(app)) {
      const o = symbolicOutput(app);
      if (addSymbolic(s, o.shape)) {
        if (o.underContract) s.symbolicUnderContract = true;
        if (app.inputs.length > 1) operands();
      }
    } else if (addShape(s, app.outputs[0]?.shape, app.layer.paramCount)) {
      if (app.inputs.length > 1) (s.operandShapes ??= []).push(app.inputs.map((t) => jsonShape(t.shape) ?? []));
      else (s.inputShapes ??= []).push(jsonShape(app.inputs[0]?.shape) ?? []);
    }
  }
  for (const v of tensorVars) {
    const s = site(v.at, 'tensor');
    s.storedIn = v.name;
    if (v.tensor.recovered) continue;
    if (v.symbolic) {
      const o = v.tensor.producer && v.tensor.producer.outputs.length === 1 ? symbolicOutput(v.tensor.producer) : { shape: v.tensor.shape, underContract: false };
      if (addSymbolic(s, o.shape) && o.underContract) s.symbolicUnderContract = true;
    }
    else addShape(s, v.tensor.shape, null);
  }
  return ordered;
}

/**
 * The output of a symbolic application as hovers show it. A merge whose operands are equal only under the
 * function's contract (`⌈H/strides⌉` vs `H`) has no decided size on those axes; when the contract holds the
 * operands agree, so the shortcut's size is the one shown, marked as such.
 */
function symbolicOutput(app: Application): { shape: Shape | undefined; underContract: boolean } {
  const out = app.outputs[0]?.shape;
  if (!out || app.layer.spec?.kind !== 'merge' || app.layer.className === 'Concatenate' || app.inputs.length < 2) return { shape: out, underContract: false };
  const shapes = app.inputs.map((t) => t.shape);
  if (shapes.some((sh) => !sh || sh.length !== out.length)) return { shape: out, underContract: false };
  const shortcut = shapes[analyzeMerge(app).shortcut]!;
  let underContract = false;
  const shape = out.map((d, i) => {
    if (d !== undefined || i === 0 || shapes.some((sh) => sh![i] === undefined)) return d;
    underContract = true;
    return shortcut[i];
  });
  return { shape, underContract };
}

function isApplyCall(n: ts.Node): boolean {
  return tsApi.isCallExpression(n) && tsApi.isPropertyAccessExpression(skipOuter(n.expression)) &&
    (skipOuter(n.expression) as ts.PropertyAccessExpression).name.text === 'apply';
}

/** `const y = layer.apply(x) as tf.SymbolicTensor` → 'y'. */
export function storedName(n: ts.Node): string | undefined {
  let p = n.parent;
  while (p && (tsApi.isParenthesizedExpression(p) || tsApi.isAsExpression(p) || tsApi.isNonNullExpression(p) || tsApi.isTypeAssertionExpression(p) || tsApi.isSatisfiesExpression(p))) p = p.parent;
  if (!p) return undefined;
  if (tsApi.isVariableDeclaration(p) && tsApi.isIdentifier(p.name)) return p.name.text;
  if (tsApi.isBinaryExpression(p) && p.operatorToken.kind === tsApi.SyntaxKind.EqualsToken && tsApi.isIdentifier(p.left)) return p.left.text;
  return undefined;
}
