// comparison.html for an ablation folder: the model as written and its twins in one page. Preferred: the
// webview bundle (the panel's charts, with the comparison table); without it a static SVG page.
import { join } from 'node:path';
import { buildReportHtml } from '../../../../contract/reportHtml';
import type { TrainerMessage, Variant } from '../../../../contract/protocol';
import { writeFileAtomic } from '../runDir';
import { readRunMessages } from './runRecord';
import { svgComparisonHtml } from './svgComparison';
import { findWebviewBundle, type ReportRenderer } from './writeReport';

export const COMPARISON_FILE = 'comparison.html';

export const VARIANT_SHORT: Record<Variant, string> = { residual: 'residual', plain: 'plain', 'no-bn': 'no BN' };

export interface VariantRun { variant: Variant; runDir: string; /** Default: the variant's short name. */ label?: string }

function messagesOf(runDir: string): TrainerMessage[] {
  try { return readRunMessages(runDir); } catch { return []; }
}

export function writeComparison(dir: string, runs: VariantRun[], renderer: ReportRenderer = findWebviewBundle() ? 'webview' : 'svg'): string {
  const labelled = runs.map((r) => ({ label: r.label ?? VARIANT_SHORT[r.variant], variant: r.variant, messages: messagesOf(r.runDir) }));
  const start = labelled[0].messages.find((m): m is Extract<TrainerMessage, { type: 'start' }> => m.type === 'start');
  const title = `Skipcheck ablation: ${start ? `${start.model.name}` : 'model'} vs ${labelled.slice(1).map((l) => l.label).join(', ')}`;
  const bundle = renderer === 'webview' ? findWebviewBundle() : undefined;
  const html = bundle
    ? buildReportHtml({ title, script: bundle.script, css: bundle.css, messages: labelled[0].messages, variants: labelled.slice(1) })
    : svgComparisonHtml(title, labelled);
  const path = join(dir, COMPARISON_FILE);
  writeFileAtomic(path, html);
  return path;
}
