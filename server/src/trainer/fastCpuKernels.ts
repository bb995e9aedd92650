// The pure-JS backend's Conv2DBackpropFilter reads every element through TensorBuffer.get, which makes a
// training step of a small conv net 20-40x slower than its forward pass. When training falls back to that
// backend, this replaces it with the same sum computed over flat channels-last arrays. Layouts and
// options it does not cover (channelsFirst) go to the original kernel.
import type { Tf } from './datasets/batches';

const KERNEL = 'Conv2DBackpropFilter';

interface TensorInfoLike { dataId: object; shape: number[]; dtype: string }
interface CpuBackendLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfoLike;
}
interface Attrs { strides: number | [number, number]; pad: unknown; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: unknown; filterShape: [number, number, number, number] }

export function installFastCpuKernels(tf: Tf): boolean {
  if (tf.getBackend() !== 'cpu') return false;
  const original = tf.getKernel(KERNEL, 'cpu');
  if (!original || (original.kernelFunc as { skipcheckFast?: boolean }).skipcheckFast) return false;
  const kernelFunc = (args: { inputs: { x: TensorInfoLike; dy: TensorInfoLike }; backend: CpuBackendLike; attrs: Attrs }) => {
    const { inputs: { x, dy }, backend, attrs } = args;
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(args as never);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1,
      attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
    return backend.makeTensorInfo(info.filterShape, 'float32',
      filterGradient(backend.data.get(x.dataId).values, backend.data.get(dy.dataId).values, info));
  };
  tf.unregisterKernel(KERNEL, 'cpu');
  tf.registerKernel({ kernelName: KERNEL, backendName: 'cpu', kernelFunc: Object.assign(kernelFunc, { skipcheckFast: true, original }) as never });
  return true;
}

type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

/** dW[r, c, i, o] = sum over batch and output positions of x[b, y*s + r - pad, ., i] * dy[b, y, ., o]. */
export function filterGradient(x: Float32Array, dy: Float32Array, k: ConvInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = k;
  const top = k.padInfo.top;
  const left = k.padInfo.left;
  const dW = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let wR = 0; wR < filterHeight; wR++) {
        const xR = yR * strideHeight + wR - top;
        if (xR < 0 || xR >= inHeight) continue;
        for (let yC = 0; yC < outWidth; yC++) {
          const dyBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wBase = (wR * filterWidth + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xv = x[xBase + d1];
              if (xv === 0) continue; // frequent after ReLU
              const row = wBase + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) dW[row + d2] += xv * dy[dyBase + d2];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dW);
}
