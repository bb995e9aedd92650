// An ablation's summary: one row per variant (params, final losses and accuracies, mean response std,
// samples/s), a one-line reading of the result, and what He et al. report to compare it with. Pure, so
// the panel, the comparison report and the CLI print the same figures.
import { type RunView } from './runState';

export interface VariantRow {
  label: string;
  variant: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed' | 'waiting';
  params?: number;
  epochs: number;
  loss?: number;
  acc?: number;
  valLoss?: number;
  valAcc?: number;
  /** Mean over the 3x3/dense responses of the last probe, projection shortcuts left out. */
  meanStd?: number;
  samplesPerSec?: number;
  error?: string;
}

export function variantOf(run: RunView): string {
  return run.start?.ablation?.variant ?? run.start?.config.variant ?? 'residual';
}

export function variantRow(label: string, run: RunView): VariantRow {
  const last = run.epochs.at(-1);
  const std = run.std.at(-1)?.layers.filter((l) => !l.projection) ?? [];
  const speeds = run.epochs.map((e) => e.samplesPerSec);
  return {
    label, variant: variantOf(run),
    status: run.error ? 'failed' : run.end ? run.end.reason : run.start ? 'running' : 'waiting',
    params: run.start?.model.params, epochs: run.epochs.length,
    loss: last?.loss, acc: last?.acc, valLoss: last?.valLoss, valAcc: last?.valAcc,
    meanStd: std.length ? std.reduce((s, l) => s + l.std, 0) / std.length : undefined,
    // The first epoch carries warm-up (and the graph-step recording): the median of the rest is the speed.
    samplesPerSec: speeds.length ? median(speeds.length > 1 ? speeds.slice(1) : speeds) : undefined,
    error: run.error?.message,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const f3 = (v: number) => (v >= 0.01 ? v.toFixed(v >= 10 ? 1 : v >= 1 ? 2 : 3) : v.toPrecision(2));

/**
 * "plain: training loss 0.41 vs 0.18 after 5 epochs; responses 1.9× larger", each ablation against the
 * residual run, compared at the last epoch both have finished.
 */
export function ablationReading(residual: { label: string; run: RunView }, others: { label: string; run: RunView }[]): string {
  const parts: string[] = [];
  for (const o of others) {
    if (o.run.error) { parts.push(`${o.label}: failed (${o.run.error.message})`); continue; }
    const n = Math.min(residual.run.epochs.length, o.run.epochs.length);
    if (n === 0) { parts.push(`${o.label}: no finished epoch yet`); continue; }
    const [r, p] = [residual.run.epochs[n - 1], o.run.epochs[n - 1]];
    const bits = [`training loss ${f3(p.loss)} vs ${f3(r.loss)} after ${n} epoch${n > 1 ? 's' : ''}`];
    if (p.valAcc !== undefined && r.valAcc !== undefined) bits.push(`validation accuracy ${(100 * p.valAcc).toFixed(1)} % vs ${(100 * r.valAcc).toFixed(1)} %`);
    const [rs, ps] = [variantRow('', residual.run).meanStd, variantRow('', o.run).meanStd];
    if (rs && ps) {
      const ratio = ps / rs;
      bits.push(ratio >= 1 ? `responses ${ratio.toFixed(1)}× larger` : `responses ${(1 / ratio).toFixed(1)}× smaller`);
    }
    parts.push(`${o.label}: ${bits.join('; ')}`);
  }
  return parts.join('. ');
}

/** Whether the run reproduces the direction the paper reports for the plain twin. */
export function agreesWithPaper(residual: RunView, plain: RunView): { loss?: boolean; responses?: boolean } {
  const n = Math.min(residual.epochs.length, plain.epochs.length);
  const [rs, ps] = [variantRow('', residual).meanStd, variantRow('', plain).meanStd];
  return {
    loss: n ? plain.epochs[n - 1].loss > residual.epochs[n - 1].loss : undefined,
    responses: rs !== undefined && ps !== undefined ? ps > rs : undefined,
  };
}

export const PAPER_CAPTION =
  'He et al. 2015 (Deep Residual Learning for Image Recognition): on CIFAR-10 and ImageNet the deeper plain ' +
  'networks have higher training error than the shallower ones, and the same networks with identity shortcuts ' +
  'train to lower error as they get deeper (Fig. 1, 4, 6) — the shortcut, not the depth, makes the difference. ' +
  'The std of the 3x3 layer responses (after BN, before the nonlinearity) is smaller in ResNets than in their ' +
  'plain counterparts (Fig. 7): residual functions stay closer to zero. Expect the plain twin to train slower ' +
  'and to show larger responses; the gap grows with depth and needs their recipe (SGD with momentum, lr 0.1).';

export const NO_BN_CAPTION =
  'Without BatchNormalization (Ioffe & Szegedy 2015) deep networks need a smaller learning rate and train ' +
  'slower; a residual network keeps training where a plain one without BN stalls.';
