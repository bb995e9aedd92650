// residual-shape-mismatch, residual-broadcast and missing-same-padding: the operands of each merge.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Application } from '../graph/graph';
import { mergeCheck, show, type MergeCheck } from '../layers';
import { rangeOf, lineOf, lineRef, showShape } from '../syntax/text';
import { type MergeSite, analyzeMerge, dimsAt, sizeText } from '../graph/branch';
import { describePath, validShrink } from './causes';
import { sameWouldMatch } from './samePadding';
import type { RuleFinding } from './finding';
import type { RelatedInfo } from '../types';

const relatedOf = (r: RelatedInfo[]) => (r.length ? r : undefined);

const ELEMENTWISE_SUM = new Set(['Add', 'Subtract', 'Average']);

/** One merge location in the source, with every call that reached it. */
interface MergeGroup { apps: Application[]; sites: MergeSite[]; checks: MergeCheck[]; ok: boolean[] }

/**
 * residual-shape-mismatch, missing-same-padding and residual-broadcast: all three look at the operands
 * of a merge and at what happened between the fork (the block input) and the merge.
 */
export function residualRules(apps: Application[]): RuleFinding[] {
  const groups = new Map<ts.Node, MergeGroup>();
  for (const app of apps) {
    if (app.layer.spec?.kind !== 'merge' || app.inputs.length < 2) continue;
    const shapes = app.inputs.map((t) => t.shape);
    if (shapes.some((s) => !s)) continue;
    const check = mergeCheck(app.layer.className, app.layer.config, shapes as NonNullable<typeof shapes[0]>[]);
    let g = groups.get(app.at.node);
    if (!g) { g = { apps: [], sites: [], checks: [], ok: [] }; groups.set(app.at.node, g); }
    g.apps.push(app);
    g.sites.push(analyzeMerge(app));
    g.checks.push(check);
    g.ok.push(check.ok && check.mismatchedAxes.length === 0);
  }
  const findings: RuleFinding[] = [];
  const paddingSeen = new Set<ts.Node>();
  for (const g of groups.values()) {
    const bad = g.ok.map((ok, i) => (ok ? -1 : i)).filter((i) => i >= 0);
    if (bad.length === 0) {
      findings.push(...broadcastFindings(g));
      continue;
    }
    const site = g.sites[bad[0]];
    const rank = site.layout.rank;
    if (!g.apps[bad[0]].inputs.every((t) => t.shape?.length === rank)) continue; // rank mismatch: tfjs message is clear enough
    // 'same' padding is advice only where it would make the shapes match (not on a U-Net's intended halving).
    let pad = paddingLayers(g, bad);
    if (pad.length && bad.some((i) => sameWouldMatch(g.sites[i], pad) === false)) pad = [];
    findings.push({
      rule: 'residual-shape-mismatch',
      message: mismatchMessage(g, bad),
      file: site.app.at.file,
      range: rangeOf(site.app.at.sf, site.app.at.node),
      fix: { kind: 'merge-shapes', sites: g.sites, ok: g.ok, padding: pad, explainNoFix: site.app.layer.className !== 'Concatenate' },
      related: relatedOf([...(site.fork?.producer ? [{
        file: site.fork.producer.at.file,
        range: rangeOf(site.fork.producer.at.sf, site.fork.producer.at.node),
        message: `the residual block starts here (shape ${showShape(site.fork.shape)})`,
      }] : []), ...callRelated(g, bad)]),
    });
    for (const a of pad) {
      if (paddingSeen.has(a.layer.created.node)) continue;
      paddingSeen.add(a.layer.created.node);
      findings.push(paddingFinding(a, site, pad));
    }
  }
  return findings;
}

/** Windowed 'valid' layers inside the branch whose shrinking is part of why the merge fails. */
function paddingLayers(g: MergeGroup, bad: number[]): Application[] {
  const out: Application[] = [];
  for (const i of bad) {
    const site = g.sites[i];
    const sc = site.operands[site.shortcut].tensor.shape;
    const br = site.operands[site.branch].tensor.shape;
    const spatialDiffers = site.layout.spatial.some((a) => sc?.[a] !== br?.[a]);
    if (!spatialDiffers) continue;
    for (const o of site.operands) for (const a of o.path) if (validShrink(a, site.layout) && !out.includes(a)) out.push(a);
  }
  return out;
}

function mismatchMessage(g: MergeGroup, bad: number[]): string {
  const site = g.sites[bad[0]];
  const { layout, operands } = site;
  if (operands.length > 2) {
    const odd = oddOperand(site);
    if (odd !== undefined) return `${oddOperandMessage(site, odd)}${g.apps.length > 1 ? ` ${occurrence(g, bad)}` : ''}`;
  }
  const shapes = operands.map((o) => showShape(o.tensor.shape));
  const br = operands[site.branch].tensor.shape;
  const sc = operands[site.shortcut].tensor.shape;
  const diffs: string[] = [];
  const bs = dimsAt(br, layout.spatial);
  const ss = dimsAt(sc, layout.spatial);
  if (bs.some((d, i) => d !== ss[i])) diffs.push(`spatial size ${sizeText(bs)} vs ${sizeText(ss)}`);
  const concat = site.app.layer.className === 'Concatenate';
  if (!concat && br?.[layout.channel] !== sc?.[layout.channel]) {
    diffs.push(`${layout.spatial.length ? 'channels' : 'units'} ${br?.[layout.channel] ?? '?'} vs ${sc?.[layout.channel] ?? '?'}`);
  }
  const what = site.app.layer.factory === 'concatenate' ? 'concatenate' : site.app.layer.factory;
  let msg = `${what} cannot combine ${shapes.join(' and ')}: ${diffs.join(', ') || 'shapes differ'} (branch vs shortcut).`;
  const causes = describePath(operands[site.branch].path, layout, concat, site.app.at.sf);
  if (causes.length) msg += ` In the branch, ${causes.join('; ')}.`;
  const scPath = operands[site.shortcut];
  if (scPath.distance === 0) msg += ' The shortcut is identity.';
  else {
    const scCauses = describePath(scPath.path, layout, concat, site.app.at.sf);
    if (scCauses.length) msg += ` On the shortcut, ${scCauses.join('; ')}.`;
  }
  if (g.apps.length > 1) msg += ` ${occurrence(g, bad)}`;
  return msg;
}

/** In a merge of three or more operands, the one whose shape differs from all the others (if exactly one does). */
function oddOperand(site: MergeSite): number | undefined {
  const keys = site.operands.map((o) => showShape(o.tensor.shape));
  const concat = site.app.layer.className === 'Concatenate';
  const key = (i: number) => (concat ? showShape(site.layout.spatial.map((a) => site.operands[i].tensor.shape?.[a])) : keys[i]);
  const counts = new Map<string, number>();
  site.operands.forEach((_, i) => counts.set(key(i), (counts.get(key(i)) ?? 0) + 1));
  const odd = site.operands.map((_, i) => i).filter((i) => counts.get(key(i)) === 1);
  return odd.length === 1 && counts.size === 2 ? odd[0] : undefined;
}

function oddOperandMessage(site: MergeSite, odd: number): string {
  const { layout, operands, app } = site;
  const call = app.at.node;
  const arg = tsApi.isCallExpression(call) && call.arguments[0] ? call.arguments[0] : undefined;
  const el = arg && tsApi.isArrayLiteralExpression(arg) ? arg.elements[odd] : undefined;
  const name = el ? `\`${el.getText(app.at.sf)}\`` : `operand ${odd + 1}`;
  const other = operands.find((_, i) => i !== odd)!;
  const concat = app.layer.className === 'Concatenate';
  let msg = `${app.layer.factory} cannot combine its ${operands.length} operands: ${name} (operand ${odd + 1}) is ${showShape(operands[odd].tensor.shape)}, ` +
    `the others ${showShape(other.tensor.shape)}.`;
  const causes = describePath(operands[odd].path, layout, concat, app.at.sf);
  if (causes.length) msg += ` On the way to ${name}, ${causes.join('; ')}.`;
  else if (operands[odd].distance === 0) msg += ` ${name} is the block input itself; the other operands changed it: ${describePath(other.path, layout, concat, app.at.sf).join('; ') || 'see their layers'}.`;
  return msg;
}

/** A stack as a key: which calls led to an application (loop iterations share it). */
const stackKey = (a: Application) => a.stack.map((f) => `${f.at.file}:${f.at.node.pos}`).join('>');
/** The entry point itself is entered at its declaration, not at a call. */
const realCall = (a: Application) => {
  const frame = a.stack[a.stack.length - 1];
  return frame && (tsApi.isCallExpression(frame.at.node) || tsApi.isNewExpression(frame.at.node)) ? frame : undefined;
};

/** The innermost loop around a node, for "iterations of the loop at line N". */
function loopAround(node: ts.Node): ts.IterationStatement | undefined {
  for (let n = node.parent; n && !tsApi.isFunctionLike(n); n = n.parent) if (tsApi.isIterationStatement(n, false)) return n;
  return undefined;
}

/** "in 1 of 9 iterations of the loop at line 12" or "in 1 of 3 calls of block (e.g. the call at line 23)". */
function occurrence(g: MergeGroup, bad: number[]): string {
  const app = g.apps[bad[0]];
  const loop = loopAround(app.at.node);
  const loopText = loop ? ` of the loop at line ${lineOf(app.at.sf, loop)}` : '';
  const stacks = new Set(g.apps.map(stackKey));
  const call = realCall(app);
  // One stack for every run: a loop around the merge in its own function, or one call site an outer loop repeats.
  if (stacks.size === 1 && loop) return `This happens in ${bad.length} of ${g.apps.length} iterations${loopText}.`;
  const callText = call ? ` (e.g. the call at ${lineRef(call.at.sf, call.at.node, app.at.sf)})` : '';
  if (stacks.size === 1 || stacks.size === g.apps.length) return `This happens in ${bad.length} of ${g.apps.length} calls of ${call?.callee ?? app.stack[app.stack.length - 1]?.callee ?? 'this code'}${callText}.`;
  return `This happens in ${bad.length} of ${g.apps.length} runs of this line (${stacks.size} calls of ${app.stack[app.stack.length - 1]?.callee ?? 'this code'}, iterations${loopText})${callText}.`;
}

/** Related information for a finding that only some runs produce: the call that does. */
function callRelated(g: MergeGroup, bad: number[]): RelatedInfo[] {
  const call = g.apps.length > 1 ? realCall(g.apps[bad[0]]) : undefined;
  return call ? [{ file: call.at.file, range: rangeOf(call.at.sf, call.at.node), message: `the call of ${call.callee} where the shapes differ` }] : [];
}

function paddingFinding(a: Application, site: MergeSite, pad: Application[]): RuleFinding {
  const k = a.layer.config.kernelSize ?? a.layer.config.poolSize;
  const merge = site.app;
  return {
    rule: 'missing-same-padding',
    message: `${a.layer.factory}${Array.isArray(k) ? ` ${k.map(show).join('x')}` : typeof k === 'number' ? ` ${k}x${k}` : ''} at ${lineRef(a.layer.created.sf, a.layer.created.node)} ` +
      `shrinks a residual branch with 'valid' padding${a.layer.config.padding === undefined ? ' (the tfjs default)' : ''}. It turns ` +
      `${showShape(a.inputs[0]?.shape)} into ${showShape(a.outputs[0]?.shape)}, so the ${merge.layer.factory} at ${lineRef(merge.at.sf, merge.at.node, a.layer.created.sf)} ` +
      `gets ${merge.inputs.map((t) => showShape(t.shape)).join(' and ')}. Use padding: 'same' to keep the size.`,
    file: a.layer.created.file,
    range: rangeOf(a.layer.created.sf, a.layer.created.node),
    // Every shrinking layer of the merge at once: one alone rarely makes the shapes match.
    fix: { kind: 'same-padding', layers: [a, ...pad.filter((p) => p !== a)] },
  };
}

function broadcastFindings(g: MergeGroup): RuleFinding[] {
  const app = g.apps[0];
  if (!ELEMENTWISE_SUM.has(app.layer.className)) return [];
  const check = g.checks[0];
  if (check.broadcastAxes.length === 0) return [];
  const shapes = app.inputs.map((t) => showShape(t.shape)).join(' and ');
  return [{
    rule: 'residual-broadcast',
    message: `${app.layer.factory} only works by broadcasting a size-1 axis. ${shapes} differ on axis ${check.broadcastAxes.join(', ')}, where one operand has size 1. ` +
      'tfjs stretches it silently; in a residual block this is almost always a missing projection.',
    file: app.at.file,
    range: rangeOf(app.at.sf, app.at.node),
  }];
}
