// Layer names in the panel link to their source (matched by layerMatch.ts), revealed in an editor.
import * as vscode from 'vscode';
import type { TrainerMessage } from '../../../contract/protocol';
import { matchLayer, type SourceLayer } from './layerMatch';

export type { SourceLayer };

/** Asks the language server for the layers of an entry's model (`skipcheck/entryLayers`). */
export type LayerProvider = (uri: string, entry: string) => Promise<SourceLayer[]>;
let provider: LayerProvider | undefined;

export function setLayerProvider(p: LayerProvider | undefined): void { provider = p; }

export async function revealLayer(uri: vscode.Uri, entry: string, layer: string, start?: Extract<TrainerMessage, { type: 'start' }>): Promise<void> {
  // An ablation twin is named <model>_plain but keeps the layer names of the model as written.
  let source: SourceLayer[] = [];
  try { source = provider ? await provider(uri.toString(), entry) : []; } catch { /* server down: say so below */ }
  const hit = start && matchLayer(start.model.layers, source, layer);
  if (!hit) {
    void vscode.window.showInformationMessage(`Skipcheck: cannot place ${layer} in the source (the analysis of ${entry}() does not line up with the trained model).`);
    return;
  }
  const position = new vscode.Position(hit.line, hit.character);
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(hit.file), { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
