// residual-shape-mismatch, residual-broadcast and missing-same-padding: the operands of each merge.
import * as ts from 'typescript';
import type { Application } from '../graph/graph';
import { mergeCheck, type MergeCheck } from '../layers';
import { rangeOf, lineOf, lineOfLayer, showShape } from '../syntax/text';
import { type MergeSite, analyzeMerge, dimsAt, sizeText } from '../graph/branch';
import { describePath, validShrink } from './causes';
import type { RuleFinding } from './finding';

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
    const pad = paddingLayers(g, bad);
    findings.push({
      rule: 'residual-shape-mismatch',
      message: mismatchMessage(g, bad),
      file: site.app.at.file,
      range: rangeOf(site.app.at.sf, site.app.at.node),
      fix: { kind: 'merge-shapes', sites: g.sites, ok: g.ok, padding: pad, explainNoFix: site.app.layer.className !== 'Concatenate' },
      related: site.fork?.producer ? [{
        file: site.fork.producer.at.file,
        range: rangeOf(site.fork.producer.at.sf, site.fork.producer.at.node),
        message: `the residual block starts here (shape ${showShape(site.fork.shape)})`,
      }] : undefined,
    });
    for (const a of pad) {
      if (paddingSeen.has(a.layer.created.node)) continue;
      paddingSeen.add(a.layer.created.node);
      findings.push(paddingFinding(a, site));
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
  const causes = describePath(operands[site.branch].path, layout, concat);
  if (causes.length) msg += ` In the branch, ${causes.join('; ')}.`;
  const scPath = operands[site.shortcut];
  if (scPath.distance === 0) msg += ' The shortcut is identity.';
  else {
    const scCauses = describePath(scPath.path, layout, concat);
    if (scCauses.length) msg += ` On the shortcut, ${scCauses.join('; ')}.`;
  }
  if (g.apps.length > 1) {
    const frame = site.app.stack[site.app.stack.length - 1];
    const where = frame ? ` of ${frame.callee} (e.g. the call at line ${lineOf(frame.at.sf, frame.at.node)})` : '';
    msg += ` This happens in ${bad.length} of ${g.apps.length} calls${where}.`;
  }
  return msg;
}

function paddingFinding(a: Application, site: MergeSite): RuleFinding {
  const k = a.layer.config.kernelSize ?? a.layer.config.poolSize;
  const merge = site.app;
  return {
    rule: 'missing-same-padding',
    message: `${a.layer.factory}${Array.isArray(k) ? ` ${k.join('x')}` : typeof k === 'number' ? ` ${k}x${k}` : ''} at line ${lineOfLayer(a)} ` +
      `uses 'valid' padding${a.layer.config.padding === undefined ? ' (the tfjs default)' : ''} inside a residual branch: it shrinks ` +
      `${showShape(a.inputs[0]?.shape)} to ${showShape(a.outputs[0]?.shape)}, so the ${merge.layer.factory} at line ${lineOf(merge.at.sf, merge.at.node)} ` +
      `gets ${merge.inputs.map((t) => showShape(t.shape)).join(' and ')}. Use padding: 'same' to keep the size.`,
    file: a.layer.created.file,
    range: rangeOf(a.layer.created.sf, a.layer.created.node),
    fix: { kind: 'same-padding', layers: [a] },
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
    message: `${app.layer.factory} only works by broadcasting: ${shapes} differ on axis ${check.broadcastAxes.join(', ')} where one operand has size 1. ` +
      'tfjs stretches it silently; in a residual block this is almost always a missing projection.',
    file: app.at.file,
    range: rangeOf(app.at.sf, app.at.node),
  }];
}
