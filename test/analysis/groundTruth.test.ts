// The analyzer against real tfjs: every model every fixture builds, layer by layer, must have the shapes and
// parameter counts tfjs computes; broken fixtures must give exactly the findings their headers announce, and
// applying the preferred fixes must give a file that tfjs builds and the analyzer finds clean.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as ts from 'typescript';
import * as path from 'node:path';
import { analyze, applyEdits, preferredEdits, type AnalysisResult, type ModelInfo, type Shape } from '../../server/src/analysis';
import { buildWithTfjs, loadExpectations, type GroundTruthModel } from '../support/groundTruth';
import { brokenFixtures, exampleFiles, goodFixtures, BROKEN_EXAMPLE } from '../support/fixtureFiles';
import { diskHost } from '../../server/src/cli/files';


export function analyzeFile(file: string, text = fs.readFileSync(file, 'utf8')): AnalysisResult {
  return analyze(file, text, diskHost);
}

const norm = (s: Shape | Shape[] | null | undefined) => JSON.stringify(s ?? null);

/** Layers as a sorted multiset of "Class shape params": tfjs orders by depth, the analyzer by creation. */
function layerBag(layers: { className: string; outputShape: Shape | Shape[] | null; paramCount: number | null }[]): string[] {
  return layers.map((l) => `${l.className} ${norm(l.outputShape)} ${l.paramCount}`).sort();
}

function compareModel(ours: ModelInfo, truth: GroundTruthModel, where: string): void {
  assert.equal(ours.kind, truth.kind, `${where}: model kind`);
  assert.deepEqual(ours.inputShapes.map((s) => norm(s)), truth.inputShapes.map((s) => norm(s)), `${where}: input shapes`);
  assert.deepEqual(ours.outputShapes.map((s) => norm(s)), truth.outputShapes.map((s) => norm(s)), `${where}: output shapes`);
  assert.deepEqual(layerBag(ours.layers), layerBag(truth.layers), `${where}: layers (class, output shape, params)`);
  assert.equal(ours.paramCount, truth.paramCount, `${where}: parameter count`);
}

/** Custom layers are unknown to the analyzer by design: their shapes must be reported unknown, never wrong. */
function compareWithUnknowns(ours: ModelInfo, truth: GroundTruthModel, where: string): void {
  assert.equal(ours.layers.length, truth.layers.length, `${where}: layer count`);
  const known = (l: { outputShape: Shape | Shape[] | null }) => l.outputShape !== null && !norm(l.outputShape).includes('null,null');
  const truthBag = layerBag(truth.layers);
  for (const l of ours.layers.filter(known)) {
    const entry = `${l.className} ${norm(l.outputShape)} ${l.paramCount}`;
    if (l.paramCount === null) {
      assert.ok(truthBag.some((t) => t.startsWith(`${l.className} ${norm(l.outputShape)} `)), `${where}: ${entry} not in tfjs`);
    } else assert.ok(truthBag.includes(entry), `${where}: ${entry} not in tfjs`);
  }
}

describe('analyzer vs real tfjs (ground truth)', function () {
  this.timeout(120_000);
  for (const file of [...goodFixtures(), ...exampleFiles().filter((f) => f !== BROKEN_EXAMPLE)]) {
    it(`infers every layer shape of ${path.basename(file)} as tfjs does`, async () => {
      const truth = await buildWithTfjs(file);
      const ours = analyzeFile(file);
      assert.equal(ours.models.length, truth.length, `models built: ours ${ours.models.map((m) => m.name)} vs tfjs ${truth.map((m) => m.name)}\nnotes: ${ours.notes.join('; ')}`);
      ours.models.forEach((m, i) => {
        const where = `${path.basename(file)} model #${i + 1} (${m.name})`;
        if (m.layers.some((l) => l.outputShape === null || l.paramCount === null)) compareWithUnknowns(m, truth[i], where);
        else compareModel(m, truth[i], where);
      });
      assert.deepEqual(ours.findings.map((f) => `${f.rule}@${f.range.start.line + 1}: ${f.message}`), [], 'a good model has no findings');
    });
  }
});

describe('rules on broken fixtures', function () {
  this.timeout(120_000);
  const fixedTexts = new Map<string, string>();

  for (const file of [...brokenFixtures(), BROKEN_EXAMPLE]) {
    it(`reports exactly the expected findings in ${path.basename(file)}, and its fixes build`, async () => {
      const expected = loadExpectations(file);
      const text = fs.readFileSync(file, 'utf8');
      const result = analyzeFile(file, text);
      const got = result.findings.map((f) => `${f.rule} line ${f.range.start.line + 1}`).sort();
      const want = expected.findings.map((e) => `${e.rule} line ${e.line}`).sort();
      assert.deepEqual(got, want, `findings (messages: ${result.findings.map((f) => f.message).join(' | ')})`);
      for (const e of expected.findings) {
        const f = result.findings.find((x) => x.rule === e.rule && x.range.start.line + 1 === e.line)!;
        assert.ok(f.message.includes(e.messageIncludes), `message of ${e.rule} line ${e.line} should include '${e.messageIncludes}': ${f.message}`);
      }
      for (const f of result.findings) {
        // A broadcast is legal tfjs, and a concatenate of differently strided towers or a call tfjs refuses
        // outright (what the user meant is not mechanical) have no fix.
        if (f.rule === 'residual-broadcast' || f.rule === 'tfjs-would-throw' || f.message.startsWith('concatenate')) continue;
        assert.ok(f.fixes.length > 0, `${f.rule} line ${f.range.start.line + 1} offers a fix`);
        assert.equal(f.fixes.filter((x) => x.isPreferred).length, 1, `${f.rule} has exactly one preferred fix`);
      }

      // Apply all preferred fixes the way the CLI's --fix does, in a copy next to the fixture's imports.
      const fixed = applyPreferred(file, text, result);
      fixedTexts.set(file, fixed);
      const fixedFile = path.join(path.dirname(file), `.fixed-${path.basename(file)}`);
      fs.writeFileSync(fixedFile, fixed);
      try {
        const again = analyzeFile(fixedFile, fixed);
        const unfixable = result.findings.filter((f) => f.fixes.length === 0).map((f) => f.rule);
        assert.deepEqual(again.findings.map((f) => f.rule), unfixable, `only findings without a fix remain: ${again.findings.map((f) => f.message)}`);
        if (again.findings.some((f) => f.severity === 'error')) return;
        const models = await buildWithTfjs(fixedFile);
        assert.ok(models.length >= 1, 'the fixed file builds with tfjs');
        assert.equal(again.models.length, models.length, 'analyzer and tfjs agree on the fixed file');
        again.models.forEach((m, i) => compareModel(m, models[i], `fixed ${path.basename(file)} model #${i + 1}`));
        // Idempotent: fixing the fixed file changes nothing.
        assert.equal(applyPreferred(fixedFile, fixed, again), fixed);
      } finally {
        fs.rmSync(fixedFile, { force: true });
      }
    });
  }

  it('every fixed file is valid TypeScript against the tfjs typings', () => {
    const written = [...fixedTexts].filter(([f]) => f.endsWith('.ts')).map(([f, text]) => {
      const copy = path.join(path.dirname(f), `.typecheck-${path.basename(f)}`);
      fs.writeFileSync(copy, text);
      return copy;
    });
    try {
      const configFile = path.join(__dirname, '..', 'fixtures', 'tsconfig.json');
      const cfg = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
      const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, path.dirname(configFile));
      const program = ts.createProgram(written, parsed.options);
      const diags = written.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)));
      assert.deepEqual(diags.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`), []);
      assert.ok(written.length >= 10, 'type-checked the fixed broken fixtures');
    } finally {
      for (const f of written) fs.rmSync(f, { force: true });
    }
  });
});

export function applyPreferred(file: string, text: string, result: AnalysisResult): string {
  return applyEdits(text, preferredEdits(text, file, result.findings));
}
