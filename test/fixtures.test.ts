// The fixtures and examples are what the analyzer is measured against, so first make sure they say what
// they claim: good ones build with real tfjs, broken ones fail (or not) exactly as their headers state.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RuleId } from '../server/src/analysis/types';
import { RULES, RULE_IDS } from '../server/src/analysis/rules/registry';
import {
  buildWithTfjs,
  expectBuildError,
  loadExpectations,
  parseExpectations,
  type GroundTruthModel,
} from './support/groundTruth';
import { BROKEN_EXAMPLE, FIXTURES_DIR, brokenFixtures, exampleFiles, goodFixtures } from './support/fixtureFiles';

const ALL_RULES: RuleId[] = RULE_IDS;
// Rules whose finding means tfjs itself cannot build the model; the rest describe models that build.
const BUILD_BREAKING: RuleId[] = RULE_IDS.filter((id) => RULES[id].breaksBuild);
const MERGE_CALL = /\.(add|concatenate|multiply|average|maximum|minimum)\(/;
const LAYER_CALL = /\.(conv[123]d|conv2dTranspose|separableConv2d|depthwiseConv2d|dense)\(/;

const rel = (file: string) => path.relative(path.dirname(FIXTURES_DIR), file);
const harnessFixture = (name: string) => path.join(FIXTURES_DIR, 'harness', name);

function assertBuiltModels(file: string, models: GroundTruthModel[]): void {
  assert.ok(models.some((m) => m.layers.length > 1), `${rel(file)} built no model with more than one layer`);
  for (const model of models) {
    assert.ok(model.paramCount > 0, `${rel(file)}: model ${model.name} has no parameters`);
    assert.ok(model.outputShapes.length > 0, `${rel(file)}: model ${model.name} has no outputs`);
    for (const layer of model.layers) {
      assert.notEqual(layer.outputShape, null, `${rel(file)}: ${model.name}/${layer.name} has no output shape`);
    }
  }
}

async function assertBuildsClean(file: string): Promise<void> {
  const expectations = loadExpectations(file);
  assert.deepEqual(expectations, { findings: [] }, `${rel(file)} is clean, so it must not carry expectations`);
  assertBuiltModels(file, await buildWithTfjs(file));
}

describe('good fixtures build with real tfjs', () => {
  const files = goodFixtures();
  it('cover every import style the analyzer must recognise', () => {
    const sources = files.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    for (const specifier of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']) {
      assert.ok(sources.includes(`from '${specifier}'`), `no fixture imports from '${specifier}'`);
    }
    assert.match(sources, /const tf = require\('@tensorflow\/tfjs'\)/);
    assert.ok(files.some((file) => fs.readFileSync(file, 'utf8').includes('\r\n')), 'no CRLF fixture');
  });
  for (const file of files) {
    it(path.basename(file), () => assertBuildsClean(file));
  }
});

describe('broken fixtures', () => {
  const files = brokenFixtures();
  it('cover every rule', () => {
    const covered = new Set(files.flatMap((file) => loadExpectations(file).findings.map((f) => f.rule)));
    assert.deepEqual([...covered].sort(), [...ALL_RULES].sort());
  });
  for (const file of files) {
    describe(path.basename(file), () => {
      const expectations = loadExpectations(file);
      it('has expectations that point at a layer or merge call', () => {
        assert.ok(expectations.findings.length > 0, 'no // expect: line');
        const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
        for (const { rule, line } of expectations.findings) {
          const pattern = rule.startsWith('residual-') ? MERGE_CALL : LAYER_CALL;
          assert.match(lines[line - 1], pattern, `${rule} expected at line ${line}`);
        }
      });
      it('states a tfjs error exactly when a finding breaks the build', () => {
        const breaks = expectations.findings.some((f) => BUILD_BREAKING.includes(f.rule));
        assert.equal(expectations.tfjsError !== undefined, breaks);
      });
      if (expectations.tfjsError !== undefined) {
        const expected = expectations.tfjsError;
        it('makes tfjs throw the stated error', async () => {
          const message = await expectBuildError(file);
          assert.ok(message?.includes(expected), `expected tfjs to throw '${expected}', got ${JSON.stringify(message)}`);
        });
      } else {
        it('still builds with tfjs', async () => assertBuiltModels(file, await buildWithTfjs(file)));
      }
    });
  }
});

describe('examples', () => {
  for (const file of exampleFiles().filter((f) => f !== BROKEN_EXAMPLE)) {
    it(`${path.basename(file)} builds with tfjs`, () => assertBuildsClean(file));
  }
  it('broken-block.ts shows one mistake per rule and fails in tfjs as stated', async () => {
    const expectations = loadExpectations(BROKEN_EXAMPLE);
    // The demo file shows the ResNet mistakes; calls tfjs refuses outright have their own fixture.
    assert.deepEqual([...new Set(expectations.findings.map((f) => f.rule))].sort(),
      [...ALL_RULES].filter((r) => r !== 'residual-broadcast' && r !== 'tfjs-would-throw').sort());
    assert.ok(expectations.tfjsError);
    assert.ok((await expectBuildError(BROKEN_EXAMPLE))?.includes(expectations.tfjsError));
  });
});

describe('ground-truth harness', () => {
  it('names models by variable, export, entry point or creation order, and runs only zero-argument functions', async () => {
    const models = await buildWithTfjs(harnessFixture('entry-points.ts'));
    assert.deepEqual(
      models.map((m) => [m.name, m.entry ?? null, m.kind]),
      [
        ['hidden', null, 'sequential'],
        ['topLevel', null, 'sequential'],
        ['withDefaults', 'withDefaults', 'functional'],
        ['asyncEntry', 'asyncEntry', 'functional'],
        ['pair.encoder', 'pair', 'functional'],
        ['pair.decoder', 'pair', 'functional'],
        ['returnsNothing#1', 'returnsNothing', 'functional'],
      ],
    );
    // The default parameter was used, and the helper came from a relative TS module importing tfjs-node.
    assert.deepEqual(models[2].outputShapes, [[null, 7]]);
  });

  it('reports layers, shapes and parameter counts as tfjs does', async () => {
    const file = harnessFixture('global-tf.js');
    const [model] = await buildWithTfjs(file);
    const at = (line: number, character: number) => ({ file, line, character });
    assert.deepEqual(model, {
      name: 'tinyModel',
      entry: 'tinyModel',
      kind: 'functional',
      layers: [
        { className: 'InputLayer', name: model.layers[0].name, outputShape: [null, 4], nodeOutputShapes: [[null, 4]], paramCount: 0, site: at(3, 16) },
        { className: 'Dense', name: model.layers[1].name, outputShape: [null, 2], nodeOutputShapes: [[null, 2]], paramCount: 10, site: at(4, 17) },
      ],
      inputShapes: [[null, 4]],
      outputShapes: [[null, 2]],
      paramCount: 10,
      site: at(5, 9),
    });
  });

  it('records a model applied as a layer and a shared layer applied twice', async () => {
    const [encoder, siamese] = await buildWithTfjs(path.join(FIXTURES_DIR, 'good', 'multi-io.ts'));
    assert.equal(encoder.name, 'siameseMatcher#1');
    assert.deepEqual(siamese.inputShapes, [[null, 32, 32, 1], [null, 32, 32, 1]]);
    assert.deepEqual(siamese.outputShapes, [[null, 1], [null, 2]]);
    const nested = siamese.layers.find((l) => l.className === 'Model');
    assert.deepEqual(nested?.nodeOutputShapes.slice(-2), [[null, 2048], [null, 2048]]);
    const projection = siamese.layers.find((l) => l.name === 'projection');
    assert.equal(projection?.nodeOutputShapes.length, 2);
  });

  it('records the call that created each layer and model, across modules', async () => {
    const [model] = await buildWithTfjs(path.join(FIXTURES_DIR, 'good', 'uses-lib.ts'));
    const file = path.join(FIXTURES_DIR, 'good', 'uses-lib.ts');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const textAt = (site: { file: string; line: number; character: number } | undefined) =>
      site && fs.readFileSync(site.file, 'utf8').split('\n')[site.line].slice(site.character);
    assert.match(textAt(model.site) ?? '', /^tf\.model\(/);
    assert.equal(model.site?.line, lines.findIndex((l) => l.includes('tf.model(')));
    assert.match(textAt(model.layers[0].site) ?? '', /^tf\.input\(/);
    const firstConv = model.layers.find((l) => l.className === 'Conv2D');
    assert.equal(firstConv?.site?.file, path.join(FIXTURES_DIR, 'good', 'lib', 'blocks.ts'));
    assert.match(textAt(firstConv?.site) ?? '', /^tf\.layers\.conv2d\(/);
    for (const layer of model.layers) assert.ok(layer.site, `${layer.className} has a site`);

    const [scaled] = await buildWithTfjs(path.join(FIXTURES_DIR, 'good', 'custom-layer.ts'));
    const custom = scaled.layers.filter((l) => l.className === 'ChannelScale');
    assert.equal(custom.length, 2);
    assert.deepEqual(custom.map((l) => textAt(l.site)?.slice(0, 17)), ['new ChannelScale(', 'new ChannelScale(']);
  });

  it('returns the tfjs message for a failing build and undefined for a clean one', async () => {
    assert.equal(await expectBuildError(harnessFixture('global-tf.js')), undefined);
    const message = await expectBuildError(path.join(FIXTURES_DIR, 'broken', 'dense-units-mismatch.ts'));
    assert.equal(message, 'Operands could not be broadcast together with shapes [64] [128]');
    await assert.rejects(buildWithTfjs(path.join(FIXTURES_DIR, 'broken', 'dense-units-mismatch.ts')), /entry residualMlpBlock/);
  });

  it('frees what fixtures allocate but not what others own, and leaves the tfjs module alone', async () => {
    const realModel = tf.model;
    const owned = tf.variable(tf.zeros([2]));
    const before = { tensors: tf.memory().numTensors, variables: Object.keys(tf.engine().state.registeredVariables).length };
    await buildWithTfjs(path.join(FIXTURES_DIR, 'good', 'resnet-cifar.ts'));
    await expectBuildError(path.join(FIXTURES_DIR, 'broken', 'helper-partial-mismatch.ts'));
    const after = { tensors: tf.memory().numTensors, variables: Object.keys(tf.engine().state.registeredVariables).length };
    assert.deepEqual(after, before);
    assert.equal(owned.isDisposed, false);
    assert.equal(tf.model, realModel);
    owned.dispose();
  });

  it('says where a fixture fails to parse', async () => {
    const file = path.join(os.tmpdir(), `skipcheck-syntax-${process.pid}.ts`);
    fs.writeFileSync(file, "import * as tf from '@tensorflow/tfjs';\nexport function f() {\n  return tf.model({ inputs: [, outputs: [] });\n}\n");
    try {
      assert.match((await expectBuildError(file)) ?? '', new RegExp(`${path.basename(file)}:3:\\d+: `));
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('parses expectation headers and rejects malformed ones with the line', () => {
    const text = '// expect: residual-broadcast line 3 broadcast\r\n// tfjs-error: boom [1,2]\r\nconst x = 1;\r\n// expect: bias-before-batchnorm line 1 ignored after code\r\n';
    assert.deepEqual(parseExpectations(text), {
      findings: [{ rule: 'residual-broadcast', line: 3, messageIncludes: 'broadcast' }],
      tfjsError: 'boom [1,2]',
    });
    assert.throws(() => parseExpectations('// expect: no-such-rule line 1 x\n', 'a.ts'), /a\.ts:1: unknown rule 'no-such-rule'/);
    assert.throws(() => parseExpectations('// expect: residual-broadcast 3 x\n', 'a.ts'), /a\.ts:1: expected '\/\/ expect:/);
    assert.throws(() => parseExpectations('// expect: residual-broadcast line 9 x\n', 'a.ts'), /line 9 is outside the file/);
  });
});
