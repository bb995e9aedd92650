// The CLI as users and CI run it: the bundled bin, real files, exit codes, the three output formats and --fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildWithTfjs } from '../support/groundTruth';
import { RULES, RULE_IDS } from '../../server/src/analysis/rules/registry';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'skipcheck.js');
const BROKEN = path.join(ROOT, 'examples', 'broken-block.ts');

function skipcheck(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('skipcheck CLI', function () {
  this.timeout(120_000);
  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
  });

  it('prints path:line:col severity rule message and exits 1 on error findings', () => {
    const r = skipcheck(['examples/broken-block.ts']);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^examples\/broken-block\.ts:\d+:\d+ (error|warning|info) [a-z-]+ .+/);
    assert.ok(lines.some((l) => /:42:\d+ error residual-shape-mismatch .*strides 2 at line 40 halves.*shortcut is identity/.test(l)), r.out);
    assert.match(lines[lines.length - 1], /^1 file, 3 models, 5 findings$/);
  });

  it('exits 0 on a clean folder and walks it recursively', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'models', 'node_modules'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'examples', 'resnet20.ts'), path.join(dir, 'models', 'resnet20.ts'));
      fs.copyFileSync(BROKEN, path.join(dir, 'models', 'node_modules', 'ignored.ts'));
      fs.writeFileSync(path.join(dir, 'README.md'), '# not code');
      const r = skipcheck([dir]);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /1 file, 1 model, 0 findings/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a usage message on bad arguments or missing paths', () => {
    for (const args of [[], ['--format', 'xml', 'examples'], ['--nope', 'examples'], ['does/not/exist.ts']]) {
      const r = skipcheck(args);
      assert.equal(r.code, 2, `args ${args.join(' ')}: ${r.out}`);
      assert.match(r.err, /skipcheck: /);
    }
  });

  it('--format json gives files, findings with 0-based ranges and fixes, and every layer of every model', () => {
    const r = skipcheck(['--format', 'json', 'examples/broken-block.ts', 'examples/resnet20.ts']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    const broken = json.files.find((f: { path: string }) => f.path === 'examples/broken-block.ts');
    const mismatch = broken.findings.find((f: { rule: string; range: { start: { line: number } } }) => f.rule === 'residual-shape-mismatch' && f.range.start.line === 41);
    assert.ok(mismatch, 'finding at 0-based line 41 (1-based 42)');
    assert.equal(mismatch.severity, 'error');
    assert.ok(mismatch.fixes[0].title.length > 0);
    assert.ok(mismatch.fixes[0].edits[0].range.start.line >= 0 && typeof mismatch.fixes[0].edits[0].newText === 'string');
    const resnet = json.files.find((f: { path: string }) => f.path === 'examples/resnet20.ts');
    const model = resnet.models[0];
    assert.equal(model.name, 'resnet20');
    assert.equal(model.layers[0].className, 'InputLayer');
    assert.deepEqual(model.layers[0].outputShape, [null, 32, 32, 3]);
    assert.ok(model.layers.some((l: { className: string }) => l.className === 'Add'));
    assert.deepEqual(Object.keys(model.layers[1]).sort(), ['className', 'outputShape', 'range']);
  });

  it('--format json layer shapes are what tfjs builds', async () => {
    const r = skipcheck(['--format', 'json', 'examples/resnet20.ts']);
    const ours = JSON.parse(r.out).files[0].models[0].layers.map((l: { className: string; outputShape: unknown }) => `${l.className} ${JSON.stringify(l.outputShape)}`).sort();
    const truth = (await buildWithTfjs(path.join(ROOT, 'examples', 'resnet20.ts')))[0].layers.map((l) => `${l.className} ${JSON.stringify(l.outputShape)}`).sort();
    assert.deepEqual(ours, truth);
  });

  it('--format sarif is SARIF 2.1.0 with 1-based regions', () => {
    const r = skipcheck(['--format', 'sarif', 'examples/broken-block.ts']);
    const sarif = JSON.parse(r.out);
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results;
    assert.equal(results.length, 5);
    const err = results.find((x: { level: string }) => x.level === 'error');
    assert.equal(err.locations[0].physicalLocation.artifactLocation.uri, 'examples/broken-block.ts');
    assert.ok(err.locations[0].physicalLocation.region.startLine >= 1);
    assert.deepEqual(sarif.runs[0].tool.driver.rules.map((x: { id: string; defaultConfiguration: { level: string } }) => [x.id, x.defaultConfiguration.level]),
      RULE_IDS.map((id) => [id, RULES[id].severity === 'error' ? 'error' : RULES[id].severity === 'warning' ? 'warning' : 'note']));
  });

  it('json and sarif carry related locations: the call of a helper whose arguments break it (test/symbolic/fixtures/flow.ts)', () => {
    const file = 'test/symbolic/fixtures/flow.ts';
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const callLine = lines.findIndex((l) => l.includes('return plain(y, filters, 2);'));
    const json = JSON.parse(skipcheck(['--format', 'json', file]).out);
    const f = json.files[0].findings.find((x: { related?: { range: { start: { line: number } } }[] }) => x.related?.some((r) => r.range.start.line === callLine));
    assert.ok(f, JSON.stringify(json.files[0].findings.map((x: { message: string }) => x.message)));
    const related = f.related.find((r: { range: { start: { line: number } } }) => r.range.start.line === callLine);
    assert.equal(related.path, file);
    assert.match(related.message, /the call of plain/);
    const sarif = JSON.parse(skipcheck(['--format', 'sarif', file]).out);
    const result = sarif.runs[0].results.find((x: { relatedLocations?: { physicalLocation: { region: { startLine: number } } }[] }) =>
      x.relatedLocations?.some((r) => r.physicalLocation.region.startLine === callLine + 1));
    assert.ok(result, JSON.stringify(sarif.runs[0].results.map((x: { message: { text: string } }) => x.message.text)));
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, file);
  });

  it('json and --verbose carry the contracts of functions analysed without a caller, once per helper file', () => {
    // block() is fine only when its branch keeps x's channels and size: a contract, checked against tfjs for
    // several argument sets in test/symbolic/groundTruth.test.ts; here, what the CLI makes of it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-contracts-'));
    fs.writeFileSync(path.join(dir, 'blocks.ts'), [
      "import * as tf from '@tensorflow/tfjs';",
      'export function block(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {',
      "  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same' }).apply(x) as tf.SymbolicTensor;",
      '  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;',
      '}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'model.ts'), [
      "import * as tf from '@tensorflow/tfjs';",
      "import { block } from './blocks';",
      'export function net(): tf.LayersModel {',
      '  const input = tf.input({ shape: [8, 8, 4] });',
      '  return tf.model({ inputs: input, outputs: block(input, 4) });',
      '}',
      '',
    ].join('\n'));
    try {
      const json = JSON.parse(skipcheck(['--format', 'json', 'model.ts', 'blocks.ts'], dir).out);
      const byPath = Object.fromEntries(json.files.map((f: { path: string; contracts: unknown[] }) => [f.path, f.contracts]));
      assert.deepEqual(byPath['model.ts'], []);
      assert.equal(byPath['blocks.ts'].length, 1, JSON.stringify(byPath));
      const c = byPath['blocks.ts'][0] as { function: string; range: { start: { line: number } }; requires: { text: string; path: string; range: { start: { line: number } } }[] };
      assert.equal(c.function, 'block');
      assert.equal(c.range.start.line, 1);
      assert.deepEqual(c.requires.map((q) => q.text).sort(), ['filters == x.shape[3]', 'strides == 1']);
      assert.ok(c.requires.every((q) => q.path === 'blocks.ts' && q.range.start.line === 3), 'each condition points at the add');
      const human = skipcheck(['--verbose', 'blocks.ts'], dir).out;
      assert.match(human, /^blocks\.ts:2:17: contract: block requires (strides == 1; filters == x\.shape\[3\]|filters == x\.shape\[3\]; strides == 1)$/m);
      assert.doesNotMatch(skipcheck(['blocks.ts'], dir).out, /contract/, 'contracts are shown with --verbose only');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--fix rewrites the file in place: no findings left, and tfjs builds every model', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-fix-'));
    try {
      const copy = path.join(dir, 'broken-block.ts');
      fs.copyFileSync(BROKEN, copy);
      const r = skipcheck(['--fix', copy]);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /0 findings/);
      const models = await buildWithTfjs(copy);
      assert.equal(models.length, 3);
      const once = fs.readFileSync(copy, 'utf8');
      skipcheck(['--fix', copy]);
      assert.equal(fs.readFileSync(copy, 'utf8'), once, 'a second --fix changes nothing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file with a syntax error is reported without crashing, and others still get checked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'half.ts'), "import * as tf from '@tensorflow/tfjs';\nconst x = tf.input({shape: [32, 32, \n");
      fs.copyFileSync(BROKEN, path.join(dir, 'broken.ts'));
      const r = skipcheck([dir]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /broken\.ts:42:\d+ error residual-shape-mismatch/);
      // Not a silent "0 findings": the file's syntax error is a note at its line, and --strict counts it.
      const verbose = skipcheck(['--verbose', 'half.ts'], dir);
      assert.match(verbose.out, /^half\.ts:3: note: syntax error: .+; analysed as far as it parses$/m);
      assert.equal(skipcheck(['--strict', 'half.ts'], dir).code, 2);
      assert.doesNotMatch(skipcheck(['--verbose', 'broken.ts'], dir).out, /syntax error/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
