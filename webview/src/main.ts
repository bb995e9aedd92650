// Entry of dist/webview.js (browser IIFE). Inside VS Code it follows a live run; in a plain page it renders
// the embedded messages once. The CSS imports become dist/webview.css next to it.
import 'uplot/dist/uPlot.min.css';
import '../training.css';
import { renderReport } from './charts';
import { el } from './dom';
import { readEmbeddedData, throttle, vsCodeApi, type VsCodeApi } from './host';
import { asPanelMessage } from '../../contract/panel';
import { isViewState, TrainingView } from './view';

const rootId = 'skipcheck-root';

function rootElement(): HTMLElement {
  let root = document.getElementById(rootId);
  if (!root) {
    root = el('div', '');
    root.id = rootId;
    document.body.append(root);
  }
  return root;
}

function startPanel(vscode: VsCodeApi, root: HTMLElement): void {
  // The extension marks a panel brought back by its serializer: no process is attached any more.
  const restored = document.body.dataset.mode === 'restored';
  const persist = throttle<unknown>(300, (s) => vscode.setState(s));
  const view = new TrainingView(root, {
    live: !restored,
    restored,
    onStop: () => vscode.postMessage({ type: 'cancel' }),
    onStateChange: persist,
    onRevealLayer: (layer) => vscode.postMessage({ type: 'reveal-layer', layer }),
    onComparePlain: () => vscode.postMessage({ type: 'compare-plain' }),
  });
  const saved = vscode.getState();
  if (isViewState(saved)) view.load(saved);
  else view.renderNow();
  window.addEventListener('message', (event) => {
    const message = asPanelMessage(event.data);
    if (message) view.receive(message);
  });
  vscode.postMessage({ type: 'ready' });
}

function startReport(root: HTMLElement): void {
  try {
    const data = readEmbeddedData(document);
    if (data) renderReport(root, data.messages, { history: data.history, variants: data.variants });
  } catch (e) {
    root.replaceChildren(el('p', 'sc-error', `Could not read the run data: ${(e as Error).message}`));
  }
}

function boot(): void {
  const vscode = vsCodeApi();
  const root = rootElement();
  if (vscode) startPanel(vscode, root);
  else startReport(root);
}

// Plain pages may also drive the view themselves.
(window as unknown as { skipcheck: object }).skipcheck = { renderReport };

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
