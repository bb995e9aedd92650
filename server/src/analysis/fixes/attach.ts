// The fixes stage: turns what each rule asked for into concrete edits, after all rules have run, and gives
// each finding its rule's severity from the registry.
import type { RuleFinding } from '../rules/finding';
import { RULES } from '../rules/registry';
import { setProperty } from './edits';
import type { Finding, Fix } from '../types';
import { moveActivationFix } from './activation';
import { cropFix } from './crop';
import { paddingFix } from './padding';
import { projectionFixes } from './projection';
import { markAlternatives } from './verify';

export function attachFixes(findings: RuleFinding[]): Finding[] {
  return findings.map((f) => {
    const { fixes, noFix } = fixesFor(f);
    // Same keys in the same order as a finding built in one go: hosts and tests print them as JSON.
    const out: Finding = { rule: f.rule, severity: RULES[f.rule].severity, message: noFix ? `${f.message} No projection fix: ${noFix}.` : f.message, file: f.file, range: f.range, fixes };
    if ('related' in f) out.related = f.related;
    if (f.symbolic) out.symbolic = true;
    return out;
  });
}

/** The fixes for one finding and, when a shape error gets none, why (said in the message). */
function fixesFor(f: RuleFinding): { fixes: Fix[]; noFix?: string } {
  const req = f.fix;
  switch (req?.kind) {
    case undefined: return { fixes: [] };
    case 'merge-shapes': {
      const padFix = req.padding.length ? paddingFix(req.padding) : undefined;
      const proj = projectionFixes(req.sites, req.ok);
      const fixes: Fix[] = [];
      if (padFix) fixes.push({ ...padFix, isPreferred: true });
      const crop = cropFix(req.sites, req.ok);
      if (crop) fixes.push({ ...crop, isPreferred: !padFix });
      if (Array.isArray(proj)) {
        const offered = proj.map((p) => ({ ...p, isPreferred: !padFix }));
        markAlternatives(offered);
        fixes.push(...offered);
      }
      return { fixes, noFix: !Array.isArray(proj) && !padFix && !crop && req.explainNoFix ? proj.reason : undefined };
    }
    case 'same-padding': {
      const fix = paddingFix(req.layers);
      return { fixes: fix ? [{ ...fix, isPreferred: true }] : [] };
    }
    case 'no-bias': {
      const { layer } = req;
      if (!layer.configNode) return { fixes: [] };
      return { fixes: [{ title: 'Set useBias: false', file: layer.created.file, isPreferred: true, edits: [setProperty(layer.created.sf, layer.configNode, 'useBias', 'false')] }] };
    }
    case 'move-activation': {
      const fix = moveActivationFix(req.layer, req.bn, req.apps);
      return { fixes: fix ? [fix] : [] };
    }
  }
}
