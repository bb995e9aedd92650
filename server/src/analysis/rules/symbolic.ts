// Findings from symbolic runs (functions analysed without a caller): only merges that fail for every
// admissible value of the symbols on a path that assumed nothing. The residual rules build the finding
// (causes, the padding warning); the message then says it holds for every value, naming the symbols.
import type { Application } from '../graph/graph';
import { mergeCheck } from '../layers';
import { clashMinSize } from '../layers/merge';
import type { Shape } from '../types';
import type { RuleFinding } from './finding';
import { residualRules } from './residual';
import { analyzeMerge } from '../graph/branch';
import { symbolsOf } from '../symbolic/expr';
import { withFacts } from '../symbolic/context';
import { failingOnEveryPath, type AppInfo } from '../interp/symbolicSession';
import type { CallFrame } from '../graph/graph';
import type { RelatedInfo } from '../types';
import { tsApi } from '../syntax/tsApi';
import { condText } from '../symbolic/cond';
import { lineOf, rangeOf } from '../syntax/text';

export function symbolicFindings(apps: Application[], info: ReadonlyMap<Application, AppInfo>, concrete: RuleFinding[]): RuleFinding[] {
  // A mismatch on a path that assumed something is a contract of the function (report/contracts.ts),
  // unless the merge fails on every path of it: then it fails whatever the conditions say.
  const unconditional = [...apps.filter((a) => (info.get(a)?.assumptions.length ?? 0) === 0), ...failingOnEveryPath(apps, info)];
  const taken = new Set(concrete.map((f) => `${f.rule}|${f.file}|${f.range.start.line}:${f.range.start.character}`));
  const out: RuleFinding[] = [];
  for (const f of residualRules(unconditional)) {
    if (taken.has(`${f.rule}|${f.file}|${f.range.start.line}:${f.range.start.character}`)) continue;
    if (f.rule !== 'residual-shape-mismatch') { out.push({ ...f, symbolic: true }); continue; }
    const bad = failing(f, unconditional);
    const calls = bad.flatMap(callsOf);
    const related = [...(f.related ?? []).filter((r) => !r.message.startsWith('the call of ')), ...relatedCalls(calls)];
    // The fixes stage writes projections on symbolic code with the function's own names (fixes/projection.ts).
    const assumed = bad.map((a) => info.get(a)?.assumptions[0]).find((c) => c !== undefined);
    const everyPath = assumed ? ` This happens on every path through the function, whether or not \`${condText(assumed)}\`.` : '';
    out.push({ ...f, message: phrase(f, bad[0], calls) + everyPath, related: related.length ? related : undefined, symbolic: true });
  }
  out.push(...batchNormAxisFindings(unconditional));
  return out;
}

/**
 * A BatchNormalization whose axis does not exist on its input (or is None), in a function analysed without a
 * caller, on a path that assumed nothing: tfjs's build refuses it for every value of the symbols. The rank
 * is exact: a tensor parameter takes it from the layer that needs one, which would refuse any other.
 */
function batchNormAxisFindings(apps: Application[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  const seen = new Set<string>();
  for (const a of apps) {
    if (a.layer.className !== 'BatchNormalization' || !a.error?.includes('should have a defined dimension')) continue;
    if (a.inputs.some((t) => t.recovered || !t.shape) || typeof a.layer.config.axis !== 'number') continue;
    const range = rangeOf(a.at.sf, a.at.node);
    const key = `${a.at.file}|${range.start.line}:${range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const calls = callsOf(a);
    const first = calls[0];
    const via = first ? ` This happens at the call of ${first.callee} at line ${lineOf(first.at.sf, first.at.node)} (\`${callText(first)}\`).` : '';
    out.push({ rule: 'tfjs-would-throw', message: `tfjs would throw here: ${a.error}${via}`, file: a.at.file, range, related: calls.length ? relatedCalls(calls) : undefined, symbolic: true });
  }
  return out;
}

/** The applications at the finding's merge whose operands fail for every value. */
function failing(f: RuleFinding, apps: Application[]): Application[] {
  return apps.filter((a) => a.at.file === f.file && sameStart(a, f) && a.inputs.every((t) => t.shape) &&
    !withFacts({}, () => mergeCheck(a.layer.className, a.layer.config, a.inputs.map<Shape>((t) => t.shape!))).ok);
}

/**
 * The calls (outermost first) through which the analysed function reached the merge: the merge sits in a
 * helper, and what makes it fail are the arguments given at those calls.
 */
function callsOf(app: Application): CallFrame[] {
  // The analysed function itself is entered at its declaration, not at a call.
  return app.stack.filter((fr) => tsApi.isCallExpression(fr.at.node) || tsApi.isNewExpression(fr.at.node));
}

function relatedCalls(calls: CallFrame[]): RelatedInfo[] {
  const seen = new Set<string>();
  const out: RelatedInfo[] = [];
  for (const c of calls) {
    const range = rangeOf(c.at.sf, c.at.node);
    const key = `${c.at.file}|${range.start.line}:${range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: c.at.file, range, message: `the call of ${c.callee} whose arguments make the shapes differ (\`${callText(c)}\`)` });
  }
  return out;
}

const callText = (c: CallFrame): string => {
  const t = c.at.node.getText(c.at.sf).replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};

/** "For every value of x.shape[1], x.shape[2] (sizes ≥ 2), add gets …: axis 1 ⌈x.shape[1]/2⌉ ≠ x.shape[1] …". */
function phrase(f: RuleFinding, app: Application | undefined, calls: CallFrame[]): string {
  if (!app) return f.message;
  const shapes = app.inputs.map<Shape>((t) => t.shape!);
  const check = withFacts({}, () => mergeCheck(app.layer.className, app.layer.config, shapes));
  const minSize = clashMinSize.value;
  if (check.ok || check.mismatchedAxes.length === 0) return f.message;
  const site = analyzeMerge(app);
  const br = shapes[site.branch];
  const sc = shapes[site.shortcut];
  const diffs = check.mismatchedAxes.map((ax) => `axis ${ax}: ${String(br[ax])} ≠ ${String(sc[ax])}`);
  const syms = [...new Set(check.mismatchedAxes.flatMap((ax) => [br[ax], sc[ax]]).flatMap((d) => (typeof d === 'string' ? symbolsOf(d) : [])))];
  const sizes = minSize > 1 ? ` (tensor sizes ≥ ${minSize})` : '';
  const every = syms.length ? `for every value of ${syms.join(', ')}${sizes}` : 'for every value of the parameters';
  const show = (s: Shape) => `[${s.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`;
  let tail = f.message.includes(' (branch vs shortcut).') ? f.message.slice(f.message.indexOf(' (branch vs shortcut).') + ' (branch vs shortcut).'.length) : '';
  tail = tail.replace(/ No projection fix: .*$/, '').replace(/ This happens in .*$/, '');
  const first = calls[0];
  const via = first ? ` This happens at the call of ${first.callee} at line ${lineOf(first.at.sf, first.at.node)} (\`${callText(first)}\`).` : '';
  return `${app.layer.factory} cannot combine its operands ${every}: the branch gives ${show(br)} and the shortcut ${show(sc)} (${diffs.join(', ')}).${tail}${via}`;
}
function sameStart(a: Application, f: RuleFinding): boolean {
  const p = a.at.sf.getLineAndCharacterOfPosition(a.at.node.getStart(a.at.sf));
  return p.line === f.range.start.line && p.character === f.range.start.character;
}
