// Tensors of unknown shape that a function receives as parameters. Their rank is not known until a
// consumer needs one (conv2d → 4, conv1d → 3, dense → 2); then every axis becomes a symbol named after
// where it comes from (`x.shape[1]`). Tensors that only pass through shape-preserving layers share the
// parameter's lazy shape, so they get the same symbols.
import type { Shape } from '../types';
import type { TensorNode } from '../graph/graph';
import { symbol } from '../symbolic/expr';

export class LazyShape {
  readonly tensors: TensorNode[] = [];
  constructor(
    /** How axis i is named: `x.shape[i]` for a tensor parameter, `inputShape[i-1]` for tf.input(inputShape). */
    readonly axisName: (axis: number) => string,
  ) {}

  materialize(rank: number): Shape {
    const shape: Shape = [null];
    for (let i = 1; i < rank; i++) shape.push(symbol(this.axisName(i)));
    for (const t of this.tensors) if (t.shape === undefined) t.shape = shape.slice();
    return shape;
  }
}

const lazyOf = new WeakMap<TensorNode, LazyShape>();

export function lazyShape(t: TensorNode): LazyShape | undefined {
  return t.shape === undefined ? lazyOf.get(t) : undefined;
}

export function makeLazy(t: TensorNode, lazy: LazyShape): TensorNode {
  lazyOf.set(t, lazy);
  lazy.tensors.push(t);
  return t;
}

/** The rank a layer needs of its input, for the layers whose input rank is fixed. */
const RANK_OF: Record<string, number> = {
  Conv1D: 3, Conv2D: 4, SeparableConv2D: 4, DepthwiseConv2D: 4, Conv2DTranspose: 4, Conv3D: 5,
  MaxPooling1D: 3, AveragePooling1D: 3, MaxPooling2D: 4, AveragePooling2D: 4, MaxPooling3D: 5, AveragePooling3D: 5,
  GlobalAveragePooling1D: 3, GlobalMaxPooling1D: 3, GlobalAveragePooling2D: 4, GlobalMaxPooling2D: 4,
  UpSampling2D: 4, ZeroPadding2D: 4, Cropping2D: 4, Dense: 2,
};

export function requiredRank(className: string): number | undefined {
  return RANK_OF[className];
}
