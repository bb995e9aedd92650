// The figures a finished run ends on, worded once for the panel header, the report and the CLI: the last
// epoch's training and validation loss/accuracy and the dataset's test set (MNIST t10k) when it has one.
import type { TestFigures } from './protocol';

/** What it needs of a run (the panel's RunView, the report's RunRecord). */
interface EndedRun {
  epochs: readonly { epoch: number; loss: number; acc?: number; valLoss?: number; valAcc?: number }[];
  end?: { test?: TestFigures };
}

const pct = (x: number | undefined) => (x === undefined ? '' : `, accuracy ${(100 * x).toFixed(1)} %`);

/** "test (mnist t10k, all 10,000 samples): loss 0.0812, accuracy 97.4 %" */
export function testFigures(t: TestFigures): string {
  const which = t.samples < t.of ? `${t.samples.toLocaleString('en-US')} of ${t.of.toLocaleString('en-US')} samples` : `all ${t.of.toLocaleString('en-US')} samples`;
  return `test (${t.name}, ${which}): loss ${t.loss.toFixed(4)}${pct(t.acc)}`;
}

/** The final figures of an ended run, or undefined while it runs (or when it ended before an epoch). */
export function finalFigures(run: EndedRun): string | undefined {
  const last = run.epochs.at(-1);
  if (!run.end || !last) return undefined;
  const parts = [`training loss ${last.loss.toFixed(4)}${pct(last.acc)}`];
  if (last.valLoss !== undefined) parts.push(`validation loss ${last.valLoss.toFixed(4)}${pct(last.valAcc)}`);
  if (run.end.test) parts.push(testFigures(run.end.test));
  return `Final (epoch ${last.epoch}): ${parts.join(' · ')}`;
}
