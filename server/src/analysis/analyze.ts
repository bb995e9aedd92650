// The analysis pipeline end to end: parse and interpret a file's entry points, then report, rules, fixes
// and fix verification. The only module that sees every stage.
import type * as ts from 'typescript';
import { tsApi } from './syntax/tsApi';
import type { AnalysisHost, AnalysisResult, AnalyzeOptions, EntryInfo, Finding, SiteInfo } from './types';
import { BudgetExceeded, Interpreter, UserThrow } from './interp/interpreter';
import { ModelRecord } from './graph/graph';
import { Fn } from './interp/values';
import { rangeOf } from './syntax/text';
import { modelInfo, symbolicModelInfo } from './report/models';
import { collectSites } from './report/sites';
import { runRules } from './rules';
import { attachFixes } from './fixes/attach';
import { verifyFixes, verifyStep as verifyStepWith } from './fixes/verify';
import { unsuppressed } from './suppress';
import { nameRange, runSymbolicPhase, symbolTable } from './report/contracts';
import { symbolsOf } from './symbolic/expr';
import { FunctionCache } from './functionCache';

// The largest realistic builders (an unrolled ResNet-152, ResNet-50 from loops) take under 6k steps; a
// runaway loop stops after about 0.1-0.3 s.
const DEFAULT_MAX_STEPS = 200_000;
/**
 * A symbolic path (a function analysed without a caller, one path of it) gets this share of an entry
 * point's budget: helpers take a few hundred steps, a whole symbolic ResNet-50 builder about 6k.
 */
const SYMBOLIC_PATH_BUDGET = 0.125;
const TFJS_USE = /@tensorflow\/tfjs|\btf\.(layers|model|sequential|input)\b/;

/**
 * Analyses one file (and the relative modules it imports, read through `host`): runs its top level and
 * every exported function without required parameters symbolically, then applies the ResNet rules.
 * Never throws on user code: whatever it could not follow is reported in `notes`.
 */
export function analyze(file: string, text: string, host?: AnalysisHost, options: AnalyzeOptions = {}): AnalysisResult {
  const result: AnalysisResult = { file, findings: [], models: [], sites: [], entries: [], notes: [], usesTfjs: TFJS_USE.test(text) };
  if (!result.usesTfjs) return result;
  const overlay: AnalysisHost = { readFile: (p) => (p === file ? text : host?.readFile(p)) };
  const it = new Interpreter(overlay, options.maxSteps ?? DEFAULT_MAX_STEPS);
  try {
    const mod = it.loadModule(file, text);
    const cache = options.cache ? new FunctionCache(it, mod, options.cache, options.maxSteps ?? DEFAULT_MAX_STEPS, SYMBOLIC_PATH_BUDGET) : undefined;
    const cutModels: ModelRecord[] = [];
    let layersBefore = it.graph.layers.length;
    if (guard(it, 'top level', () => it.runModule(mod)) === BUDGET) {
      cutModels.push(...partialModel(it, 'top level', undefined, mod.sf, layersBefore, 0));
    }
    const concrete = new Set<ts.Node>();
    for (const name of [...mod.exportOrder]) {
      const v = mod.exports.get(name);
      if (!(v instanceof Fn) || requiredParams(v.node) > 0) continue;
      concrete.add(v.node);
      if (it.budgetSpent()) {
        it.notes.push(`${name}: not analysed: the step budget of the file was spent by earlier code`);
        continue;
      }
      it.currentEntry = name;
      const before = it.graph.models.length;
      layersBefore = it.graph.layers.length;
      let returned: unknown;
      if (guard(it, name, () => { returned = it.call(v, [], undefined, v.node as unknown as ts.CallExpression); }) === BUDGET) {
        cutModels.push(...partialModel(it, name, v.node, v.node.getSourceFile(), layersBefore, before));
      }
      it.currentEntry = undefined;
      for (const m of it.graph.models.slice(before)) m.entry ??= name;
      if (returned instanceof ModelRecord) {
        result.entries.push(entryInfo(name, v, mod.file));
        if (returned.name.startsWith('model@')) returned.name = name;
      }
    }
    cache?.afterConcrete({ layers: 0, apps: 0, throws: 0, models: 0, tensorVars: 0 });
    const symbolic = runSymbolicPhase(it, mod, concrete, (what, f) => guard(it, what, f, SYMBOLIC_PATH_BUDGET), cache?.hooks);
    // Reused results that the runs of this analysis contradict: start over without them.
    if (cache && !cache.consistent()) return analyze(file, text, host, { ...options, cache: cache.reset() });
    const shown = it.graph.models.filter((m) => !it.symbolic.models.has(m));
    result.models = [...shown.map((m) => modelInfo(m)), ...cutModels.map((m) => ({ ...modelInfo(m), partial: 'step budget exceeded' }))];
    const symbolicModels = [...it.symbolic.models].map((m) => {
      const builder = symbolic.entries.find((e) => e.name === it.symbolic.modelRoots.get(m));
      return symbolicModelInfo(m, builder && builder.node.getSourceFile().fileName === file ? nameRange(builder.node) : undefined, it.symbolic.loopModels.has(m));
    });
    // In source order, so that models given back by the cache land where a fresh analysis puts them.
    const allSymbolicModels = (cache ? cache.symbolicModels(symbolicModels) : symbolicModels)
      .sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    if (allSymbolicModels.length) result.symbolicModels = allSymbolicModels;
    const sites = collectSites(it.graph, it.tensorVars, it.symbolic.apps);
    result.sites = (cache ? cache.sites(sites) : sites).sort(siteOrder);
    const findings = attachFixes(runRules(it.graph, it.symbolic.apps));
    cache?.store(sites, findings, symbolic.contractOf, symbolicModels);
    // Disable comments apply here, in the core, so every host honours them alike.
    result.findings = unsuppressed(cache ? cache.findings(findings) : findings, (f) => overlay.readFile(f));
    if (symbolic.contracts.length) result.contracts = symbolic.contracts;
    if (symbolic.functionNotes.length) result.functionNotes = symbolic.functionNotes;
    // Boolean parameters appear in conditions as `downsample == true|false`.
    const flags = new Set(symbolic.contracts.flatMap((c) => c.requires.flatMap((r) => [...`${r.text} && ${r.when ?? ''}`.matchAll(/([\w$.[\]]+) == (?:true|false)\b/g)].map((m) => m[1]))));
    const symbols = symbolTable(symbolicTexts(result), (s) => symbolic.contracts.find((c) => c.requires.some((r) => r.text.includes(s)))?.function ?? '', flags);
    if (symbols.length) result.symbols = symbols;
    if (options.verify !== false) verifyFixes(analyze, result, text, overlay, options);
  } catch (e) {
    // TypeScript's parser recurses once per nesting level: thousands of nested brackets overflow it.
    if (e instanceof RangeError && it.modules.size === 0) result.notes.push('the file is too deeply nested to parse; nothing was analysed');
    // Otherwise a defect of the analyzer itself: keep whatever was computed and say what happened.
    else result.notes.push(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    if (options.cache) options.cache.state = undefined;
  }
  result.notes.push(...new Set(it.notes));
  return result;
}

/**
 * The layers an entry created before the step budget cut it, as a model, when the cut came before any
 * tf.model/tf.sequential: a huge generated network still shows what was built instead of nothing.
 */
function partialModel(it: Interpreter, name: string, node: ts.Node | undefined, sf: ts.SourceFile, layersBefore: number, modelsBefore: number): ModelRecord[] {
  const layers = it.graph.layers.slice(layersBefore);
  if (layers.length === 0 || it.graph.models.length > modelsBefore) return [];
  const m = new ModelRecord(it.graph.id(), 'functional', name, { file: sf.fileName, sf, node: node ?? sf }, [], [], node ? name : undefined);
  m.layers = layers;
  m.incomplete = true;
  return [m];
}

const BUDGET = 'step budget exceeded (huge loop or deep recursion); results are partial';

/** Runs one entry point with a fresh budget; returns why it stopped early, if it did (also in notes). */
function guard(it: Interpreter, what: string, f: () => void, budget = 1): string | undefined {
  it.resetBudget(budget);
  it.stack = [];
  let reason: string | undefined;
  try {
    f();
  } catch (e) {
    if (e instanceof BudgetExceeded) reason = BUDGET;
    else if (e instanceof UserThrow) reason = 'the code throws; results up to the throw are kept';
    else if (e instanceof RangeError) reason = 'too deeply nested to follow';
    else throw e;
    it.notes.push(`${what}: ${reason}`);
  }
  return reason;
}

/** Sites by place (then kind): one order whether they were computed now or reused (functionCache.ts). */
function siteOrder(a: SiteInfo, b: SiteInfo): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character || a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
}

/** Texts that may mention symbols: symbolic shapes and contract conditions. */
function symbolicTexts(r: AnalysisResult): string[] {
  // A set: the same dims repeat at hundreds of sites, and each text is parsed (twice) below.
  const out = new Set<string>();
  for (const s of r.sites) for (const shape of s.symbolicShapes ?? []) for (const d of shape) if (typeof d === 'string') out.add(d);
  // Conditions read `a == b`, `blocks < 2`, `axis <= 3`, `downsample == false`: the sides, not the booleans.
  for (const c of r.contracts ?? []) {
    for (const q of c.requires) for (const x of q.text.split(/ [=!<>]=? |!\(|\(|\)|&&|\|\|/)) if (x.trim() && !/^(true|false)$/.test(x.trim())) out.add(x.trim());
  }
  return [...out].filter((t) => { try { symbolsOf(t); return true; } catch { return false; } });
}

function requiredParams(fn: ts.FunctionLikeDeclaration): number {
  return fn.parameters.filter((p) => !p.initializer && !p.questionToken && !p.dotDotDotToken &&
    !(tsApi.isIdentifier(p.name) && p.name.text === 'this')).length;
}

function entryInfo(name: string, fn: Fn, file: string): EntryInfo {
  const sf = fn.node.getSourceFile();
  // An anonymous `export default function` is pointed at by its `default` keyword, not its whole body.
  const defaultKeyword = tsApi.canHaveModifiers(fn.node) ? tsApi.getModifiers(fn.node)?.find((m) => m.kind === tsApi.SyntaxKind.DefaultKeyword) : undefined;
  const target = fn.node.name ?? (tsApi.isVariableDeclaration(fn.node.parent) ? fn.node.parent.name : defaultKeyword ?? fn.node);
  return { name, file, range: rangeOf(sf, target), requiredParams: requiredParams(fn.node) };
}

/**
 * For hosts that analyse with `verify: false` to publish diagnostics sooner (the language server): checks
 * the fixes once, when they are about to be offered. `text` must be the text `result` was computed from.
 */
export function ensureFixesVerified(result: AnalysisResult, text: string, host: AnalysisHost, options: AnalyzeOptions = {}): void {
  verifyFixes(analyze, result, text, host, options);
}

/** One re-analysis of the check above, for hosts that spread it over time (see fixes/verify.ts). */
export function verifyStep(result: AnalysisResult, finding: Finding, text: string, host: AnalysisHost, options: AnalyzeOptions = {}): boolean {
  return verifyStepWith(analyze, result, finding, text, host, options);
}
