// The HTML of a training panel. Strict CSP: no remote content, scripts only with this page's nonce,
// styles only from the extension's dist/ folder (or with the nonce).
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../../contract/escape';

export interface PanelHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri of dist/webview.js and dist/webview.css, as strings. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
  /** Brought back by the serializer after a reload: no process is attached. */
  restored?: boolean;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function buildPanelHtml(o: PanelHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${escapeHtml(o.nonce)}">
</head>
<body data-mode="${o.restored ? 'restored' : 'live'}">
<div id="skipcheck-root"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
