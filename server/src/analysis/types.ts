// Plain data exchanged between the analysis core and its hosts (CLI, language server, trainer).
// Everything here must survive JSON.stringify: hosts send it over pipes and LSP.

/**
 * One axis of a tensor shape. `null` is what tfjs itself uses for the batch axis or any axis declared
 * as None; `undefined` means the analyzer could not know the value. Both are compatible with any size
 * (tfjs does not complain about them at build time), so neither may ever raise a finding.
 * JSON turns `undefined` inside arrays into `null`, which is what tfjs would print too.
 * A string is a symbolic dim: the normal form of an expression over named symbols, e.g. "x.shape[1]",
 * "⌈x.shape[1]/2⌉", "2·width", "H-2" (symbolic/expr.ts). Equal expressions have equal text. Only
 * `symbolicShapes` and contracts carry them; `shapes`, models and layers stay numbers and null.
 */
export type Dim = number | null | undefined | string;
export type Shape = Dim[];

/** 0-based, LSP style. `character` counts UTF-16 code units. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface TextEdit { range: Range; newText: string }

export interface Fix {
  title: string;
  /** File the edits apply to (absolute or as given to `analyze`). */
  file: string;
  edits: TextEdit[];
  /** The fix the CLI's --fix and the LSP fix-all apply. At most one per finding. */
  isPreferred?: boolean;
}

import type { RuleId, Severity } from './rules/registry';

export type { RuleId, Severity };

export interface RelatedInfo { file: string; range: Range; message: string }

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  fixes: Fix[];
  related?: RelatedInfo[];
  /**
   * Found by analysing the enclosing function without a caller (parameters as symbols): it holds for every
   * value of them. A host that also has the same place from a concrete caller may prefer that one.
   */
  symbolic?: true;
}

/** A layer instance that ended up in a built model. */
export interface LayerInfo {
  /** tfjs class name, e.g. 'Conv2D', 'InputLayer'. */
  className: string;
  /** Output shape as tfjs would report it; an array of shapes for multi-output layers; null if unknown. */
  outputShape: Shape | Shape[] | null;
  /** Where the layer was created (the factory call), in `file`. */
  file: string;
  range: Range;
  /** tfjs countParams() after build; null when it depends on something unknown. */
  paramCount: number | null;
}

export interface ModelInfo {
  /** The variable or builder function name, e.g. 'resnet20', or 'model@12' when anonymous. */
  name: string;
  kind: 'functional' | 'sequential';
  file: string;
  range: Range;
  layers: LayerInfo[];
  inputShapes: Shape[];
  outputShapes: Shape[];
  paramCount: number | null;
  /** The exported zero-argument function that built it, when there is one. */
  entry?: string;
  /**
   * Set when the analysis was cut (e.g. 'step budget exceeded') before the model was assembled: the
   * layers built up to the cut, without inputs/outputs. Not a model tfjs would build as such.
   */
  partial?: string;
  /** For a model of `symbolicModels`: the name of the function that builds it. */
  builderRange?: Range;
  /** What the summary should say about how the layers are listed (symbolic models). */
  note?: string;
}

/**
 * Per source location facts for hovers and inlay hints. A helper called three times has one site per
 * location, with up to three distinct shapes.
 */
export interface SiteInfo {
  kind: 'layer' | 'apply' | 'tensor';
  file: string;
  range: Range;
  className?: string;
  /** Distinct output shapes seen at this site, one per distinct call context. */
  shapes: Shape[];
  paramCounts: (number | null)[];
  /** For merge layers: each operand's shape, per call context. */
  operandShapes?: Shape[][];
  /** For single-input applies: the input shape of each entry of `shapes` (inlay hints show only changes). */
  inputShapes?: Shape[];
  /** Variable name the result is stored in, when it is stored. */
  storedIn?: string;
  /**
   * Shapes seen when the enclosing function was analysed with its parameters as symbols (no caller), with
   * symbolic dims as text (see Dim), e.g. [null, "⌈x.shape[1]/2⌉", "⌈x.shape[2]/2⌉", "filters"].
   */
  symbolicShapes?: Shape[];
  /** For merge layers in symbolic runs: each operand's symbolic shape, per path. */
  symbolicOperandShapes?: Shape[][];
  /** A merge whose symbolic shape holds when its function's contract does (the operands agree then). */
  symbolicUnderContract?: true;
}

/**
 * A symbol of a symbolic shape and where its value comes from in the source: `filters` is the parameter
 * filters, `x.shape[1]` axis 1 of the tensor parameter x, `inputShape[0]` the first entry of the array
 * parameter inputShape, `this.width` a field of the instance. The name is the origin itself, so messages
 * and hovers read like the code.
 */
export interface SymbolInfo {
  name: string;
  /** What kind of parameter part it is. */
  kind: 'number' | 'tensor-dim' | 'array-item' | 'field' | 'flag';
  /** The function it is a parameter (or `this` field) of. */
  function: string;
}

/** One condition a function needs of its parameters for a merge or layer in it to work. */
export interface ContractCondition {
  /** E.g. "filters == x.shape[3]"; symbols as in SymbolInfo. */
  text: string;
  /** The path condition under which it is needed, e.g. "strides == 1"; absent when always needed. */
  when?: string;
  /** The merge (or layer) that needs it. */
  file: string;
  range: Range;
}

/**
 * What a function analysed without a caller requires of its arguments (no finding inside it: each call
 * site is checked with its arguments instead). Shown in hovers.
 */
export interface ContractInfo {
  /** As in notes and messages: 'residualBlock', 'ResNet.build', 'new Block'. */
  function: string;
  file: string;
  /** The function's name (or its first token when anonymous). */
  range: Range;
  requires: ContractCondition[];
}

/** A function the analyzer could not follow (fully or at all) when analysing it symbolically. */
export interface FunctionNote {
  function: string;
  file: string;
  range: Range;
  /** E.g. "step budget exceeded", "only 16 of its paths were followed". */
  reason: string;
}

/** An exported function that returns a model and can be trained from the editor or the CLI. */
export interface EntryInfo { name: string; file: string; range: Range; requiredParams: number }

export interface AnalysisResult {
  file: string;
  findings: Finding[];
  models: ModelInfo[];
  sites: SiteInfo[];
  entries: EntryInfo[];
  /** Things the analyzer gave up on (step budget, unresolved import...). For logs, not for users' eyes. */
  notes: string[];
  /** Whether the file refers to tfjs at all; hosts skip files that do not. */
  usesTfjs: boolean;
  /** Contracts of the file's functions (symbolic analysis); absent when there are none. */
  contracts?: ContractInfo[];
  /** Symbols appearing in symbolicShapes and contracts. */
  symbols?: SymbolInfo[];
  /**
   * Models built by functions analysed without a caller (a builder nothing calls), with symbolic sizes as
   * text: for hovers only; `models` keeps the models built with concrete sizes.
   */
  symbolicModels?: ModelInfo[];
  /** Functions not (fully) analysed, with the reason, for "not analysed: …" displays. */
  functionNotes?: FunctionNote[];
}

/** What the pure core needs from its host: file contents by absolute path. No other I/O. */
export interface AnalysisHost {
  /** undefined when the file does not exist; throws an Error saying why when the host refuses to read it. */
  readFile(path: string): string | undefined;
}

/**
 * What one analysis of a file keeps for the next analysis of the same file (functions whose code did not
 * change are not run again). Created empty by a host that re-analyses a file as it changes, one per file;
 * its contents belong to the core.
 */
export interface AnalysisCache {
  state?: unknown;
  /** How many functions the last analysis took from the cache instead of running them (tests, benchmarks). */
  reused?: number;
}

export interface AnalyzeOptions {
  /** Interpreter step budget per entry point; bounds runaway loops and recursion. */
  maxSteps?: number;
  /**
   * Re-analyse each shape fix applied to check it (default true). The language server turns it off to
   * publish diagnostics sooner and checks fixes when code actions are asked for (ensureFixesVerified).
   */
  verify?: boolean;
  /** Results to reuse from the last analysis of this file, and where to keep this one's (see AnalysisCache). */
  cache?: AnalysisCache;
}
