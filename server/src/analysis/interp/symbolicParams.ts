// Symbolic arguments for a function analysed without a caller: each parameter becomes what its type, its
// default or its name says it is — a tensor of unknown shape, a symbolic number, a symbolic array (an
// `inputShape`), an options object whose fields are symbols — or stays UNKNOWN when nothing says.
// Symbols are named after the source (`filters`, `x.shape[3]`, `opts.width`, `this.filters`).
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { Native, Obj, UNKNOWN, type Value } from './values';
import type { Machine } from './machine';
import { SymNum } from '../symbolic/value';
import { symbol } from '../symbolic/expr';
import { flag } from '../symbolic/cond';
import { LazyShape, makeLazy } from './lazyShapes';
import type { ModuleRecord } from './modules';
import { isTfjsTensorType, resolveTypeName } from './typeAliases';

export type ParamKind = 'tensor' | 'number' | 'array' | 'object' | 'flag' | 'unknown';

/** An array parameter of unknown length whose entries are symbols (`inputShape[0]`). */
export class SymArray extends Native {
  private readonly items = new Map<number, SymNum>();
  constructor(readonly origin: string) {
    super(origin, undefined, (p) => this.member(p));
  }
  item(i: number): SymNum {
    let v = this.items.get(i);
    if (!v) { v = new SymNum(symbol(`${this.origin}[${i}]`)); this.items.set(i, v); }
    return v;
  }
  private member(p: string): Value {
    return /^\d+$/.test(p) ? this.item(Number(p)) : UNKNOWN;
  }
}

/** Objects whose missing fields are symbols, by the prefix they are named with ('' for destructured options). */
const symbolicObjects = new WeakMap<Obj, string>();

const TENSOR_NAME = /^(x|y|z|h|t|inp|input|inputs|tensor|features?|prev|previous|shortcut|residual|skip|identity|out|output|net|block|[a-z]\w*(Input|Tensor|In|Out|Features))$/;
const NUMBER_NAME = /^(axis|channelAxis|bnAxis|filters|units|channels|width|height|depth|size|dim|dims|stride|strides|kernel|kernelSize|poolSize|growth|growthRate|expansion|ratio|reduction|groups|blocks|numBlocks|n|k|m|c|[a-z]\w*(Filters|Units|Channels|Width|Stride|Strides|Size|Dim|Depth|Count|Blocks|Rate))$/;
const ARRAY_NAME = /^([a-z]\w*Shape|shape)$/;
const FLAG_NAME = /^(downsample|downSample|project|preact|preActivation|(use|is|has|with|should|apply)[A-Z]\w*)$/;

/** What a name alone suggests (used for untyped JS parameters and for fields of option objects). */
function kindFromName(name: string): ParamKind {
  if (ARRAY_NAME.test(name)) return 'array';
  if (TENSOR_NAME.test(name)) return 'tensor';
  if (NUMBER_NAME.test(name)) return 'number';
  if (FLAG_NAME.test(name)) return 'flag';
  return 'unknown';
}

/** undefined: the type names something the analysis could not look at (fall back to the name). */
function kindFromType(t: ts.TypeNode, modules: ReadonlyMap<string, ModuleRecord>, depth = 0): ParamKind | undefined {
  const text = t.getText();
  if (isTfjsTensorType(text)) return 'tensor';
  if (t.kind === tsApi.SyntaxKind.NumberKeyword) return 'number';
  if (t.kind === tsApi.SyntaxKind.BooleanKeyword) return 'flag';
  if (tsApi.isArrayTypeNode(t) && t.elementType.kind === tsApi.SyntaxKind.NumberKeyword) return 'array';
  if (tsApi.isTupleTypeNode(t) || tsApi.isArrayTypeNode(t)) return 'unknown';
  if (tsApi.isTypeLiteralNode(t)) return 'object';
  if (tsApi.isTypeReferenceNode(t) && /Config|Options|Opts|Args|Params|Settings$/.test(t.typeName.getText())) return 'object';
  if (tsApi.isTypeReferenceNode(t) && tsApi.isIdentifier(t.typeName) && !t.typeArguments) {
    // `type T = tf.SymbolicTensor`, here or in a file this one imports.
    const target = resolveTypeName(t.typeName.text, t.getSourceFile(), modules);
    if (target === undefined) return undefined;
    if (target === 'tensor') return 'tensor';
    if (target === 'other' || depth > 4) return 'unknown';
    return kindFromType(target, modules, depth + 1) ?? 'unknown';
  }
  return 'unknown';
}

function kindFromDefault(e: ts.Expression): ParamKind {
  if (tsApi.isNumericLiteral(e)) return 'number';
  if (e.kind === tsApi.SyntaxKind.TrueKeyword || e.kind === tsApi.SyntaxKind.FalseKeyword) return 'flag';
  if (tsApi.isObjectLiteralExpression(e)) return 'object';
  if (tsApi.isArrayLiteralExpression(e) && e.elements.every(tsApi.isNumericLiteral)) return 'array';
  return 'unknown';
}

export function paramKind(p: ts.ParameterDeclaration, modules: ReadonlyMap<string, ModuleRecord> = new Map()): ParamKind {
  if (p.dotDotDotToken) return 'unknown';
  if (!tsApi.isIdentifier(p.name)) return tsApi.isObjectBindingPattern(p.name) ? 'object' : 'unknown';
  if (p.type) {
    const k = kindFromType(p.type, modules);
    if (k !== undefined && k !== 'unknown') return k;
    if (k === 'unknown' && !p.initializer) return p.type.kind === tsApi.SyntaxKind.AnyKeyword ? kindFromName(p.name.text) : 'unknown';
  }
  if (p.initializer) return kindFromDefault(p.initializer);
  return kindFromName(p.name.text);
}

/** A fresh value of the given kind, named `origin`. */
export function symbolicValue(it: Machine, kind: ParamKind, origin: string): Value {
  switch (kind) {
    case 'number': return new SymNum(symbol(origin));
    case 'array': return new SymArray(origin);
    case 'tensor': return lazyTensor(it, origin);
    case 'object': return symbolicObject(origin);
    // A boolean parameter: each branch on it is followed both ways (symbolic/cond.ts).
    case 'flag': return flag(symbol(origin));
    default: return UNKNOWN;
  }
}

export function lazyTensor(it: Machine, origin: string): Value {
  return makeLazy(it.graph.tensor(undefined), new LazyShape((i) => `${origin}.shape[${i}]`));
}

export function symbolicObject(prefix: string, cls?: Obj['cls']): Obj {
  const o = new Obj(cls);
  symbolicObjects.set(o, prefix);
  return o;
}

/** An object standing for a caller's argument: it may hold any other key too (a spread of it hides nothing). */
export function isSymbolicObject(o: Obj): boolean {
  return symbolicObjects.has(o);
}

/** The arguments a function is analysed with when nothing calls it. */
export function symbolicArgs(it: Machine, fn: ts.FunctionLikeDeclaration): Value[] {
  return fn.parameters.filter((p) => !(tsApi.isIdentifier(p.name) && p.name.text === 'this')).map((p) => {
    const kind = paramKind(p, it.modules);
    // Destructured options are named by their fields, as the body uses them.
    const origin = tsApi.isIdentifier(p.name) ? p.name.text : '';
    return symbolicValue(it, kind, origin);
  });
}

/** A missing field of a symbolic object: a symbol named after it (kept, so that it reads the same twice). */
export function symbolicMember(it: Machine, obj: Obj, key: string): Value | undefined {
  const prefix = symbolicObjects.get(obj);
  if (prefix === undefined || key.startsWith('%')) return undefined;
  const origin = prefix ? `${prefix}.${key}` : key;
  const v = symbolicValue(it, kindFromName(key), origin);
  obj.props.set(key, v);
  return v;
}
