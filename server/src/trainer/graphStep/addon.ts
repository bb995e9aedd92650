// Skipcheck's graph runner addon (server/addon/graph_session.c), built by `skipcheck setup-native` next to
// the tfjs-node binding it shares libtensorflow with. Optional: without it training runs op by op.
import * as fs from 'node:fs';
import { addonPath } from '../../native/addonPath';

/** An output of a graph operation: `index` counts the op's outputs flattened, as TFE_Execute returns them. */
export interface OutputRef { op: number; index: number }
/** The numbering of TF_AttrType, which tfjs-node's attrs use too. */
export const ATTR = { STRING: 0, INT: 1, FLOAT: 2, BOOL: 3, TYPE: 4, SHAPE: 5, TENSOR: 6 } as const;
export interface TensorValue { dtype: number; shape: number[]; data: ArrayBufferView }

/** TF_DataType codes of the tfjs dtypes a graph step carries, both ways, and their typed arrays. */
export const TF_DTYPE: Readonly<Record<string, number>> = { float32: 1, int32: 3, bool: 10 };
export const TFJS_DTYPE: Readonly<Record<number, 'float32' | 'int32' | 'bool'>> = { 1: 'float32', 3: 'int32', 10: 'bool' };
export const TYPED_ARRAY: Readonly<Record<number, new (b: ArrayBuffer) => Float32Array | Int32Array | Uint8Array>> = { 1: Float32Array, 3: Int32Array, 10: Uint8Array };
export interface GraphAttr { name: string; type: number; value: unknown }

declare const handle: unique symbol;
export type Handle<K extends string> = { readonly [handle]: K };
export type Graph = Handle<'graph'>;
export type Session = Handle<'session'>;
export type NativeTensor = Handle<'tensor'>;

export interface GraphAddon {
  newGraph(): Graph;
  opDef(graph: Graph, type: string): Uint8Array;
  addOp(graph: Graph, type: string, name: string, inputs: (OutputRef | OutputRef[])[], attrs: GraphAttr[]): number;
  newSession(graph: Graph, config?: Uint8Array): Session;
  tensor(dtype: number, shape: number[], data: ArrayBufferView): NativeTensor;
  tensorData(t: NativeTensor): { dtype: number; shape: number[]; data: ArrayBuffer };
  deleteTensor(t: NativeTensor): void;
  run(session: Session, graph: Graph, feeds: OutputRef[], values: NativeTensor[], fetches: OutputRef[]): NativeTensor[];
  /** Tensors created for JavaScript and not freed yet. */
  liveTensors(): number;
  tfVersion(): string;
}

export type AddonLoad = { addon: GraphAddon; file: string } | { addon?: undefined; reason: string };

/** Loads the addon built for this tfjs-node package, or says why there is none. */
export function loadGraphAddon(tfjsNodeDir: string | undefined): AddonLoad {
  if (!tfjsNodeDir) return { reason: 'tfjs-node was not loaded from a package folder' };
  const file = addonPath(tfjsNodeDir);
  if (!fs.existsSync(file)) return { reason: `${file} is missing: run \`skipcheck setup-native\` again to build it` };
  try {
    const mod = { exports: {} as GraphAddon };
    process.dlopen(mod, file);
    return { addon: mod.exports, file };
  } catch (err) {
    return { reason: `${file} failed to load: ${(err as Error).message.split('\n')[0]}` };
  }
}
