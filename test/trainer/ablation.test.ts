// `skipcheck train --ablate plain` end to end: two trainer processes, two run folders, one comparison report
// showing both variants; plus the flags, the paper recipe and the reading line.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBackend } from '../../server/src/trainer/backend';
import { parseTrainArgs, runTrainCli } from '../../server/src/trainer/cli';
import { runTraining } from '../../server/src/trainer/train';
import { addWeightDecay } from '../../server/src/trainer/weightDecay';
import { depthArgs, findDepthParam } from '../../server/src/trainer/ablation/depthParam';
import { learningRateAt } from '../../server/src/trainer/config';
import { paperRecipe } from '../../contract/recipe';
import { askTrainer } from '../../client/src/training/trainerQuery';
import { nativeRuntimeStatus } from '../../server/src/native/status';
import { mnistDataDir } from '../../server/src/trainer/datasets/mnist';
import type { TrainerMessage } from '../../contract/protocol';
import { parseMetricLines } from '../../contract/metrics';
import { svgComparisonHtml } from '../../server/src/trainer/report/svgComparison';
import { ablationReading } from '../../contract/comparison';
import { foldRun } from '../../contract/runState';
import { RESIDUAL_MODEL, config, ofType, tempDir, writeModel } from './fixtures';

/** RESIDUAL_MODEL plus a second block that widens 4 -> 8 with a 1x1 projection shortcut. */
const PROJECTING = RESIDUAL_MODEL([8, 8, 1], 3).replace(`  x = tf.layers.globalAveragePooling2d`, `
  let z = conv(8).apply(x) as tf.SymbolicTensor;
  z = tf.layers.batchNormalization({ name: 'b2_bn1' }).apply(z) as tf.SymbolicTensor;
  const p = tf.layers.conv2d({ name: 'b2_proj', filters: 8, kernelSize: 1, useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'b2_add' }).apply([z, p]) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d`);

const TRAINER_SCRIPT = join(__dirname, '..', '..', 'dist', 'trainer.js');

describe('trainer: ablation (--ablate)', function () {
  this.timeout(240_000);

  it('parses --ablate with the paper recipe by default, and keeps flags the user set', () => {
    const a = parseTrainArgs(['m.ts', '--ablate', 'plain,no-bn', '--epochs', '8', '--samples', '300'], '/w');
    assert.deepEqual(a.ablate, ['plain', 'no-bn']);
    assert.deepEqual({ o: a.config.optimizer, lr: a.config.learningRate, wd: a.config.weightDecay, drops: a.config.lrDropEpochs },
      { o: 'momentum', lr: 0.1, wd: 1e-4, drops: [5, 7] });
    assert.deepEqual(a.config.dataset, { kind: 'synthetic', samples: 300 });
    const kept = parseTrainArgs(['m.ts', '--ablate', 'plain', '--optimizer', 'adam', '--lr', '0.002'], '/w').config;
    assert.deepEqual([kept.optimizer, kept.learningRate, kept.weightDecay], ['adam', 0.002, undefined]);
    assert.throws(() => parseTrainArgs(['m.ts', '--ablate', 'residual'], '/w'), /--ablate takes plain and\/or no-bn/);
    assert.throws(() => parseTrainArgs(['m.ts', '--dataset', 'mnist', '--samples', '10'], '/w'), /synthetic/);
    // the step schedule: lr 0.1 for epochs 1-4, 0.01 for 5-6, 0.001 for 7-8
    const c = { ...a.config, ...paperRecipe(8) };
    assert.deepEqual([1, 4, 5, 6, 7, 8].map((e) => +learningRateAt(c, e).toPrecision(3)), [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
  });

  it('writes one run folder per variant and one comparison report showing both', async () => {
    const dir = tempDir();
    const model = writeModel(dir, PROJECTING);
    const out: string[] = [];
    const err: string[] = [];
    const base = join(dir, 'ablation');
    const code = await runTrainCli([model, '--dataset', 'synthetic', '--samples', '96', '--epochs', '3', '--batch-size', '32', '--ablate', 'plain', '--out', base],
      { write: (l) => out.push(l), error: (l) => err.push(l), tty: false });
    const text = out.join('');
    assert.equal(code, 0, text + err.join(''));
    assert.deepEqual(readdirSync(base).sort(), ['comparison.html', 'plain', 'residual']);
    const runs = Object.fromEntries(['residual', 'plain'].map((v) => [v, parseMetricLines(readFileSync(join(base, v, 'metrics.jsonl'), 'utf8'))])) as Record<string, TrainerMessage[]>;
    for (const v of ['residual', 'plain']) {
      assert.ok(existsSync(join(base, v, 'report.html')), `${v}/report.html`);
      assert.equal(ofType(runs[v], 'end')[0]?.reason, 'completed', v);
      assert.equal(ofType(runs[v], 'epoch').length, 3);
    }
    const [r, p] = [ofType(runs.residual, 'start')[0], ofType(runs.plain, 'start')[0]];
    assert.equal(p.model.name, `${r.model.name}_plain`);
    assert.deepEqual(p.ablation && { removed: p.ablation.removed.sort(), projections: p.ablation.projections }, { removed: ['b1_add', 'b2_add'], projections: ['b2_proj'] });
    assert.equal(r.model.params - p.model.params, 4 * 8, 'the 1x1 projection (4 -> 8, no bias) is the only difference');
    // Same seed, same data order, same optimizer: the configs differ in the variant and folder only.
    const { variant: _a, outDir: _b, ...rc } = r.config;
    const { variant: _c, outDir: _d, ...pc } = p.config;
    assert.deepEqual(pc, rc);
    assert.equal(ofType(runs.plain, 'std')[0].blocks.length, 0, 'the plain twin has no residual block');
    assert.ok(ofType(runs.residual, 'std')[0].layers.some((l) => l.layer === 'b2_proj' && l.projection));

    assert.match(text, /^Reading: plain: training loss [\d.e-]+ vs [\d.e-]+ after 3 epochs/m);
    const html = readFileSync(join(base, 'comparison.html'), 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/, 'the report loads nothing from outside');
    const embedded = /<script type="application\/json" id="skipcheck-data">([\s\S]*?)<\/script>/.exec(html);
    if (embedded) {
      const data = JSON.parse(embedded[1]) as { messages: TrainerMessage[]; variants: { label: string; messages: TrainerMessage[] }[] };
      assert.equal(ofType(data.messages, 'start')[0].model.name, r.model.name);
      assert.deepEqual(data.variants.map((v) => v.label), ['plain']);
      assert.equal(ofType(data.variants[0].messages, 'start')[0].model.name, p.model.name);
    } else {
      assert.match(html, /data-variant="residual"[\s\S]*data-variant="plain"/);
    }

    // The extension host has the trainer program write the same page (it bundles no trainer code).
    const asked = join(dir, 'asked');
    mkdirSync(asked);
    const runsOf = (['residual', 'plain'] as const).map((variant) => ({ variant, runDir: join(base, variant) }));
    const answer = await askTrainer({ nodePath: process.execPath, trainerScript: TRAINER_SCRIPT, cwd: dir }, { query: 'comparison', dir: asked, runs: runsOf });
    assert.equal(answer.path, join(asked, 'comparison.html'));
    assert.equal(readFileSync(answer.path, 'utf8'), html, 'the same page as `skipcheck train --ablate` wrote');
    await assert.rejects(askTrainer({ nodePath: process.execPath, trainerScript: TRAINER_SCRIPT, cwd: dir }, { query: 'comparison', dir: asked, runs: [] }),
      /at least one run/);
  });

  it("answers the extension host's preflight question as the trainer's own lookups do", async () => {
    const dir = tempDir();
    const extensionDir = join(__dirname, '..', '..');
    const answer = await askTrainer({ nodePath: process.execPath, trainerScript: TRAINER_SCRIPT, cwd: dir }, { query: 'preflight', workspaceDir: dir, extensionDir });
    const native = nativeRuntimeStatus([dir, extensionDir]);
    let mnist = true;
    try { mnistDataDir(dir); } catch { mnist = false; }
    assert.deepEqual(answer, { native: { ready: native.ready, reason: native.reason }, mnist });
  });

  it('the seed fixes the initial weights: two runs with one seed train identically, another seed differs', async () => {
    const backend = await loadBackend();
    const dir = tempDir();
    const model = writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3));
    const losses = async (seed: number, name: string) => {
      const messages: TrainerMessage[] = [];
      const random = Math.random;
      await runTraining(config(model, dir, { seed, epochs: 1, outDir: join(dir, name), dataset: { kind: 'synthetic', samples: 64 } }), backend, (m) => messages.push(m));
      assert.equal(Math.random, random, 'Math.random is put back after the run');
      return ofType(messages, 'batch').map((b) => b.loss);
    };
    const [a, b, c] = [await losses(7, 'a'), await losses(7, 'b'), await losses(8, 'c')];
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('weight decay adds decay * w to the kernels\' gradients only (one SGD step against one without decay)', async () => {
    const { tf } = await loadBackend();
    const make = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'softmax' })] });
    const [plain, decayed] = [make(), make()];
    decayed.setWeights(plain.getWeights());
    const w0 = plain.getWeights().map((w) => Array.from(w.dataSync()));
    const sgd = () => tf.train.sgd(0.1);
    plain.compile({ optimizer: sgd(), loss: 'categoricalCrossentropy' });
    const opt = sgd();
    assert.equal(addWeightDecay(tf, decayed, opt, 0.5), 1, 'one kernel');
    decayed.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d([[1, 2, 3], [0, -1, 2]]);
    const y = tf.tensor2d([[1, 0], [0, 1]]);
    const [l1, l2] = [await plain.trainOnBatch(x, y), await decayed.trainOnBatch(x, y)];
    assert.equal(l1, l2, 'the reported loss is the data loss');
    const [k1, b1] = plain.getWeights().map((w) => Array.from(w.dataSync()));
    const [k2, b2] = decayed.getWeights().map((w) => Array.from(w.dataSync()));
    k2.forEach((v, i) => assert.ok(Math.abs(v - (k1[i] - 0.1 * 0.5 * w0[0][i])) < 1e-6, `kernel ${i}: ${v} vs ${k1[i] - 0.05 * w0[0][i]}`));
    assert.deepEqual(b2, b1, 'biases are not decayed');
    tf.dispose([x, y]);
    plain.dispose();
    decayed.dispose();
  });

  it('finds a builder\'s depth parameter, positional or in an options object, and only then', () => {
    assert.deepEqual(findDepthParam('export function resnet(depth = 20) {}', 'resnet'), { index: 0, name: 'depth' });
    assert.deepEqual(findDepthParam('export const resnet = (classes: number, { depth = 20, width = 16 } = {}) => 0;', 'resnet'), { index: 1, property: 'depth', name: 'depth' });
    assert.equal(findDepthParam('export function resnet(filters = 16) {}', 'resnet'), undefined);
    assert.equal(findDepthParam('function resnet(depth = 20) {}', 'resnet'), undefined, 'not exported');
    assert.deepEqual(depthArgs({ index: 1, property: 'depth', name: 'depth' }, 56), [null, { depth: 56 }]);
  });

  it('--depths trains every depth with its plain twin and compares all four (He et al. Fig. 6)', async () => {
    const dir = tempDir();
    const model = writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3)
      .replace('export function buildModel(): tf.LayersModel {', 'export function buildModel(depth = 1): tf.LayersModel {')
      .replace(/  let y = conv[\s\S]*?b1_add' \}\)\.apply\(\[x, y\]\) as tf\.SymbolicTensor;\n/, (block) =>
        `  for (let i = 0; i < depth; i++) {\n${block.replace(/name: '(b1_\w+)'/g, (_m, n) => `name: \`${n}_\${i}\``)}  }\n`));
    const out: string[] = [];
    const base = join(dir, 'sweep');
    const code = await runTrainCli([model, '--entry', 'buildModel', '--samples', '64', '--epochs', '1', '--depths', '1,2', '--out', base, '--parallel', '2'],
      { write: (l) => out.push(l), error: (l) => out.push(l), tty: false });
    assert.equal(code, 0, out.join(''));
    assert.deepEqual(readdirSync(base).sort(), ['comparison.html', 'depth1-plain', 'depth1-residual', 'depth2-plain', 'depth2-residual']);
    const start = (d: string) => ofType(parseMetricLines(readFileSync(join(base, d, 'metrics.jsonl'), 'utf8')), 'start')[0];
    const blocks = (d: string) => start(d).model.layers.filter((l) => l.className === 'Add').length;
    assert.deepEqual(['depth1-residual', 'depth2-residual', 'depth1-plain', 'depth2-plain'].map(blocks), [1, 2, 0, 0]);
    assert.ok(start('depth2-residual').model.params > start('depth1-residual').model.params);
    assert.deepEqual(start('depth2-plain').config.entryArgs, [2]);
    assert.match(out.join(''), /Reading: plain-1: training loss .*resnet-2: training loss .*plain-2: training loss/);
    const noDepth = await runTrainCli([writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3), 'flat.ts'), '--entry', 'buildModel', '--depths', '1,2'],
      { write: (l) => out.push(l), error: (l) => out.push(l), tty: false });
    assert.equal(noDepth, 2);
    assert.match(out.join(''), /--depths needs a builder with a depth parameter .*buildModel\(\) has none/);
  });

  it('the static comparison page has the table, the reading and the paper caption', () => {
    const epoch = (e: number, loss: number): TrainerMessage => ({ type: 'epoch', epoch: e, epochs: 2, loss, acc: 0.5, samplesPerSec: 10, seconds: 1 });
    const std = (v: number): TrainerMessage => ({ type: 'std', epoch: 2, blocks: [], layers: [
      { layer: 'a', measuredAt: 'a', afterActivation: false, std: v }, { layer: 'p', measuredAt: 'p', afterActivation: false, std: 50, projection: true }] });
    const residual = [epoch(1, 0.9), epoch(2, 0.18), std(1)];
    const plain = [epoch(1, 1.1), epoch(2, 0.41), std(1.9)];
    const reading = ablationReading({ label: 'residual', run: foldRun(residual) }, [{ label: 'plain', run: foldRun(plain) }]);
    assert.equal(reading, 'plain: training loss 0.410 vs 0.180 after 2 epochs; responses 1.9× larger');
    const html = svgComparisonHtml('t', [{ label: 'residual', variant: 'residual', messages: residual }, { label: 'plain', variant: 'plain', messages: plain }]);
    assert.match(html, /data-variant="residual"[\s\S]*data-variant="plain"/);
    assert.ok(html.includes(reading));
    assert.match(html, /He et al\. 2015/);
  });
});
