// `skipcheck train <file> --ablate plain[,no-bn]`: the model as written and each ablation twin, one trainer
// process per variant (at once when there are cores for them), each in its own run folder under one
// ablation folder, then one comparison report over all of them.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ablationReading } from '../../../../contract/comparison';
import { foldRun } from '../../../../contract/runState';
import type { TrainArgs } from '../cli';
import { driveTrainer, type DrivenRun, type Progress } from '../drive';
import type { TrainConfig, Variant } from '../../../../contract/protocol';
import { VARIANT_SHORT, writeComparison } from '../report/writeComparison';
import { depthArgs, findDepthParam, type DepthParam } from './depthParam';
import { writeReport } from '../report/writeReport';
import { VARIANT_LABELS } from './twin';

export function ablationDir(config: TrainConfig, now = new Date()): string {
  return config.outDir ?? join(config.workspaceDir ?? process.cwd(), '.skipcheck', 'ablations', now.toISOString().replace(/[:.]/g, '-'));
}

/** Runs `jobs` with at most `limit` at a time, results in job order. */
async function pool<T, R>(jobs: T[], limit: number, run: (job: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(jobs.length);
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const i = next++; results[i] = await run(jobs[i]); } };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

interface Job { label: string; variant: Variant; config: TrainConfig }

/** The jobs of an ablation: the model and each twin; with depths, that pair for every depth (He et al. Fig. 6). */
export function ablationJobs(args: TrainArgs, base: string, sweep?: { param: DepthParam; depths: number[] }): Job[] {
  const variants: Variant[] = ['residual', ...(args.ablate ?? []).filter((v) => v !== 'residual')];
  if (!sweep) return variants.map((variant) => ({ label: variant, variant, config: { ...args.config, variant, outDir: join(base, variant) } }));
  return sweep.depths.flatMap((d) => variants.map((variant) => ({
    label: `${variant === 'residual' ? 'resnet' : VARIANT_SHORT[variant]}-${d}`, variant,
    config: { ...args.config, variant, entryArgs: depthArgs(sweep.param, d), outDir: join(base, `depth${d}-${variant}`) },
  })));
}

export async function runAblation(args: TrainArgs, out: Progress): Promise<number> {
  const base = ablationDir(args.config);
  const c = args.config;
  let sweep: { param: DepthParam; depths: number[] } | undefined;
  if (args.depths) {
    const entry = c.entry;
    const param = entry ? findDepthParam(readFileSync(c.modelFile, 'utf8'), entry) : undefined;
    if (!param) {
      out.error(`skipcheck train: --depths needs a builder with a depth parameter (e.g. export function resnet(depth = 20) or resnet({ depth })); ` +
        `${entry ? `${entry}() has none` : 'name it with --entry'}.\n`);
      return 2;
    }
    sweep = { param, depths: args.depths };
  }
  const jobs = ablationJobs(args, base, sweep);
  const parallel = Math.max(1, Math.min(jobs.length, args.parallel ?? availableParallelism()));
  out.write(`Ablation: ${jobs.map((j) => sweep ? j.label : VARIANT_LABELS[j.variant]).join(' vs ')}; seed ${c.seed}, ${c.optimizer} lr ${c.learningRate}` +
    `${c.weightDecay ? `, weight decay ${c.weightDecay}` : ''}${c.lrDropEpochs?.length ? `, lr /10 at epoch ${c.lrDropEpochs.join(' and ')}` : ''}; ` +
    `${parallel > 1 ? `${parallel} trainer processes at once` : 'one trainer process at a time'}\n`);
  const width = Math.max(...jobs.map((j) => j.label.length));
  const runs: DrivenRun[] = await pool(jobs, parallel, (job) => driveTrainer(job.config, args.node, out, `[${job.label.padEnd(width)}] `));
  runs.forEach((r) => { if (r.runDir) writeReport(r.runDir); });
  const labelled = jobs.map((j, i) => ({ label: j.label, run: foldRun(runs[i].messages, false) }));
  out.write(`Reading: ${ablationReading(labelled[0], labelled.slice(1))}\n`);
  out.write(`Run folders: ${jobs.map((j) => j.config.outDir).join(', ')}\n`);
  out.write(`Comparison: ${writeComparison(base, jobs.map((j, i) => ({ variant: j.variant, label: sweep ? j.label : undefined, runDir: runs[i].runDir ?? j.config.outDir! })))}\n`);
  return runs.find((r) => r.code !== 0)?.code ?? 0;
}
