// Proves a built runtime works: loads tfjs-node in a child process (a bad library can abort the process)
// and runs a convolution plus its gradient on the TensorFlow backend and on tfjs's pure-JS CPU backend,
// which must agree.
import { execTool, tail } from './exec';
import { firstCudaError } from './gpuDiagnosis';

export interface VerifyResult {
  tfVersion: string;
  backend: string;
  gpu: boolean;
  maxAbsDiff: number;
  loadMs: number;
  /** Skipcheck's graph runner loaded and ran a small graph (undefined: not built). */
  graphAddon?: boolean;
  /** With no GPU in use: TensorFlow's first log line saying why (gpuDiagnosis.ts). */
  cudaError?: string;
}

// Plain JS: it runs inside the user's tfjs-node, not in this bundle.
const CHECK = `
const t0 = Date.now();
const tf = require(process.env.SKIPCHECK_TFJS_NODE_DIR);
const loadMs = Date.now() - t0;
const backend = tf.getBackend();
if (backend !== 'tensorflow') throw new Error('tfjs-node loaded but the active backend is ' + backend);
const x = tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 1);
const k = tf.randomUniform([3, 3, 3, 5], -1, 1, 'float32', 2);
const run = () => {
  const y = tf.conv2d(x, k, 2, 'same');
  const g = tf.grad((kk) => tf.conv2d(x, kk, 2, 'same').square().sum())(k);
  return [y.shape.join('x'), Array.from(y.dataSync()), Array.from(g.dataSync())];
};
const native = run();
tf.setBackend('cpu');
const js = run();
if (native[0] !== js[0]) throw new Error('shape differs: ' + native[0] + ' vs ' + js[0]);
let maxAbsDiff = 0;
for (const i of [1, 2]) native[i].forEach((v, j) => { maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - js[i][j])); });
const b = tf.findBackend('tensorflow');
let graphAddon;
if (process.env.SKIPCHECK_GRAPH_ADDON) {
  const mod = { exports: {} };
  process.dlopen(mod, process.env.SKIPCHECK_GRAPH_ADDON);
  const g = mod.exports;
  const graph = g.newGraph();
  const f32 = { name: 'dtype', type: 4, value: 1 };
  const p = g.addOp(graph, 'Placeholder', 'x', [], [f32]);
  const c = g.addOp(graph, 'Const', 'c', [], [f32, { name: 'value', type: 6, value: { dtype: 1, shape: [2], data: new Float32Array([1, 2]) } }]);
  const sum = g.addOp(graph, 'AddV2', 'sum', [{ op: p, index: 0 }, { op: c, index: 0 }], []);
  const [out] = g.run(g.newSession(graph), graph, [{ op: p, index: 0 }], [g.tensor(1, [2], new Float32Array([10, 20]))], [{ op: sum, index: 0 }]);
  const got = Array.from(new Float32Array(g.tensorData(out).data));
  if (got.join() !== '11,22') throw new Error('the graph runner computed ' + got.join() + ' for [10,20] + [1,2]');
  if (g.tfVersion() !== b.binding.TF_Version) throw new Error('the graph runner links TensorFlow ' + g.tfVersion() + ', tfjs-node ' + b.binding.TF_Version);
  graphAddon = true;
}
console.log(JSON.stringify({ tfVersion: b.binding.TF_Version, backend, gpu: !!b.isUsingGpuDevice, maxAbsDiff, loadMs, graphAddon }));
`;

/** Tolerance for float32 conv results of the fixed check computed by two different kernels. */
export const VERIFY_TOLERANCE = 1e-3;

export async function verifyRuntime(packageDir: string, graphAddon?: string): Promise<VerifyResult> {
  const r = await execTool(process.execPath, ['-e', CHECK], {
    env: {
      ...process.env, SKIPCHECK_TFJS_NODE_DIR: packageDir, SKIPCHECK_GRAPH_ADDON: graphAddon ?? '', TF_CPP_MIN_LOG_LEVEL: '0', ELECTRON_RUN_AS_NODE: '1',
    },
    timeoutMs: 180_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) {
    throw new Error(`Loading ${packageDir} with the new binding failed:\n${tail(r.error ?? (r.stderr || r.stdout), 12)}`);
  }
  const result = JSON.parse(last) as VerifyResult;
  // TensorFlow logs (level 0: also its info lines) say why a CUDA build found no GPU.
  if (!result.gpu) result.cudaError = firstCudaError(r.stderr);
  if (!(result.maxAbsDiff <= VERIFY_TOLERANCE)) {
    throw new Error(`The TensorFlow backend computes a different convolution than pure tfjs (max difference ${result.maxAbsDiff})`);
  }
  return result;
}
