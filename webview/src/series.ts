// Turns folded runs into chart-ready tables (x values plus aligned series). Pure, so it is testable in Node
// and shared by the live panel and the HTML report.
import { displayEpoch, type BatchPoint, type RunView } from '../../contract/runState';

export interface LabelledRun { label: string; run: RunView }

/**
 * Palette slots (theme.ts): the run itself draws training in slot 0 and validation in slot 1, its batches in
 * the grey BATCH_SLOT; each overlaid run (ablation variant or earlier run) gets one slot from
 * OVERLAY_SLOTS, training solid and validation dashed, the same slot in every chart.
 */
export const TRAIN_SLOT = 0;
export const VALIDATION_SLOT = 1;
export const BATCH_SLOT = 6;
export const OVERLAY_SLOTS = [2, 3, 4, 5];
export const overlaySlot = (i: number): number => OVERLAY_SLOTS[i % OVERLAY_SLOTS.length];

export interface SeriesSpec {
  label: string;
  /** Palette slot (see TRAIN_SLOT and the others above). */
  color: number;
  dash?: number[];
  width?: number;
  /** Draw markers at data points (sparse, per-epoch or per-layer data). */
  points?: boolean;
  values: (number | null)[];
}

export interface ChartTable {
  x: number[];
  series: SeriesSpec[];
  /** Hover text for an x value (e.g. the layer name). */
  xNames?: string[];
}

type Point = [x: number, y: number | undefined];

const validationDash = [6, 4];
const historyDash = [2, 3];

/** Puts series sampled at different x onto one sorted x axis, with nulls where a series has no value. */
export function align(columns: Point[][]): { x: number[]; values: (number | null)[][] } {
  const x = [...new Set(columns.flatMap((c) => c.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const values = columns.map((c) => {
    const row = new Array<number | null>(x.length).fill(null);
    for (const [px, py] of c) if (py !== undefined && Number.isFinite(py)) row[index.get(px)!] = py;
    return row;
  });
  return { x, values };
}

function table(specs: SpecWithData[], xNames?: (x: number[]) => string[]): ChartTable {
  const kept = specs.filter((s) => s.data.some((p) => p[1] !== undefined && Number.isFinite(p[1])));
  const { x, values } = align(kept.map((s) => s.data));
  return { x, series: kept.map(({ data: _data, ...s }, i) => ({ ...s, values: values[i] })), xNames: xNames?.(x) };
}

function epochPoints(run: RunView, pick: (e: Epoch) => number | undefined): Point[] {
  return run.epochs.map((e) => [displayEpoch(run, e.epoch), pick(e)]);
}

type Epoch = RunView['epochs'][number];
type SpecWithData = Omit<SeriesSpec, 'values'> & { points: boolean; data: Point[] };

/** A run's own metric: per batch (thin), and per epoch for training and validation (dashed). */
function ownSeries(run: RunView, metric: string, batch: (b: BatchPoint) => number | undefined,
  train: (e: Epoch) => number | undefined, val: (e: Epoch) => number | undefined): SpecWithData[] {
  return [
    { label: `batch ${metric}`, color: BATCH_SLOT, width: 1, points: false, data: run.batches.map((b) => [b.x, batch(b)]) },
    { label: `train ${metric}`, color: TRAIN_SLOT, width: 2, points: true, data: epochPoints(run, train) },
    { label: `val ${metric}`, color: VALIDATION_SLOT, width: 2, dash: validationDash, points: true, data: epochPoints(run, val) },
  ];
}

function historyVal(h: LabelledRun, i: number, val: (e: Epoch) => number | undefined): SpecWithData {
  return { label: `${h.label} val`, color: overlaySlot(i), width: 1.5, dash: validationDash, points: true, data: epochPoints(h.run, val) };
}

/** Live losses plus, for history runs, their per-epoch training and validation loss. */
export function lossTable(current: LabelledRun, history: LabelledRun[]): ChartTable {
  return table([
    ...ownSeries(current.run, 'loss', (b) => b.loss, (e) => e.loss, (e) => e.valLoss),
    ...history.flatMap((h, i) => [
      { label: `${h.label} train`, color: overlaySlot(i), width: 2, points: true, data: epochPoints(h.run, (e) => e.loss) },
      historyVal(h, i, (e) => e.valLoss),
    ]),
  ]);
}

export function accuracyTable(current: LabelledRun, history: LabelledRun[]): ChartTable {
  return table([
    ...ownSeries(current.run, 'acc', (b) => b.acc, (e) => e.acc, (e) => e.valAcc),
    ...history.flatMap((h, i) => [
      { label: `${h.label} train`, color: overlaySlot(i), width: 2, points: true, data: epochPoints(h.run, (e) => e.acc) },
      historyVal(h, i, (e) => e.valAcc),
    ]),
  ]);
}

export function throughputTable(current: LabelledRun, history: LabelledRun[]): ChartTable {
  return table([current, ...history].map((h, i) => ({
    label: i === 0 ? 'samples/s' : `${h.label}`, color: i === 0 ? TRAIN_SLOT : overlaySlot(i - 1), width: i === 0 ? 2 : 1.5, points: true,
    dash: i === 0 ? undefined : historyDash, data: epochPoints(h.run, (e) => e.samplesPerSec),
  })));
}

/** The latest per-layer response std of a run. */
export function latestStd(run: RunView): RunView['std'][number] | undefined {
  return run.std.at(-1);
}

/**
 * He et al. 2015, Fig. 7: std of each conv/dense response, x = layer index (1-based), either in layer order
 * or each run sorted by magnitude, descending. Runs with different depths share the axis.
 */
export function stdTable(current: LabelledRun, history: LabelledRun[], sorted: boolean, currentLabel = 'this run'): ChartTable {
  const runs = [current, ...history];
  // With overlays, position k is the k-th 3x3/dense layer of every run: projection shortcuts have no
  // counterpart in the plain twin and are left out so the layers line up.
  const layersOf = (r: LabelledRun) => {
    const layers = (latestStd(r.run)?.layers ?? []).filter((l) => history.length === 0 || !l.projection);
    return sorted ? [...layers].sort((a, b) => b.std - a.std) : layers;
  };
  const names = layersOf(current).map((l) => l.layer);
  return table(
    runs.map((r, i) => ({
      label: i === 0 ? currentLabel : r.label, color: i === 0 ? TRAIN_SLOT : overlaySlot(i - 1), width: i === 0 ? 2 : 1.5, points: true,
      dash: i === 0 ? undefined : historyDash,
      data: layersOf(r).map((l, k): Point => [k + 1, l.std]),
    })),
    (x) => x.map((v) => names[v - 1] ?? ''),
  );
}

const signalMetrics = [
  ['avg channel squared mean', 'avgChannelSquaredMean'],
  ['avg channel variance', 'avgChannelVariance'],
  ['residual branch variance', 'residualBranchVariance'],
] as const;

/** Brock et al. 2021 signal propagation: three statistics per residual block; colour = statistic, dash = run. */
export function signalTable(current: LabelledRun, history: LabelledRun[]): ChartTable {
  const runs = [current, ...history];
  const names = (latestStd(current.run)?.blocks ?? []).map((b) => b.block);
  return table(
    runs.flatMap((r, i) => signalMetrics.map(([label, key], m) => ({
      label: i === 0 ? label : `${r.label} ${label}`, color: m, width: i === 0 ? 2 : 1.5, points: true,
      dash: i === 0 ? undefined : i === 1 ? historyDash : validationDash,
      data: (latestStd(r.run)?.blocks ?? []).map((b, k): Point => [k + 1, b[key]]),
    }))),
    (x) => x.map((v) => names[v - 1] ?? ''),
  );
}
