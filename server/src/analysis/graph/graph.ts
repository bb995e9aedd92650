// The layer graph (the analysis IR): tensors, layer instances, their applications and models, each
// pointing back at the source that made it. Built by the interpreter, read by rules, report and fixes.
import type * as ts from 'typescript';
import type { Shape } from '../types';
import type { LayerConfig, LayerSpec } from '../layers';

/** Where a piece of the graph was made: a file and an AST node in it. */
export interface SourceRef { file: string; sf: ts.SourceFile; node: ts.Node }

/**
 * The call stack (helper calls) under which a layer was created or applied: lets a finding at a helper's
 * line say which call produced it, and lets fixes check every call.
 */
export interface CallFrame { callee: string; at: SourceRef }

export class TensorNode {
  readonly consumers: Application[] = [];
  /**
   * Set downstream of a merge tfjs would refuse: the analysis carries on with the branch's shape (what the
   * model has once the shortcut is projected) so that later mistakes show up in the same pass, but these
   * shapes are never shown to users as facts.
   */
  recovered = false;
  constructor(
    public readonly id: number,
    public shape: Shape | undefined,
    public readonly producer: Application | undefined,
    public readonly outputIndex = 0,
  ) {}
}

export class LayerInstance {
  readonly apps: Application[] = [];
  /** tfjs weights are created on the first apply; later applies reuse them. */
  paramCount: number | null = null;
  constructor(
    public readonly id: number,
    public readonly className: string,
    public readonly factory: string,
    public readonly spec: LayerSpec | undefined,
    public readonly config: LayerConfig,
    public readonly created: SourceRef,
    public readonly stack: CallFrame[],
    /** The config object literal as written at the factory call, for fixes that edit it. */
    public readonly configNode: ts.ObjectLiteralExpression | undefined,
    /** Text before the factory name at the call, e.g. 'tf.layers.' — fixes create layers the same way. */
    public readonly prefix: string,
    /** Set when the layer is a whole model applied as a layer. */
    public readonly model?: ModelRecord,
    /** Output shape computed by interpreting a custom layer's computeOutputShape, when possible. */
    public readonly customShape?: (inputs: Shape[]) => Shape | undefined,
  ) {}
}

export class Application {
  constructor(
    public readonly id: number,
    public readonly layer: LayerInstance,
    public readonly inputs: TensorNode[],
    public readonly outputs: TensorNode[],
    public readonly at: SourceRef,
    public readonly stack: CallFrame[],
    /** Why tfjs would refuse this apply (e.g. incompatible merge), when it would. */
    public readonly error: string | undefined,
  ) {}
}

export class ModelRecord {
  layers: LayerInstance[] = [];
  /** True once something the analyzer could not follow may have changed the model. */
  incomplete = false;
  /** Sequential models grow with add(); this is the current output. */
  seqOutput: TensorNode | undefined;
  seqInput: TensorNode | undefined;
  constructor(
    public readonly id: number,
    public readonly kind: 'functional' | 'sequential',
    public name: string,
    public readonly created: SourceRef,
    public inputs: TensorNode[],
    public outputs: TensorNode[],
    public entry: string | undefined,
  ) {}
}

/** A tfjs call the analyzer is certain tfjs refuses while the model is built (tfjs-would-throw). */
export interface BuildThrow { message: string; at: SourceRef; stack: CallFrame[] }

/** Everything the interpreter built while running the entry points of one analysis. */
export class Graph {
  private nextId = 1;
  readonly throws: BuildThrow[] = [];
  readonly tensors: TensorNode[] = [];
  readonly layers: LayerInstance[] = [];
  readonly apps: Application[] = [];
  readonly models: ModelRecord[] = [];

  id(): number { return this.nextId++; }

  tensor(shape: Shape | undefined, producer?: Application, index = 0): TensorNode {
    const t = new TensorNode(this.id(), shape, producer, index);
    this.tensors.push(t);
    return t;
  }
}
