// The parts of export and distributed training that need no Python: command lines, the settings literal
// the script is generated with, TF_CONFIG, following a file another process appends to, and the CLI's
// answer to a model Keras cannot take.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execTool } from '../../server/src/native/exec';
import { LineFollower } from '../../server/src/distributed/followLines';
import { freeLoopbackPorts, tfConfig } from '../../server/src/distributed/localCluster';
import { splitExportArgs } from '../../server/src/export/cli';
import { pythonLiteral } from '../../server/src/export/trainingScript';
import { ConfigError } from '../../server/src/trainer/config';
import { parseTrainArgs } from '../../server/src/trainer/cli';
import { tempDir, writeModel } from '../trainer/fixtures';

describe('scale-out: pieces without Python', () => {
  it('parses train --distributed and export options, refusing what makes no sense', () => {
    const { config } = parseTrainArgs(['m.ts', '--distributed', '3', '--python', '/usr/bin/python3', '--epochs', '2'], '/w');
    assert.deepEqual(config.distributed, { workers: 3, python: '/usr/bin/python3' });
    assert.equal(parseTrainArgs(['m.ts'], '/w').config.distributed, undefined);
    assert.throws(() => parseTrainArgs(['m.ts', '--distributed', 'two'], '/w'), /needs a number of workers/);
    assert.throws(() => parseTrainArgs(['m.ts', '--distributed', '0'], '/w'), /from 1 to 64/);
    assert.throws(() => parseTrainArgs(['m.ts', '--python', 'py'], '/w'), /add --distributed/);

    assert.deepEqual(splitExportArgs(['m.ts', '--to', 'keras', '--out', 'x', '--epochs', '3'], '/w'), { argv: ['m.ts', '--epochs', '3'], outDir: '/w/x', python: undefined });
    assert.throws(() => splitExportArgs(['m.ts', '--out', 'x'], '/w'), (e: unknown) => e instanceof ConfigError && /--to keras is required/.test(e.message));
    assert.throws(() => splitExportArgs(['m.ts', '--to', 'onnx', '--out', 'x'], '/w'), /only --to keras/);
    assert.throws(() => splitExportArgs(['m.ts', '--to', 'keras'], '/w'), /--out <dir> is required/);
  });

  it('writes settings as a Python literal that Python reads back as the same data', async () => {
    const value = { a: null, b: true, c: false, d: [1, 2.5, -3e-7], e: 'quote " and \\\\ and é', nested: { list: Array.from({ length: 30 }, (_, i) => ({ i })) } };
    const r = await execTool('python3', ['-c', `import json, sys\nv = ${pythonLiteral(value)}\nprint(json.dumps(v))`]);
    if (r.error) return; // no python3 on this machine: nothing to compare with
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), value);
    assert.equal(pythonLiteral(Infinity), "float('inf')");
  });

  it('gives each local worker a TF_CONFIG listing all of them on loopback, with its own index', async () => {
    const ports = await freeLoopbackPorts(3);
    assert.equal(new Set(ports).size, 3);
    const c = JSON.parse(tfConfig(ports, 2));
    assert.deepEqual(c.cluster.worker, ports.map((p) => `127.0.0.1:${p}`));
    assert.deepEqual(c.task, { type: 'worker', index: 2 });
  });

  it('follows a file line by line, holding back a line still being written', () => {
    const file = join(tempDir('skipcheck-follow-'), 'metrics.jsonl');
    const lines: string[] = [];
    const f = new LineFollower(file, (l) => lines.push(l), 60_000);
    f.poll(); // not there yet
    writeFileSync(file, '{"a":1}\n{"b":');
    f.poll();
    assert.deepEqual(lines, ['{"a":1}']);
    appendFileSync(file, '2}\n');
    f.stop();
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  });

  it('`skipcheck export` names the custom layer it refuses and exits 1', async function () {
    this.timeout(60_000);
    const dir = tempDir('skipcheck-export-cli-');
    const model = writeModel(dir, `
import * as tf from '@tensorflow/tfjs';
class Doubler extends tf.layers.Layer {
  static className = 'Doubler';
  call(x: tf.Tensor | tf.Tensor[]) { return tf.mul(Array.isArray(x) ? x[0] : x, 2); }
}
export function build(): tf.LayersModel {
  const input = tf.input({ shape: [3] });
  const y = new Doubler({ name: 'twice' }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(y) as tf.SymbolicTensor });
}`);
    const r = await execTool(process.execPath, [join(__dirname, '../../bin/skipcheck.js'), 'export', model, '--to', 'keras', '--out', join(dir, 'out'), '--python', '/nonexistent/python']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /uses layers Keras cannot rebuild: twice \(Doubler\)/);
  });
});
