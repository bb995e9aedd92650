// `skipcheck train <file> --ablate plain[,no-bn]`: the model as written and each ablation twin, one trainer
// process per variant (at once when there are cores for them), each in its own run folder under one
// ablation folder, then one comparison report over all of them.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ablationReading } from '../../../../contract/comparison';
import { foldRun } from '../../../../contract/runState';
import type { TrainArgs } from '../cli';
import { driveTrainer, type DrivenRun, type Progress } from '../drive';
import type { TrainConfig, Variant } from '../../../../contract/protocol';
import { writeComparison } from '../report/writeComparison';
import { writeReport } from '../report/writeReport';
import { VARIANT_LABELS } from './twin';

export function ablationDir(config: TrainConfig, now = new Date()): string {
  return config.outDir ?? join(config.workspaceDir ?? process.cwd(), '.skipcheck', 'ablations', now.toISOString().replace(/[:.]/g, '-'));
}

/** Runs `jobs` with at most `limit` at a time, results in job order. */
async function pool<T, R>(jobs: T[], limit: number, run: (job: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const i = next++; results[i] = await run(jobs[i]); } };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

export async function runAblation(args: TrainArgs, out: Progress): Promise<number> {
  const variants: Variant[] = ['residual', ...(args.ablate ?? []).filter((v) => v !== 'residual')];
  const base = ablationDir(args.config);
  const c = args.config;
  const parallel = Math.max(1, Math.min(variants.length, args.parallel ?? availableParallelism()));
  out.write(`Ablation: ${variants.map((v) => VARIANT_LABELS[v]).join(' vs ')}; seed ${c.seed}, ${c.optimizer} lr ${c.learningRate}` +
    `${c.weightDecay ? `, weight decay ${c.weightDecay}` : ''}${c.lrDropEpochs?.length ? `, lr /10 at epoch ${c.lrDropEpochs.join(' and ')}` : ''}; ` +
    `${parallel > 1 ? `${parallel} trainer processes at once` : 'one trainer process at a time'}\n`);
  const width = Math.max(...variants.map((v) => v.length));
  const runs: DrivenRun[] = await pool(variants, parallel, (variant) =>
    driveTrainer({ ...c, variant, outDir: join(base, variant) }, args.node, out, `[${variant.padEnd(width)}] `));
  runs.forEach((r) => { if (r.runDir) writeReport(r.runDir); });
  const labelled = variants.map((v, i) => ({ label: v, run: foldRun(runs[i].messages, false) }));
  out.write(`Reading: ${ablationReading(labelled[0], labelled.slice(1))}\n`);
  out.write(`Run folders: ${variants.map((v) => join(base, v)).join(', ')}\n`);
  out.write(`Comparison: ${writeComparison(base, variants.map((v, i) => ({ variant: v, runDir: runs[i].runDir ?? join(base, v) })))}\n`);
  return runs.find((r) => r.code !== 0)?.code ?? 0;
}
