// A training WebviewPanel: one per model file and entry (a new run of the same model reuses it), restorable
// after a reload (then it shows the last state, not live).
import * as vscode from 'vscode';
import type { PanelCommand, PanelMessage } from '../../../contract/panel';
import { buildPanelHtml, makeNonce } from './html';

export const panelViewType = 'skipcheck.training';

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // The chart state lives in the page; rebuilding it every time the tab is hidden would drop live points.
    retainContextWhenHidden: true,
    // The bundle and its stylesheet are all the page may load.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

function setHtml(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, restored: boolean): void {
  const webview = panel.webview;
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  webview.html = buildPanelHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    nonce: makeNonce(),
    title: panel.title,
    restored,
  });
}

export class TrainingPanel implements vscode.Disposable {
  private ready = false;
  private readonly queue: PanelMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private cancelHandler?: () => void;
  private closeHandler?: () => void;
  private revealLayerHandler?: (layer: string) => void;
  private compareHandler?: () => void;
  private disposed = false;

  private constructor(readonly panel: vscode.WebviewPanel) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: PanelCommand) => {
        if (m?.type === 'ready') this.flush();
        else if (m?.type === 'cancel') this.cancelHandler?.();
        else if (m?.type === 'reveal-layer' && typeof m.layer === 'string') this.revealLayerHandler?.(m.layer);
        else if (m?.type === 'compare-plain') this.compareHandler?.();
      }),
      panel.onDidDispose(() => {
        this.disposed = true;
        this.closeHandler?.();
        vscode.Disposable.from(...this.disposables).dispose();
      }),
    );
  }

  static create(extensionUri: vscode.Uri, title: string): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(panelViewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(extensionUri));
    setHtml(panel, extensionUri, false);
    return new TrainingPanel(panel);
  }

  /** For the serializer: the page restores its own saved state; nothing is attached to it any more. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): TrainingPanel {
    panel.webview.options = panelOptions(extensionUri);
    setHtml(panel, extensionUri, true);
    return new TrainingPanel(panel);
  }

  onCancel(handler: () => void): void {
    this.cancelHandler = handler;
  }

  onClose(handler: () => void): void {
    this.closeHandler = handler;
  }

  onRevealLayer(handler: (layer: string) => void): void {
    this.revealLayerHandler = handler;
  }

  onComparePlain(handler: () => void): void {
    this.compareHandler = handler;
  }

  /** Shown in its editor group (a run ending while it is hidden gets a notification instead). */
  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  /** Messages posted before the page has loaded would be lost, so they wait for its 'ready'. */
  post(message: PanelMessage): void {
    if (this.disposed) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  get closed(): boolean {
    return this.disposed;
  }

  reveal(): void {
    if (!this.disposed) this.panel.reveal(undefined, true);
  }

  dispose(): void {
    if (!this.disposed) this.panel.dispose();
  }

  private flush(): void {
    this.ready = true;
    for (const m of this.queue.splice(0)) void this.panel.webview.postMessage(m);
  }
}
