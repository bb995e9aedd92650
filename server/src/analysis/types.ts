// Plain data exchanged between the analysis core and its hosts (CLI, language server, trainer).
// Everything here must survive JSON.stringify: hosts send it over pipes and LSP.

/**
 * One axis of a tensor shape. `null` is what tfjs itself uses for the batch axis or any axis declared
 * as None; `undefined` means the analyzer could not know the value. Both are compatible with any size
 * (tfjs does not complain about them at build time), so neither may ever raise a finding.
 * JSON turns `undefined` inside arrays into `null`, which is what tfjs would print too.
 */
export type Dim = number | null | undefined;
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
  /** Functions not (fully) analysed, with the reason, for "not analysed: …" displays. */
  functionNotes?: FunctionNote[];
}

/** A function the analyzer could not follow (fully or at all) when analysing it symbolically. */
export interface FunctionNote {
  function: string;
  file: string;
  range: Range;
  /** E.g. "step budget exceeded", "only 16 of its paths were followed". */
  reason: string;
}

/** What the pure core needs from its host: file contents by absolute path. No other I/O. */
export interface AnalysisHost {
  readFile(path: string): string | undefined;
}

export interface AnalyzeOptions {
  /** Interpreter step budget per entry point; bounds runaway loops and recursion. */
  maxSteps?: number;
  /**
   * Re-analyse each shape fix applied to check it (default true). The language server turns it off to
   * publish diagnostics sooner and checks fixes when code actions are asked for (ensureFixesVerified).
   */
  verify?: boolean;
}
