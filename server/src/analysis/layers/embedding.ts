// Embedding (tfjs embeddings.ts): integer ids of any rank in, one `outputDim` vector per id out. It has no
// InputSpec (any rank); `inputLength`, when given, must match the input's non-batch dims.
import type { Dim, Shape } from '../types';
import { UNKNOWN, fail, isAbsent, readPositiveInt, type LayerConfig } from './config';
import { weightSize } from './dims';
import { defineSingle, type LayerSpec } from './spec';

/** tfjs prints shapes in this message with Array.prototype.toString: null dims print as nothing. */
const plain = (v: unknown): string => String(v);

function embeddingShape(cfg: LayerConfig, input: Shape): Shape {
  const outputDim = readPositiveInt(cfg, 'outputDim');
  const raw = cfg.inputLength;
  if (isAbsent(raw)) return [...input, outputDim];
  if (raw === UNKNOWN) return [input[0], ...input.slice(1).map(() => undefined), outputDim];
  const lens = (Array.isArray(raw) ? raw : [raw]).map((d): Dim => (d === UNKNOWN ? undefined : typeof d === 'number' ? d : null));
  const problem = `"inputLength" is ${plain(raw)}, but received input shape has shape ${plain(input)}`;
  if (lens.length !== input.length - 1) fail(problem);
  const out = lens.map((s1, k) => {
    const s2 = input[k + 1];
    // An unknown or symbolic input dim: tfjs's answer is not known (a symbolic dim passes through when s1 is None).
    if (s1 === undefined || s2 === undefined || typeof s2 === 'string') return s1 === null ? s2 : undefined;
    if (s1 !== null && s2 !== null && s1 !== s2) fail(problem);
    return s1 === null ? s2 : s1;
  });
  return [input[0], ...out, outputDim];
}

export const embeddingSpec: LayerSpec = defineSingle({
  className: 'Embedding',
  factories: ['embedding'],
  kind: 'other',
  validate(cfg) {
    readPositiveInt(cfg, 'inputDim');
    readPositiveInt(cfg, 'outputDim');
  },
  shape: embeddingShape,
  params: (cfg) => weightSize(readPositiveInt(cfg, 'inputDim'), readPositiveInt(cfg, 'outputDim')),
});
