// The private API of tfjs-node (and one of tfjs-layers) the trainer relies on, declared once: the
// 'tensorflow' backend's native binding and op execution (fused kernels, TensorFlow's random ops, the
// graph-step recorder) and a Dropout layer's fields. None of it is in the published typings, so each
// accessor below is the one place that asserts the shape; tfjs-node 4.22 is pinned in package.json and the
// trainer tests exercise every member on the real backend.
import type * as tfType from '@tensorflow/tfjs';

/** An op attribute as the binding takes it: `type` is one of the binding's TF_ATTR_* codes. */
export interface OpAttr { name: string; type: number; value: unknown }

/** What the binding reports for a tensor it created. */
export interface TensorMetadata { id: number; shape: number[]; dtype: number }

/** tfjs-node's native binding (`backend.binding`): TensorFlow's eager C API, tensors by id. */
export interface NodeBinding {
  TF_ATTR_TYPE: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_STRING: number;
  TF_ATTR_BOOL: number;
  TF_FLOAT: number;
  TF_INT32: number;
  /** The TensorFlow release the binding runs (TF_Version()), e.g. "2.18.0" or the stock package's "2.9.1". */
  TF_Version: string;
  createTensor(shape: number[], dtype: number, values: ArrayBufferView): number;
  executeOp(name: string, attrs: OpAttr[], inputIds: number[], numOutputs: number): TensorMetadata[];
  tensorDataSync(id: number): ArrayBufferView;
  deleteTensor(id: number): void;
}

/** tfjs-node's backend object (NodeJSKernelBackend). `binding` is writable: the graph-step recorder swaps it. */
export interface NodeBackend {
  binding: NodeBinding;
  /** TensorFlow listed a GPU device when the backend started (binding.isUsingGpuDevice()): ops run there. */
  isUsingGpuDevice: boolean;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tfType.Tensor[]): tfType.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tfType.Tensor[], numOutputs: number): tfType.Tensor[];
  getInputTensorIds(tensors: tfType.Tensor[]): number[];
}

/** The backend a kernel function receives, or `tf.backend()`, when it is tfjs-node's 'tensorflow' backend. */
export function asNodeBackend(backend: unknown): NodeBackend {
  return backend as NodeBackend;
}

/** A Dropout (or SpatialDropout1D) layer's own fields, which tfjs-layers keeps off its public type. */
export interface DropoutFields { rate: number; seed?: number; getNoiseShape(x: tfType.Tensor): (number | null)[] | null }

export function dropoutFields(layer: tfType.layers.Layer): DropoutFields {
  return layer as unknown as DropoutFields;
}
