// Assembles the self-contained report page (`skipcheck train` writes it as report.html): dist/webview.js and
// dist/webview.css inlined, the run's messages embedded as JSON. Pure string work, usable from Node.
import { escapeHtml } from './escape';
import type { HistoryRun, TrainerMessage } from './panel';

export interface ReportPage {
  title: string;
  /** Contents of dist/webview.js. */
  script: string;
  /** Contents of dist/webview.css. */
  css: string;
  messages: readonly TrainerMessage[];
  history?: readonly HistoryRun[];
  /** Ablation variants compared with `messages` (the comparison report). */
  variants?: readonly HistoryRun[];
}

/** `<` never appears raw, so no `</script>` or `<!--` inside the data can end the element early. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function buildReportHtml(page: ReportPage): string {
  const data = embedJson({ messages: page.messages, history: page.history ?? [], ...(page.variants?.length ? { variants: page.variants } : {}) });
  // A report opened from disk must not fetch anything: everything it needs is inline.
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${page.css.replace(/<\/style/gi, '<\\/style')}</style>`,
    '</head>',
    '<body>',
    '<div id="skipcheck-root"></div>',
    `<script type="application/json" id="skipcheck-data">${data}</script>`,
    `<script>${page.script.replace(/<\/script/gi, '<\\/script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
