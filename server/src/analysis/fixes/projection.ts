// The shortcut projection fix (ResNet option B): a 1x1 convolution or dense layer on the shortcut, written
// the way a person would. In order of preference: extend the shortcut's existing `if (strides !== 1)` guard;
// a projection from the function's own `filters`/`strides` names (guarded when some calls already match);
// literal filters and strides when every call needs the same; last, a guarded projection computed from the
// operands' shapes. Every candidate is re-analysed (fixes/verify.ts) and only the first that works is kept.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Fix, TextEdit } from '../types';
import type { MergeSite } from '../graph/branch';
import { skipOuter } from '../syntax/ast';
import { lineOf } from '../syntax/text';
import { windowInfo } from '../layers';
import { enclosingStatement, eolOf, indentAt, insertStatementBefore, isTs, quoteOf, replaceNode } from './edits';
import { layerPrefix } from './prefix';
import { freeName, objectText, styleOf, type FileStyle } from './style';

/** What one call of the merge needs on its shortcut. */
interface Need { filters: number; strides: number[] }

/** Names a width or a stride is usually called by, most specific first. */
const FILTER_NAMES = ['filters', 'outFilters', 'outChannels', 'numFilters', 'nFilters', 'channels', 'units'];
const STRIDE_NAMES = ['strides', 'stride'];

/** The candidates, best first, or why there is none. */
export function projectionFixes(sites: MergeSite[], ok: boolean[]): Fix[] | { reason: string } {
  const first = sites[0];
  const { app, layout } = first;
  const sf = app.at.sf;
  const call = app.at.node;
  if (!tsApi.isCallExpression(call)) return { reason: 'the merge is not a direct .apply([...]) call' };
  const arg = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!arg || !tsApi.isArrayLiteralExpression(arg)) return { reason: 'the operands are not written as an array literal' };
  if (layout.rank < 2 || layout.rank > 4) return { reason: `rank ${layout.rank} has no 1x1 projection` };
  if (app.layer.className === 'Concatenate') return { reason: 'concatenate does not need equal channels' };
  const scNode = arg.elements[first.shortcut];
  const brNode = arg.elements[first.branch];
  if (!scNode || !brNode || tsApi.isSpreadElement(scNode)) return { reason: 'the shortcut operand is not a plain expression' };
  // A function analysed without a caller has symbolic sizes: only the fixes written with its own names apply.
  const symbolic = sites.some((s, i) => !ok[i] && [s.operands[s.shortcut], s.operands[s.branch]].some((o) => o.tensor.shape?.some((d) => typeof d === 'string')));
  if (sites.some((s) => s.shortcut !== first.shortcut || s.branch !== first.branch)) {
    return { reason: symbolic ? 'the paths through this code disagree on which operand is the shortcut' : 'calls disagree on which operand is the shortcut' };
  }
  const needs: Need[] = [];
  for (let i = 0; i < sites.length && !symbolic; i++) {
    if (ok[i]) continue;
    const n = need(sites[i]);
    if (!n) return { reason: 'the branch is not a strided reduction of the shortcut (a 1x1 projection cannot match it)' };
    needs.push(n);
  }
  const differs = (axes: number[]) => sites.some((s, i) => !ok[i] && axes.some((a) => s.operands[s.shortcut].tensor.shape?.[a] !== s.operands[s.branch].tensor.shape?.[a]));
  const prefix = layerPrefix(app);
  const ctx: Ctx = {
    file: app.at.file, sf, call, prefix, style: styleOf(sf, prefix), layout,
    sc: skipOuter(scNode), br: skipOuter(brNode),
    channelsFirst: layout.channel === 1 && layout.rank > 2,
    endsInBN: sites.some((s) => s.operands[s.branch].tensor.producer?.layer.className === 'BatchNormalization'),
    spatialDiffers: symbolic ? differs(layout.spatial) : needs.some((n) => n.strides.some((s) => s !== 1)),
    channelsDiffer: differs([layout.channel]),
    uniform: ok.every((x) => !x) && needs.every((n) => JSON.stringify(n) === JSON.stringify(needs[0])),
    pathStrides: pathStrides(first),
  };
  const candidates = [guardExtension(ctx), namedProjection(ctx), symbolic ? undefined : ctx.uniform ? literalProjection(ctx, needs[0]) : shapeProjection(ctx)]
    .filter((f): f is Fix => f !== undefined);
  if (candidates.length === 0) {
    return { reason: symbolic ? 'no projection written with the function\'s own parameters (a width and a stride) matches the branch for every value of them'
      : 'the calls of this code need different projections, and the operands are not plain variables to compare at run time' };
  }
  return candidates;
}

interface Ctx {
  file: string;
  sf: ts.SourceFile;
  call: ts.CallExpression;
  prefix: string;
  style: FileStyle;
  layout: MergeSite['layout'];
  sc: ts.Node;
  br: ts.Node;
  channelsFirst: boolean;
  endsInBN: boolean;
  spatialDiffers: boolean;
  channelsDiffer: boolean;
  uniform: boolean;
  /** The branch's overall stride written as a number, when every strided layer on it has a literal one. */
  pathStrides: string | undefined;
}

/** `shortcut = conv(...)` inside an `if` before the merge: add the missing reason to project to its condition. */
function guardExtension(ctx: Ctx): Fix | undefined {
  const { sf, call, sc, layout } = ctx;
  if (!tsApi.isIdentifier(sc)) return undefined;
  const statement = enclosingStatement(call);
  const block = statement?.parent;
  if (!statement || !block || !(tsApi.isBlock(block) || tsApi.isSourceFile(block))) return undefined;
  const before = block.statements.slice(0, block.statements.indexOf(statement));
  // `let shortcut = x;` gives the block input the condition compares against.
  const decl = before.flatMap((s) => (tsApi.isVariableStatement(s) ? [...s.declarationList.declarations] : []))
    .find((d) => tsApi.isIdentifier(d.name) && d.name.text === sc.text);
  const input = decl?.initializer && skipOuter(decl.initializer);
  if (!input || !tsApi.isIdentifier(input)) return undefined;
  const guard = [...before].reverse().find((s): s is ts.IfStatement => tsApi.isIfStatement(s) && !s.elseStatement && assigns(s.thenStatement, sc.text));
  if (!guard) return undefined;
  const config = projectionConfig(guard.thenStatement);
  if (!config) return undefined;
  const condText = guard.expression.getText(sf);
  const added: string[] = [];
  const filters = propertyText(sf, config, layout.rank === 2 ? 'units' : 'filters');
  const strides = propertyText(sf, config, 'strides');
  if (ctx.channelsDiffer) {
    if (!filters) return undefined;
    added.push(`${input.text}.shape[${layout.channel}] !== ${filters}`);
  }
  if (ctx.spatialDiffers) {
    if (!strides || condText.includes(strides)) return undefined;
    added.push(`${strides} !== 1`);
  }
  if (added.length === 0 || added.every((a) => condText.replace(/\s+/g, '').includes(a.replace(/\s+/g, '')))) return undefined;
  const cond = skipOuter(guard.expression);
  const low = tsApi.isConditionalExpression(cond) || (tsApi.isBinaryExpression(cond) && [tsApi.SyntaxKind.QuestionQuestionToken, tsApi.SyntaxKind.EqualsToken, tsApi.SyntaxKind.CommaToken].includes(cond.operatorToken.kind));
  const newCond = `${low ? `(${condText})` : condText} || ${added.join(' || ')}`;
  return {
    title: `Extend the shortcut's if at line ${lineOf(sf, guard)}: || ${added.join(' || ')}`,
    file: ctx.file,
    edits: [replaceNode(sf, guard.expression, newCond)],
  };
}

/** A projection written with the names the function already has for the branch's width and stride. */
function namedProjection(ctx: Ctx): Fix | undefined {
  const { sf, call, sc, layout } = ctx;
  const names = namesInScope(call);
  const filters = (layout.rank === 2 ? ['units', ...FILTER_NAMES] : FILTER_NAMES).map((n) => names.get(n)).find((n) => n !== undefined);
  const strides = STRIDE_NAMES.map((n) => names.get(n)).find((n) => n !== undefined);
  const literal = !strides && ctx.spatialDiffers ? ctx.pathStrides : undefined;
  if (!filters || (ctx.spatialDiffers && !strides && !literal)) return undefined;
  if (!ctx.uniform && !tsApi.isIdentifier(sc)) return undefined;
  const conds = [
    ...(ctx.spatialDiffers && strides ? [`${strides} !== 1`] : []),
    ...(ctx.channelsDiffer ? [`${sc.getText(sf)}.shape[${layout.channel}] !== ${filters}`] : []),
  ];
  const strideText = strides ?? literal;
  const strideParts = ctx.spatialDiffers && strideText ? [strideText === 'strides' ? 'strides' : `strides: ${strideText}`] : [];
  const proj = projectionText(ctx, filters, strideParts);
  const what = [filters, ...(ctx.spatialDiffers && strideText ? [strides ?? `strides ${literal}`] : [])].join(', ');
  return insertProjection(ctx, proj, ctx.uniform ? undefined : conds.join(' || '), `Add a ${layout.rank === 2 ? 'dense' : '1x1'} projection shortcut (${what})`);
}

/** Every call needs the same projection: written with numbers. */
function literalProjection(ctx: Ctx, n: Need): Fix | undefined {
  const s = n.strides;
  const stridesText = s.every((x) => x === s[0]) ? String(s[0] ?? 1) : `[${s.join(', ')}]`;
  const strideParts = ctx.spatialDiffers ? [`strides: ${stridesText}`] : [];
  const what = ctx.layout.rank === 2 ? `${n.filters} units` : `${n.filters} filters${ctx.spatialDiffers ? `, strides ${stridesText}` : ''}`;
  return insertProjection(ctx, projectionText(ctx, String(n.filters), strideParts), undefined, `Add a ${ctx.layout.rank === 2 ? 'dense' : '1x1'} projection shortcut (${what})`);
}

/** Calls need different projections and the code has no names for them: computed from the operands' shapes. */
function shapeProjection(ctx: Ctx): Fix | undefined {
  const { sf, sc, br, layout } = ctx;
  if (!tsApi.isIdentifier(br) || !tsApi.isIdentifier(sc)) return undefined;
  const num = isTs(sf) ? ' as number' : '';
  const dim = (v: string, axis: number) => `(${v}.shape[${axis}]${num})`;
  const filters = `${br.text}.shape[${layout.channel}]${num}`;
  const ratios = layout.spatial.map((a) => `Math.ceil(${dim(sc.text, a)} / ${dim(br.text, a)})`);
  const strideParts = ratios.length === 0 ? [] : [`strides: ${ratios.length === 1 ? ratios[0] : `[${ratios.join(', ')}]`}`];
  const conds = [layout.channel, ...layout.spatial].map((a) => `${sc.text}.shape[${a}] !== ${br.text}.shape[${a}]`);
  return insertProjection(ctx, projectionText(ctx, filters, strideParts), conds.join(' || '), 'Add a 1x1 projection shortcut where the shapes differ (sizes read from the operands)');
}

/** The projection layers applied to the shortcut, as one expression and as statements on a variable. */
interface Projection { conv: string; bn?: (of: string) => string }

function projectionText(ctx: Ctx, filters: string, strideParts: string[]): Projection {
  const { style, prefix, channelsFirst, endsInBN, layout } = ctx;
  const q = quoteOf(ctx.sf);
  const bias = endsInBN ? ['useBias: false'] : [];
  const filtersPart = layout.rank === 2 ? (filters === 'units' ? 'units' : `units: ${filters}`) : filters === 'filters' ? 'filters' : `filters: ${filters}`;
  const format = channelsFirst ? [`dataFormat: ${q}channelsFirst${q}`] : [];
  const conv = layout.rank === 2
    ? `${prefix}dense(${objectText(style, [filtersPart, ...bias])})`
    : `${prefix}${layout.rank === 3 ? 'conv1d' : 'conv2d'}(${objectText(style, [filtersPart, 'kernelSize: 1', ...strideParts, ...bias, ...format])})`;
  const bn = !endsInBN ? undefined : style.bnHelper && !channelsFirst
    ? (of: string) => `${style.bnHelper}(${of})`
    : (of: string) => `${prefix}batchNormalization(${channelsFirst ? objectText(style, ['axis: 1']) : ''}).apply(${of})${style.cast}`;
  return { conv, bn };
}

/**
 * The projection as statements before the merge, the merge's operand renamed. Unguarded and short: one
 * `const`; else `let name = ...` / `name = bn(name)`, inside `if (cond) { }` when only some calls need it.
 */
function insertProjection(ctx: Ctx, p: Projection, cond: string | undefined, title: string): Fix | undefined {
  const { sf, call, sc, style } = ctx;
  const statement = enclosingStatement(call);
  if (!statement) return undefined;
  const name = freeName(call, ['shortcut', 'projected', 'projectedShortcut']);
  const scText = sc.getText(sf);
  const indent = indentAt(sf, statement.getStart(sf));
  const eol = eolOf(sf);
  const applied = `${p.conv}.apply(${scText})${style.cast}`;
  let lines: string[];
  if (cond === undefined) {
    // Nested in a layer's apply() the inner result needs no cast; a helper's typed parameter does.
    const inner = style.bnHelper ? applied : `${p.conv}.apply(${scText})`;
    const oneLine = `const ${name} = ${p.bn ? p.bn(inner) : applied};`;
    lines = indent.length + oneLine.length <= style.width || !p.bn ? [oneLine] : [`let ${name} = ${applied};`, `${name} = ${p.bn(name)};`];
  } else {
    const body = [`${name} = ${applied};`, ...(p.bn ? [`${name} = ${p.bn(name)};`] : [])];
    lines = [`let ${name} = ${scText};`, `if (${cond}) {`, ...body.map((l) => style.indentUnit + l), '}'];
  }
  const edits: TextEdit[] = [
    insertStatementBefore(sf, statement, lines.join(eol + indent)),
    replaceNode(sf, sc, name),
  ];
  return { title, file: ctx.file, edits };
}

/** Does the statement assign to `name` (`name = ...`)? */
function assigns(n: ts.Node, name: string): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (tsApi.isBinaryExpression(x) && x.operatorToken.kind === tsApi.SyntaxKind.EqualsToken && tsApi.isIdentifier(x.left) && x.left.text === name) found = true;
    else tsApi.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** The config literal of the conv/dense created inside a guarded projection. */
function projectionConfig(n: ts.Node): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (tsApi.isCallExpression(x) && /(conv1d|conv2d|dense)$/.test(x.expression.getText()) && x.arguments[0] && tsApi.isObjectLiteralExpression(skipOuter(x.arguments[0]))) {
      found = skipOuter(x.arguments[0]) as ts.ObjectLiteralExpression;
    } else tsApi.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

function propertyText(sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, key: string): string | undefined {
  for (const p of obj.properties) {
    if (!p.name || p.name.getText(sf) !== key) continue;
    if (tsApi.isShorthandPropertyAssignment(p)) return key;
    if (tsApi.isPropertyAssignment(p)) return p.initializer.getText(sf);
  }
  return undefined;
}

/**
 * Names visible at `node` that could hold a width or a stride: parameters (plain or destructured) of the
 * enclosing functions, variables declared earlier in enclosing blocks and loop headers, and `this.x`
 * fields of an enclosing class. Maps each short name to the text that reads it.
 */
function namesInScope(node: ts.Node): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, text = name) => { if (!out.has(name)) out.set(name, text); };
  const bind = (b: ts.BindingName) => {
    if (tsApi.isIdentifier(b)) add(b.text);
    else for (const e of b.elements) if (!tsApi.isOmittedExpression(e)) bind(e.name);
  };
  let child: ts.Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (tsApi.isBlock(p) || tsApi.isSourceFile(p)) {
      for (const s of p.statements) {
        if (s === child) break;
        if (tsApi.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
      }
    } else if ((tsApi.isForStatement(p) && p.initializer && tsApi.isVariableDeclarationList(p.initializer))) {
      for (const d of p.initializer.declarations) bind(d.name);
    } else if ((tsApi.isForOfStatement(p) || tsApi.isForInStatement(p)) && tsApi.isVariableDeclarationList(p.initializer)) {
      for (const d of p.initializer.declarations) bind(d.name);
    } else if (tsApi.isFunctionLike(p)) {
      for (const param of p.parameters) bind(param.name);
    } else if (tsApi.isClassLike(p)) {
      for (const m of p.members) if (tsApi.isPropertyDeclaration(m) && tsApi.isIdentifier(m.name)) add(m.name.text, `this.${m.name.text}`);
      const ctor = p.members.find(tsApi.isConstructorDeclaration);
      for (const param of ctor?.parameters ?? []) {
        if (tsApi.isIdentifier(param.name) && tsApi.getModifiers(param)?.length) add(param.name.text, `this.${param.name.text}`);
      }
      ctor?.body?.forEachChild(function visit(x): void {
        if (tsApi.isBinaryExpression(x) && tsApi.isPropertyAccessExpression(x.left) && x.left.expression.kind === tsApi.SyntaxKind.ThisKeyword) add(x.left.name.text, `this.${x.left.name.text}`);
        x.forEachChild(visit);
      });
    }
  }
  return out;
}

/** The product of the literal strides on the branch's path (`2`, `[2, 1]`), or undefined if one is not literal. */
function pathStrides(site: MergeSite): string | undefined {
  const total = site.layout.spatial.map(() => 1);
  for (const a of site.operands[site.branch].path) {
    const w = windowInfo(a.layer.className, a.layer.config);
    if (!w) continue;
    for (let i = 0; i < total.length; i++) {
      const s = w.strides[i];
      if (typeof s !== 'number') return undefined;
      total[i] *= s;
    }
  }
  if (total.every((t) => t === 1)) return undefined;
  return total.every((t) => t === total[0]) ? String(total[0]) : `[${total.join(', ')}]`;
}

/** Filters and strides that turn the shortcut's shape into the branch's, or undefined if none can. */
function need(site: MergeSite): Need | undefined {
  const sc = site.operands[site.shortcut].tensor.shape;
  const br = site.operands[site.branch].tensor.shape;
  const { layout } = site;
  if (!sc || !br) return undefined;
  const filters = br[layout.channel];
  if (typeof filters !== 'number') return undefined;
  const strides: number[] = [];
  for (const a of layout.spatial) {
    const from = sc[a];
    const to = br[a];
    if (typeof from !== 'number' || typeof to !== 'number' || to > from || to <= 0) return undefined;
    const s = Math.ceil(from / to);
    if (Math.ceil(from / s) !== to) return undefined;
    strides.push(s);
  }
  return { filters, strides };
}
