// The one list of rules. Rule ids, default severities, the CLI's SARIF rules, the editor settings in
// package.json and the rule tables of README.md and docs/editors.md all come from here (scripts/rules.ts
// writes the generated ones; `--check` in the tests keeps them in step). Imports nothing: every stage,
// types.ts included, may depend on it.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RuleMeta {
  /** Severity of the rule's findings unless the user configures another. */
  readonly severity: Severity;
  /** A finding means tfjs itself refuses to build the model; the other rules describe models that build. */
  readonly breaksBuild: boolean;
  /** What the rule finds, one line, lower case, no final period (tables, settings, SARIF). */
  readonly summary: string;
}

export const RULES = {
  'residual-shape-mismatch': {
    severity: 'error',
    breaksBuild: true,
    summary: 'operands of add/multiply/average/maximum/minimum/concatenate that cannot combine: the shortcut needs a projection or the branch keeps the wrong shape',
  },
  'residual-broadcast': {
    severity: 'warning',
    breaksBuild: false,
    summary: 'an add/average that only works by broadcasting a size-1 axis',
  },
  'missing-same-padding': {
    severity: 'warning',
    breaksBuild: false,
    summary: "a convolution or pooling with 'valid' padding (explicit or default) and a window > 1 inside a residual branch, whose shrinking breaks the merge",
  },
  'bias-before-batchnorm': {
    severity: 'warning',
    breaksBuild: false,
    summary: 'a conv/dense with a bias whose output feeds only BatchNormalization (on its channel axis), which cancels it',
  },
  'activation-before-batchnorm': {
    severity: 'info',
    breaksBuild: false,
    summary: 'a fused nonlinear activation right before BatchNormalization; the usual order is conv -> BN -> activation',
  },
  'tfjs-would-throw': {
    severity: 'error',
    breaksBuild: true,
    summary: 'a call tfjs itself refuses while building the model (a factory tf.layers does not have, a missing required config, a layer given a tensor of the wrong rank, a merge with too few operands or ranks that cannot broadcast, a Reshape of the wrong size, which tfjs throws at predict when the batch size is None), with tfjs\'s message',
  },
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;

/** Every rule id, in registry order. */
export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** Where a rule is explained, relative to the repository root (one section per rule). */
export const docsAnchor = (id: RuleId): string => `docs/rules.md#${id}`;
