// The tfjs API as the interpreter sees it: layer factories, apply(), tf.model/sequential/input build the Graph.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Shape } from '../types';
import { Application, LayerInstance, ModelRecord, TensorNode, type SourceRef } from '../graph/graph';
import { ClassValue, Native, Obj, UNKNOWN, type Value } from './values';
import { CONFIG_REQUIRED, TFJS_LAYER_FACTORIES, factoryInOtherCase, inputLayerShape, specForFactory, type ConfigValue, type LayerConfig } from '../layers';
import type { Machine } from './machine';
import { skipOuter } from '../syntax/ast';
import { lineOf } from '../syntax/text';
import { analyzeMerge } from '../graph/branch';
import { layersBetween, modelParams } from '../graph/walks';
import { mergeCheck } from '../layers/merge';
import { SymNum, dimOf } from '../symbolic/value';
import { setSymbolic, type SymEntry } from '../symbolic/config';
import { LazyShape, lazyShape, makeLazy, requiredRank } from './lazyShapes';
import { SymArray } from './symbolicParams';
import { symbol } from '../symbolic/expr';
import { dynamicDim, isDynamic, isNone } from '../symbolic/dynamic';

/** Step-budget cost of one layer application: bounds loops that keep adding layers. */
const APPLY_STEPS = 20;

/** tfjs names that are types or classes users mention (instanceof, casts) but that build nothing. */
const MARKERS = ['SymbolicTensor', 'Tensor', 'LayersModel', 'Sequential', 'Variable'];

/** The tfjs Layers API, reimplemented to build the analyzer's graph instead of tensors. */
export class TfApi {
  readonly namespace: Native;
  private readonly layersNs: Native;
  private readonly layerBase = new Native('tf.layers.Layer', undefined, undefined, true);
  private readonly markers = new Map(MARKERS.map((m) => [m, new Native(`tf.${m}`)]));
  private readonly inputFn: Native;
  /** A model applied as a layer is one layer instance, however often it is applied. */
  private readonly modelLayers = new Map<ModelRecord, LayerInstance>();

  constructor(private readonly it: Machine) {
    this.inputFn = new Native('tf.input', (args, call) => this.input(args[0], call.node));
    this.layersNs = new Native('tf.layers', undefined, (name) => this.layersMember(name));
    this.namespace = new Native('tf', undefined, (name) => this.namespaceMember(name));
  }

  namespaceMember(name: string): Value {
    switch (name) {
      case 'layers': return this.layersNs;
      case 'input': return this.inputFn;
      case 'model': return new Native('tf.model', (args, call) => this.model(args[0], call.node));
      case 'sequential': return new Native('tf.sequential', (args, call) => this.sequential(args[0], call.node));
      case 'tidy': return new Native('tf.tidy', (args, call) => call.invoke(typeof args[0] === 'string' ? args[1] : args[0], []));
      case 'serialization': return new Native('tf.serialization', undefined, (p) =>
        p === 'registerClass' ? new Native('registerClass', () => undefined) : UNKNOWN);
      default: return this.markers.get(name) ?? UNKNOWN;
    }
  }

  private layersMember(name: string): Value {
    if (name === 'Layer') return this.layerBase;
    if (name === 'input') return this.inputFn;
    if (!/^[a-z]/.test(name)) return UNKNOWN;
    // Unknown factories still make a layer, with unknown shapes, so the rest of the model is followed.
    return new Native(`tf.layers.${name}`, (args, call) => this.createLayer(name, args, call.node));
  }

  instanceOf(v: Value, cls: Value): Value {
    if (cls === this.markers.get('SymbolicTensor') || cls === this.markers.get('Tensor')) return v instanceof TensorNode ? true : UNKNOWN;
    if (cls === this.markers.get('LayersModel')) return v instanceof ModelRecord ? true : UNKNOWN;
    if (cls === this.layerBase) return v instanceof LayerInstance ? true : UNKNOWN;
    return UNKNOWN;
  }

  // ---------------------------------------------------------------- layers

  private ref(node: ts.Node): SourceRef {
    const sf = node.getSourceFile();
    return { file: this.it.modules.get(sf.fileName)?.file ?? sf.fileName, sf, node };
  }

  private createLayer(factory: string, args: Value[], node: ts.Node): LayerInstance {
    const cfgValue = args[0];
    // A name tfjs 4.22 does not have throws "is not a function"; in another case it is most likely the
    // real factory, whose shapes are the best guess for what follows.
    const exists = TFJS_LAYER_FACTORIES.has(factory);
    const meant = exists ? factory : factoryInOtherCase(factory);
    const spec = meant ? specForFactory(meant) : undefined;
    if (!exists) {
      this.wouldThrow(`${calleeText(node)} is not a function: tfjs 4.22 has no tf.layers.${factory}${meant ? ` (did you mean tf.layers.${meant}?)` : ''}`, node);
    } else if (cfgValue === undefined && CONFIG_REQUIRED[factory]) {
      this.wouldThrow(`tf.layers.${factory}() needs a config: tfjs 4.22 throws "${CONFIG_REQUIRED[factory]}"`, node);
    } else if (!spec) this.it.notes.push(`tf.layers.${factory} is not in the layer catalogue: its output shape is unknown`);
    const config = toConfig(cfgValue);
    const call = node as ts.CallExpression;
    const cfgArg = call.arguments?.[0] && skipOuter(call.arguments[0]);
    const callee = skipOuter(call.expression);
    const prefix = tsApi.isPropertyAccessExpression(callee) ? callee.expression.getText() + '.' : '';
    const className = spec?.className ?? factory.charAt(0).toUpperCase() + factory.slice(1);
    const layer = new LayerInstance(this.it.graph.id(), className, factory, spec, config, this.ref(node), [...this.it.stack],
      cfgArg && tsApi.isObjectLiteralExpression(cfgArg) ? cfgArg : undefined, prefix);
    this.it.graph.layers.push(layer);
    return layer;
  }

  customLayer(cls: ClassValue, inst: Obj, node: ts.Node): LayerInstance {
    let className = cls.name;
    for (let c: Value = cls; c instanceof ClassValue; c = c.superClass) {
      const s = c.statics.get('className');
      if (typeof s === 'string') { className = s; break; }
    }
    const computeOutputShape = this.it.getMember(inst, 'computeOutputShape');
    const customShape = computeOutputShape === UNKNOWN ? undefined : (inputs: Shape[]): Shape | undefined => {
      const arg = inputs.length === 1 ? shapeToValue(inputs[0]) : inputs.map(shapeToValue);
      const out = this.it.call(computeOutputShape, [arg], inst, node as ts.NewExpression);
      return valueToShape(out);
    };
    const layer = new LayerInstance(this.it.graph.id(), className, className, undefined, toConfig(inst), this.ref(node),
      [...this.it.stack], undefined, '', undefined, customShape);
    if (hasNoWeights(cls)) layer.paramCount = 0;
    this.it.graph.layers.push(layer);
    return layer;
  }

  private input(cfgValue: Value, node: ts.Node): TensorNode {
    const layer = this.createLayerNamed('InputLayer', 'input', cfgValue, node);
    const raw = this.it.getMember(cfgValue, 'shape');
    // tf.input({shape: inputShape}) with a symbolic parameter: the rank comes from the first consumer.
    if (raw instanceof SymArray) {
      const t = this.record(layer, [], [undefined], node)[0];
      return makeLazy(t, new LazyShape((i) => `${raw.origin}[${i - 1}]`));
    }
    let shape = inputLayerShape(toConfig(cfgValue)).shape;
    if (shape && Array.isArray(raw) && raw.length === shape.length - 1) {
      shape = shape.map((d, i) => (i > 0 && d === undefined ? dimOf(raw[i - 1]) : d));
    }
    // None sizes (not the batch) become symbols, so that merges on them are checked (symbolic/dynamic.ts).
    if (shape) {
      const line = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
      shape = shape.map((d, i) => (i > 0 && d === null ? dynamicDim(line, i) : d));
    }
    return this.record(layer, [], [shape], node)[0];
  }

  private createLayerNamed(className: string, factory: string, cfgValue: Value, node: ts.Node): LayerInstance {
    const layer = new LayerInstance(this.it.graph.id(), className, factory, specForFactory(factory), toConfig(cfgValue), this.ref(node), [...this.it.stack], undefined, '');
    layer.paramCount = 0;
    this.it.graph.layers.push(layer);
    return layer;
  }

  private record(layer: LayerInstance, inputs: TensorNode[], shapes: (Shape | undefined)[], node: ts.Node, error?: string): TensorNode[] {
    // An application costs as much as dozens of plain steps (shapes, graph, later the rules).
    this.it.charge(APPLY_STEPS);
    const outputs: TensorNode[] = [];
    const app = new Application(this.it.graph.id(), layer, inputs, outputs, this.ref(node), [...this.it.stack], error);
    const recovered = inputs.some((t) => t.recovered);
    shapes.forEach((s, i) => { const t = this.it.graph.tensor(s, app, i); t.recovered = recovered; outputs.push(t); });
    for (const t of inputs) t.consumers.push(app);
    this.it.symbolic.recordApp(app, []);
    layer.apps.push(app);
    this.it.graph.apps.push(app);
    return outputs;
  }

  /** Records that tfjs itself would throw at this call, for the tfjs-would-throw rule. */
  private wouldThrow(message: string, node: ts.Node): void {
    // A call still being typed (`tf.layers.conv2d(` with no closing parenthesis yet) proves nothing.
    if ('arguments' in node && node.getSourceFile().text.charCodeAt(node.end - 1) !== 0x29 /* ) */) return;
    this.it.graph.throws.push({ message, at: this.ref(node), stack: [...this.it.stack] });
  }

  /**
   * A merge given too few operands (what bracket auto-closing produces while typing: `add().apply([])`):
   * tfjs's message when the call is certain (a list of tensors or one tensor), and the best shape to go on
   * with (the one operand), marked as a guess.
   */
  private mergeArity(layer: LayerInstance, arg: Value, inputs: TensorNode[], node: ts.Node): Value | undefined {
    const isDot = layer.className === 'Dot';
    if (isDot ? inputs.length === 2 : inputs.length >= 2) return undefined;
    const certain = arg instanceof TensorNode || (Array.isArray(arg) && arg.every((v) => v instanceof TensorNode));
    if (certain) {
      this.wouldThrow(Array.isArray(arg) && arg.length === 0 ? 'Arguments to apply() must be all SymbolicTensors or all Tensors'
        : isDot ? 'A `Dot` layer should be called on a list of exactly 2 inputs.'
          : layer.className === 'Concatenate' ? 'A `Concatenate` layer should be called on a list of at least 2 inputs'
            : `A merge layer should be called on an Array of at least 2 inputs. Got ${inputs.length} input(s).`, node);
    }
    const [out] = this.record(layer, inputs, [inputs.length === 1 && !isDot ? inputs[0].shape : undefined], node);
    out.recovered = true;
    return out;
  }

  /** `layer.apply(x | [x, y])`: computes the output shape as tfjs would and records the edge. */
  apply(layer: LayerInstance, arg: Value, node: ts.Node): Value {
    const isList = Array.isArray(arg);
    const inputs = (isList ? arg : [arg]).map((v) => (v instanceof TensorNode ? v : this.it.graph.tensor(undefined)));
    const passLazy = materializeInputs(layer, inputs);
    if (layer.spec?.kind === 'merge' && arg !== UNKNOWN) {
      const early = this.mergeArity(layer, arg, inputs, node);
      if (early) return early;
    }
    const shapes = inputs.map((t) => t.shape);
    let outShapes: (Shape | undefined)[];
    let error: string | undefined;
    const known = shapes.every((s): s is Shape => s !== undefined);
    if (layer.model) outShapes = this.modelOutputsFor(layer.model, shapes);
    else if (layer.customShape) outShapes = [known ? layer.customShape(shapes) : undefined];
    else if (layer.spec && known) {
      const r = layer.spec.computeOutputShape(layer.config, shapes);
      outShapes = [r.shape];
      error = r.error;
    } else outShapes = [undefined];
    if (layer.apps.length === 0 && layer.paramCount === null && !inputs.some((t) => t.recovered)) {
      if (layer.model) layer.paramCount = modelParams(layer.model);
      else if (layer.spec && known) layer.paramCount = layer.spec.countParams(layer.config, shapes);
    }
    const outs = this.record(layer, inputs, outShapes, node, error);
    if (passLazy && outs.length === 1 && outs[0].shape === undefined) makeLazy(outs[0], passLazy);
    const info = outs[0]?.producer && this.it.symbolic.apps.get(outs[0].producer);
    if (info && layer.spec?.kind === 'merge' && known && inputs.length > 1) {
      info.conditions = mergeCheck(layer.className, layer.config, shapes).conditions ?? [];
    }
    if (error && layer.spec?.kind === 'merge' && layer.className !== 'Concatenate' && outs.length === 1 && inputs.length >= 2) {
      const site = analyzeMerge(outs[0].producer!);
      outs[0].shape = inputs[site.branch].shape;
      outs[0].recovered = true;
    }
    if (outs.length > 1) return outs;
    return isList && layer.spec?.kind !== 'merge' && !layer.model ? outs : outs[0];
  }

  private modelOutputsFor(model: ModelRecord, shapes: (Shape | undefined)[]): (Shape | undefined)[] {
    const same = model.inputs.length === shapes.length && model.inputs.every((t, i) => sameShape(t.shape, shapes[i]));
    return model.outputs.map((o) => (same && !model.incomplete ? o.shape : undefined));
  }

  asLayer(model: ModelRecord): LayerInstance {
    let layer = this.modelLayers.get(model);
    if (!layer) {
      const className = model.kind === 'sequential' ? 'Sequential' : 'Model';
      layer = new LayerInstance(this.it.graph.id(), className, className, undefined, {}, model.created, [...this.it.stack], undefined, '', model);
      this.modelLayers.set(model, layer);
      this.it.graph.layers.push(layer);
    }
    return layer;
  }

  // ---------------------------------------------------------------- models

  private model(cfgValue: Value, node: ts.Node): ModelRecord {
    const inputs = tensorList(this.it.getMember(cfgValue, 'inputs'));
    const outputs = tensorList(this.it.getMember(cfgValue, 'outputs'));
    const name = this.it.getMember(cfgValue, 'name');
    const m = new ModelRecord(this.it.graph.id(), 'functional', this.modelName(name, node), this.ref(node),
      inputs ?? [], outputs ?? [], this.it.currentEntry);
    m.incomplete = !inputs || !outputs;
    if (outputs) m.layers = layersBetween(inputs ?? [], outputs, m);
    this.it.graph.models.push(m);
    this.it.symbolic.noteModel(m);
    return m;
  }

  private modelName(name: Value, node: ts.Node): string {
    if (typeof name === 'string') return name;
    const fn = this.it.stack[this.it.stack.length - 1]?.callee;
    if (fn && !fn.startsWith('new ') && fn !== '<anonymous>') return fn;
    return `model@${lineOf(node.getSourceFile(), node)}`;
  }

  private sequential(cfgValue: Value, node: ts.Node): ModelRecord {
    const m = new ModelRecord(this.it.graph.id(), 'sequential', this.modelName(cfgValue === undefined ? undefined : this.it.getMember(cfgValue, 'name'), node),
      this.ref(node), [], [], this.it.currentEntry);
    this.it.graph.models.push(m);
    this.it.symbolic.noteModel(m);
    const layers = cfgValue === undefined ? undefined : this.it.getMember(cfgValue, 'layers');
    if (Array.isArray(layers)) for (const l of layers) this.add(m, l, node);
    else if (layers !== undefined) m.incomplete = true;
    return m;
  }

  private add(m: ModelRecord, layerValue: Value, node: ts.Node): void {
    const layer = layerValue instanceof ModelRecord ? this.asLayer(layerValue) : layerValue;
    if (!(layer instanceof LayerInstance)) { m.incomplete = true; return; }
    if (!m.seqOutput) {
      // The first layer's inputShape/batchInputShape creates the model's InputLayer (not listed in model.layers).
      let first = layer.model?.inputs[0]?.shape;
      if (!layer.model) {
        const declared = inputLayerShape(layer.config, 'firstLayer', layer.className);
        // Sequential.add() refuses a first layer that declares no input shape.
        if (declared.error) this.wouldThrow(declared.error, node);
        first = declared.shape;
      }
      const inLayer = this.createLayerNamed('InputLayer', 'input', undefined, layer.created.node);
      m.seqInput = this.record(inLayer, [], [first], layer.created.node)[0];
      m.seqOutput = m.seqInput;
      m.inputs = [m.seqInput];
    }
    const out = this.apply(layer, m.incomplete ? UNKNOWN : m.seqOutput, node);
    m.seqOutput = out instanceof TensorNode ? out : undefined;
    m.outputs = m.seqOutput ? [m.seqOutput] : [];
    m.layers.push(layer);
  }

  // ---------------------------------------------------------------- members of graph values

  member(obj: TensorNode | LayerInstance | ModelRecord, key: string): Value {
    if (obj instanceof TensorNode) {
      switch (key) {
        case 'shape': {
          if (obj.shape) return shapeToValue(obj.shape);
          const lazy = lazyShape(obj);
          return lazy ? lazyShapeValue(lazy) : UNKNOWN;
        }
        case 'rank': return obj.shape ? obj.shape.length : UNKNOWN;
        case 'dtype': return 'float32';
        case 'sourceLayer': return obj.producer?.layer ?? UNKNOWN;
        default: return UNKNOWN;
      }
    }
    if (obj instanceof LayerInstance) {
      switch (key) {
        case 'apply': return new Native('apply', (args, call) => this.apply(obj, args[0], call.node));
        case 'outputShape': {
          const last = obj.apps[obj.apps.length - 1];
          return last?.outputs[0]?.shape ? shapeToValue(last.outputs[0].shape) : UNKNOWN;
        }
        case 'name': return typeof obj.config.name === 'string' ? obj.config.name : UNKNOWN;
        case 'getClassName': return new Native('getClassName', () => obj.className);
        case 'countParams': return new Native('countParams', () => obj.paramCount ?? UNKNOWN);
        default: return UNKNOWN;
      }
    }
    const m = obj;
    switch (key) {
      case 'apply': return new Native('apply', (args, call) => this.apply(this.asLayer(m), args[0], call.node));
      case 'add': return new Native('add', (args, call) => { this.add(m, args[0], call.node); return undefined; });
      case 'layers': return [...m.layers];
      case 'inputs': return [...m.inputs];
      case 'outputs': return [...m.outputs];
      case 'input': return m.inputs[0] ?? UNKNOWN;
      case 'output': return m.outputs[0] ?? UNKNOWN;
      case 'outputShape': return m.outputs.length === 1 && m.outputs[0].shape ? shapeToValue(m.outputs[0].shape) : UNKNOWN;
      case 'name': return m.name;
      case 'countParams': return new Native('countParams', () => modelParams(m) ?? UNKNOWN);
      case 'getLayer': return new Native('getLayer', ([n]) =>
        (typeof n === 'number' ? m.layers[n] : m.layers.find((l) => l.config.name === n)) ?? UNKNOWN);
      case 'summary': case 'compile': return new Native(key, () => undefined);
      default: return UNKNOWN;
    }
  }
}

/** The callee of a call as V8 names it in "… is not a function" (TypeScript casts are erased). */
function calleeText(node: ts.Node): string {
  const text = (n: ts.Node): string => {
    n = skipOuter(n);
    if (tsApi.isPropertyAccessExpression(n)) return `${text(n.expression)}.${n.name.text}`;
    return n.getText();
  };
  return tsApi.isCallExpression(node) ? text(node.expression) : node.getText();
}

/** Members through which a custom layer can own or report weights. */
const WEIGHT_MEMBERS = new Set(['addWeight', 'weights', 'trainableWeights', 'nonTrainableWeights', 'countParams', 'setWeights']);

/**
 * A custom layer has no parameters when nothing in its own classes can create or report weights: tfjs
 * layers only get weights through addWeight (or by overriding the weight getters).
 */
function hasNoWeights(cls: ClassValue): boolean {
  for (let c: Value = cls; c instanceof ClassValue; c = c.superClass) {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if ((tsApi.isIdentifier(n) || tsApi.isPrivateIdentifier(n)) && WEIGHT_MEMBERS.has(n.text)) found = true;
      else tsApi.forEachChild(n, visit);
    };
    visit(c.node);
    if (found) return false;
  }
  return true;
}

/** Turns an interpreter value into the plain config the layer catalogue reads. */
export function toConfig(v: Value): LayerConfig {
  if (!(v instanceof Obj)) return v === UNKNOWN ? unknownConfig({}) : {};
  const out: LayerConfig = {};
  const symbolic: [string, SymEntry][] = [];
  for (const [k, pv] of v.props) {
    if (k === '%unknownSpread') continue;
    out[k] = toConfigValue(pv);
    const se = symEntry(pv);
    if (se !== undefined) symbolic.push([k, se]);
  }
  const cfg = v.props.has('%unknownSpread') ? unknownConfig(out) : out;
  for (const [k, se] of symbolic) setSymbolic(cfg, k, se);
  return cfg;
}

/** The symbolic part of a config value (`filters`, `strides: [s, s]`), which the catalogue reads as UNKNOWN. */
function symEntry(v: Value): SymEntry {
  if (v instanceof SymNum) return v.dim;
  if (Array.isArray(v) && v.some((x) => x instanceof SymNum)) return v.map(dimOf);
  return undefined;
}

/**
 * What a layer does with input tensors of unknown rank that are function parameters: a layer that needs
 * a rank gives them that rank (every axis a symbol); a merge gives them the rank of its other operands.
 * Returns the lazy shape a shape-preserving layer passes on to its output.
 */
function materializeInputs(layer: LayerInstance, inputs: TensorNode[]): LazyShape | undefined {
  const lazies = inputs.map(lazyShape);
  if (!lazies.some(Boolean)) return undefined;
  const kind = layer.spec?.kind;
  if (kind === 'merge') {
    const known = inputs.find((t) => t.shape !== undefined)?.shape;
    if (known) { for (const l of lazies) l?.materialize(known.length); return undefined; }
    return lazies.every((l) => l === lazies[0]) ? lazies[0] : undefined;
  }
  const rank = requiredRank(layer.className);
  if (rank !== undefined) { lazies[0]?.materialize(rank); return undefined; }
  if (kind === 'norm' || kind === 'activation' || kind === 'regularization') return lazies[0];
  return undefined;
}

/** `x.shape` of a tensor parameter whose rank is not known yet: each axis read is a symbol. */
function lazyShapeValue(lazy: LazyShape): Value {
  return new Native('shape', undefined, (p) => (p === '0' ? null : /^\d+$/.test(p) ? new SymNum(symbol(lazy.axisName(Number(p)))) : UNKNOWN));
}

/** A config whose unspecified keys are unknown (spread of something the analyzer could not evaluate). */
function unknownConfig(known: LayerConfig): LayerConfig {
  return new Proxy(known, {
    get: (t, k) => (typeof k === 'string' && !(k in t) ? UNKNOWN : (t as Record<string | symbol, ConfigValue>)[k]),
    has: () => true,
  });
}

function toConfigValue(v: Value): ConfigValue {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === UNKNOWN || v instanceof SymNum) return UNKNOWN;
  if (Array.isArray(v)) return v.map(toConfigValue);
  if (v instanceof Obj && !v.cls) return toConfig(v);
  return UNKNOWN;
}

export function shapeToValue(s: Shape): Value[] {
  // A dynamic dim reads as null in user code, as tfjs gives it.
  return s.map((d) => (d === undefined ? UNKNOWN : isDynamic(d) ? null : typeof d === 'string' ? new SymNum(d) : d));
}

function valueToShape(v: Value): Shape | undefined {
  if (!Array.isArray(v)) return undefined;
  if (v.length > 0 && Array.isArray(v[0])) return undefined; // several outputs: not supported
  return v.map((d) => (typeof d === 'number' || d === null ? d : d instanceof SymNum ? d.dim : undefined));
}

function tensorList(v: Value): TensorNode[] | undefined {
  if (v instanceof TensorNode) return [v];
  if (Array.isArray(v) && v.every((t) => t instanceof TensorNode)) return v;
  return undefined;
}

function sameShape(a: Shape | undefined, b: Shape | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((d, i) => d === b[i] || isNone(d) || isNone(b[i]));
}
