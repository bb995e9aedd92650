// "Train across machines…": what TF_CONFIG is, and how many local workers the try-out starts. The run
// itself is an ordinary training run whose program is dist/distributed.js (server/src/distributed/).
import * as vscode from 'vscode';

export const trainAcrossMachinesCommand = 'skipcheck.trainAcrossMachines';

const EXPLANATION =
  'Skipcheck exports your model to Keras (checked against tfjs on a probe batch) and writes train_distributed.py next to it. ' +
  'That script trains with TensorFlow\'s MultiWorkerMirroredStrategy: one process per machine, all running the same script on the same data, ' +
  'each started with a TF_CONFIG environment variable that lists every worker\'s host:port and gives its own index, e.g.\n\n' +
  'TF_CONFIG=\'{"cluster": {"worker": ["host0:12345", "host1:12345"]}, "task": {"type": "worker", "index": 0}}\'\n\n' +
  'The try-out starts the workers on this machine (127.0.0.1) and follows worker 0 in the training panel; the trained model comes back in tfjs format. ' +
  'Needs Python 3.9-3.12: TensorFlow, tf-keras and the tfjs converter are installed from PyPI into ~/.cache/skipcheck-native on first use.';

/** Explains the setup and asks for the number of local workers; undefined when the user backs out. */
export async function askLocalWorkers(): Promise<number | undefined> {
  const start = 'Start local workers…';
  const docs = 'How to run on real machines';
  const answer = await vscode.window.showInformationMessage('Train across machines with tf.distribute', { modal: true, detail: EXPLANATION }, start, docs);
  if (answer === docs) {
    await vscode.env.openExternal(vscode.Uri.parse('https://www.tensorflow.org/tutorials/distribute/multi_worker_with_keras'));
    return undefined;
  }
  if (answer !== start) return undefined;
  const text = await vscode.window.showInputBox({
    title: 'Local workers for the try-out',
    prompt: 'Each worker is a Python process on 127.0.0.1 with its own TF_CONFIG index. On one machine they share its CPUs/GPUs.',
    value: '2',
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 16 ? undefined : 'A whole number from 1 to 16'),
  });
  return text === undefined ? undefined : Number(text);
}
