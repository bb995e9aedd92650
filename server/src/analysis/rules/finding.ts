// What a rule reports: a finding without its fixes, plus what the fixes stage needs to write them.
// Rules only decide what is wrong; fixes/ (a later stage) turns each request into edits, so rules never
// depend on how the source is edited.
import type { Application, LayerInstance } from '../graph/graph';
import type { MergeSite } from '../graph/branch';
import type { Finding } from '../types';

export type FixRequest =
  /** A merge whose operands differ: 'same' padding on `padding` (when any), else a shortcut projection. */
  | { kind: 'merge-shapes'; sites: MergeSite[]; ok: boolean[]; padding: Application[]; explainNoFix: boolean }
  /** padding: 'same' on these layers. */
  | { kind: 'same-padding'; layers: Application[] }
  /** useBias: false on the layer's config. */
  | { kind: 'no-bias'; layer: LayerInstance }
  /** Move the layer's fused activation after the BatchNormalization `bn`. */
  | { kind: 'move-activation'; layer: LayerInstance; bn: Application; apps: Application[] };

/** Severity is not the rule's to choose per finding: it comes from the registry (rules/registry.ts). */
export interface RuleFinding extends Omit<Finding, 'fixes' | 'severity'> { fix?: FixRequest }
