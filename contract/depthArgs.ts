// A builder's depth parameter and the call arguments that set it: shared by the trainer (depthParam.ts) and the
// extension host, which builds a sweep's configs without bundling the TypeScript compiler.
export interface DepthParam {
  /** Position of the parameter (or of the options object holding it). */
  index: number;
  /** Set when the depth is a property of an options object. */
  property?: string;
  name: string;
}

/** Arguments that call the builder with `depth`, other parameters left undefined (their defaults apply). */
export function depthArgs(param: DepthParam, depth: number): unknown[] {
  const args: unknown[] = new Array(param.index).fill(null);
  args.push(param.property ? { [param.property]: depth } : depth);
  return args;
}
