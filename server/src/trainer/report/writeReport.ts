// report.html for a run folder. Preferred: the webview's own bundle inlined (the very charts of the live
// panel, built by contract/reportHtml.ts). When that bundle is not there (running from source, or a
// build without the webview) the static SVG page is written instead, so a report always exists.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildReportHtml } from '../../../../contract/reportHtml';
import { writeFileAtomic } from '../runDir';
import { groupMessages, readRunMessages } from './runRecord';
import { svgReportHtml } from './svgReport';

export const REPORT_FILE = 'report.html';

/** dist/webview.js (+ css) next to the running bundle, or in the repository's dist/ when run from source. */
export function findWebviewBundle(): { script: string; css: string } | undefined {
  for (const dir of [__dirname, join(__dirname, '..', '..', '..', '..', 'dist')]) {
    const script = join(dir, 'webview.js');
    if (!existsSync(script)) continue;
    const cssFile = [join(dir, 'webview.css'), join(dir, '..', 'webview', 'training.css')].find(existsSync);
    return { script: readFileSync(script, 'utf8'), css: cssFile ? readFileSync(cssFile, 'utf8') : '' };
  }
  return undefined;
}

export type ReportRenderer = 'webview' | 'svg';

export function writeReport(runDir: string, renderer: ReportRenderer = findWebviewBundle() ? 'webview' : 'svg'): string {
  const messages = readRunMessages(runDir);
  const start = groupMessages(messages).start;
  const title = `Skipcheck training report: ${start ? basename(start.config.modelFile) : basename(runDir)}`;
  const bundle = renderer === 'webview' ? findWebviewBundle() : undefined;
  const html = bundle ? buildReportHtml({ title, script: bundle.script, css: bundle.css, messages })
    : svgReportHtml(groupMessages(messages), title);
  const path = join(runDir, REPORT_FILE);
  writeFileAtomic(path, html);
  return path;
}
