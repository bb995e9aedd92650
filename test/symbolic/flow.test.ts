// Control flow in functions analysed as written (test/symbolic/fixtures/flow.ts): boolean flags followed both
// ways, loops with symbolic trip counts widened to a stable shape state, calls that break a helper's
// contract. Ground truth is real tfjs: each helper is instantiated with several concrete argument sets. A
// finding must fail in tfjs for every set, a clean helper must build for every set, a contract must predict
// tfjs's verdict on sets that meet it and sets that break it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze, type AnalysisResult, type ContractInfo } from '../../server/src/analysis';
import { createModuleScope } from '../support/fixtureModules';
import { substitute } from '../../server/src/analysis/symbolic/expr';

const FILE = path.join(__dirname, 'fixtures', 'flow.ts');

type Values = Record<string, number | boolean>;
type Helpers = Record<string, (...a: unknown[]) => unknown>;
interface Case { expect: 'finding' | 'clean' | 'contract'; rule?: string; params: Record<string, (number | boolean)[]>; call(h: Helpers, x: tf.SymbolicTensor, v: Values): unknown }

const IMAGES = [[8, 8, 16], [9, 9, 16], [16, 16, 32], [7, 5, 8]];

const CASES: Record<string, Case> = {
  flagBlock: { expect: 'clean', params: { filters: [8, 16, 32], downsample: [true, false] }, call: (h, x, v) => h.flagBlock(x, v.filters, v.downsample) },
  flagNoProjection: { expect: 'contract', params: { downsample: [true, false] }, call: (h, x, v) => h.flagNoProjection(x, v.downsample) },
  flagBothBad: { expect: 'finding', params: { downsample: [true, false] }, call: (h, x, v) => h.flagBothBad(x, v.downsample) },
  stage: { expect: 'clean', params: { filters: [8, 16], blocks: [1, 2, 3], strides: [1, 2] }, call: (h, x, v) => h.stage(x, v.filters, v.blocks, v.strides) },
  plainStage: { expect: 'contract', params: { filters: [8, 16, 32], blocks: [1, 3] }, call: (h, x, v) => h.plainStage(x, v.filters, v.blocks) },
  afterLoop: { expect: 'finding', params: { filters: [8, 16], blocks: [1, 2, 3] }, call: (h, x, v) => h.afterLoop(x, v.filters, v.blocks) },
  stridedStage: { expect: 'contract', params: { filters: [8, 16], blocks: [1, 2, 3] }, call: (h, x, v) => h.stridedStage(x, v.filters, v.blocks) },
  callsPlain: { expect: 'finding', params: { filters: [8, 16, 32] }, call: (h, x, v) => h.callsPlain(x, v.filters) },
  convBnAxis: { expect: 'contract', params: { filters: [8, 16], axis: [1, 2, 3, 4, 5] }, call: (h, x, v) => h.convBnAxis(x, v.filters, v.axis) },
  callsConvBnAxis: { expect: 'finding', rule: 'tfjs-would-throw', params: { filters: [8, 16] }, call: (h, x, v) => h.callsConvBnAxis(x, v.filters) },
  'widthHelpers.down': { expect: 'finding', params: { width: [8, 16, 32] }, call: (h, x, v) => nested(h, v).down(x) },
  'widthHelpers.keep': { expect: 'contract', params: { width: [8, 16, 32] }, call: (h, x, v) => nested(h, v).keep(x) },
};

const nested = (h: Helpers, v: Values) => h.widthHelpers(v.width) as Record<string, (x: tf.SymbolicTensor) => unknown>;

/** Every combination of the parameters' values with every input image. */
function argumentSets(params: Case['params']): { shape: number[]; values: Values }[] {
  let combos: Values[] = [{}];
  for (const [k, vs] of Object.entries(params)) combos = combos.flatMap((c) => vs.map((v) => ({ ...c, [k]: v })));
  return IMAGES.flatMap((shape) => combos.map((c) => ({ shape, values: { ...c, 'x.shape[1]': shape[0], 'x.shape[2]': shape[1], 'x.shape[3]': shape[2] } })));
}

/** A contract condition as written (`a == b`, `blocks < 2`, `downsample == false`, joined by && / ||), evaluated. */
function holds(text: string, values: Values): boolean {
  const env = new Map<string, number>([['true', 1], ['false', 0]]);
  for (const [k, v] of Object.entries(values)) env.set(k, typeof v === 'boolean' ? Number(v) : v);
  return text.split(' || ').some((conj) => conj.split(' && ').every((part) => {
    const m = /^(.+?) (==|!=|<=|>=|<|>) (.+)$/.exec(part.trim());
    assert.ok(m, `condition '${part}' reads as a comparison`);
    const a = substitute(m[1], env);
    const b = substitute(m[3], env);
    assert.ok(typeof a === 'number' && typeof b === 'number', `condition ${part} is not decided by ${JSON.stringify(values)}`);
    return { '==': a === b, '!=': a !== b, '<=': a <= b, '>=': a >= b, '<': a < b, '>': a > b }[m[2]]!;
  }));
}

const contractHolds = (c: ContractInfo, values: Values) => c.requires.every((q) => (q.when && !holds(q.when, values)) || holds(q.text, values));

describe('symbolic analysis: flags, loops and calls vs tfjs', function () {
  this.timeout(120_000);
  let result: AnalysisResult;
  let helpers: Helpers;
  const lines = fs.readFileSync(FILE, 'utf8').split('\n');
  /** The lines of a function; a nested one (`outer.inner`) is looked for in its outer function. */
  const linesOf = (name: string): [number, number] => {
    const start = lines.findIndex((l) => new RegExp(`^export function ${name.split('.')[0]}\\b`).test(l));
    assert.ok(start >= 0, name);
    const inner = name.split('.')[1];
    const from = inner ? lines.findIndex((l, i) => i > start && new RegExp(`^  (function|const) ${inner}\\b`).test(l)) : start;
    let end = from;
    while (end < lines.length && lines[end] !== (inner ? '  }' : '}') && lines[end] !== '  };') end++;
    return [from, end];
  };
  before(() => {
    result = analyze(FILE, fs.readFileSync(FILE, 'utf8'), { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
    helpers = createModuleScope(tf).load(FILE).exports as Helpers;
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.expect}`, () => {
      const [from, to] = linesOf(name);
      const inside = (r: { start: { line: number } }) => r.start.line >= from && r.start.line <= to;
      // A finding of the function: at a merge in it, or at a merge of a helper it calls (named in related information).
      const findings = result.findings.filter((f) => f.rule === (c.rule ?? 'residual-shape-mismatch') && (inside(f.range) || f.related?.some((r) => inside(r.range))));
      const contract = result.contracts?.find((k) => k.function === name);
      const sets = argumentSets(c.params);
      const verdicts = sets.map((a) => {
        const x = tf.input({ shape: a.shape });
        try { c.call(helpers, x, a.values); return true; } catch { return false; }
      });
      if (c.expect === 'finding') {
        assert.equal(findings.length, 1, `one finding for ${name}: ${JSON.stringify(result.findings.map((f) => f.message))}`);
        assert.equal(findings[0].symbolic, true);
        assert.deepEqual(verdicts.filter(Boolean), [], 'tfjs must refuse every argument set');
      } else if (c.expect === 'clean') {
        assert.deepEqual(findings.map((f) => f.message), []);
        assert.equal(contract, undefined, `no contract for ${name}: ${JSON.stringify(contract)}`);
        assert.ok(verdicts.every(Boolean), `tfjs must build every argument set: ${JSON.stringify(sets.filter((_, i) => !verdicts[i]).map((a) => a.values))}`);
      } else {
        assert.deepEqual(findings.map((f) => f.message), []);
        assert.ok(contract, `a contract for ${name}`);
        const predicted = sets.map((a) => contractHolds(contract, a.values));
        assert.ok(predicted.some(Boolean) && predicted.some((p) => !p), 'argument sets meet and break the contract');
        sets.forEach((a, i) => assert.equal(verdicts[i], predicted[i], `${JSON.stringify(a.values)}: tfjs ${verdicts[i] ? 'builds' : 'refuses'}, contract ${JSON.stringify(contract.requires.map((q) => [q.text, q.when]))}`));
      }
    });
  }

  it('the contracts read as the source does', () => {
    const texts = (name: string) => result.contracts?.find((k) => k.function === name)?.requires.map((q) => q.text);
    assert.deepEqual(texts('flagNoProjection'), ['downsample == false']);
    assert.deepEqual(texts('stridedStage'), ['blocks < 2']);
    assert.deepEqual(texts('convBnAxis'), ['axis <= 3']);
    const kind = (name: string) => result.symbols?.find((x) => x.name === name)?.kind;
    assert.deepEqual([kind('downsample'), kind('blocks'), kind('axis')], ['flag', 'number', 'number']);
  });

  it('a call that breaks a helper: the finding at the helper\'s merge names the call (message and related information)', () => {
    const [from, to] = linesOf('callsPlain');
    const f = result.findings.find((x) => x.rule === 'residual-shape-mismatch' && x.related?.some((r) => r.range.start.line >= from && r.range.start.line <= to));
    assert.ok(f, JSON.stringify(result.findings.map((x) => x.message)));
    const call = f.related!.find((r) => r.range.start.line >= from)!;
    assert.match(call.message, /the call of plain .*`plain\(y, filters, 2\)`/);
    assert.equal(lines[call.range.start.line].slice(call.range.start.character, call.range.end.character), 'plain(y, filters, 2)');
    assert.match(f.message, /This happens at the call of plain at line \d+ \(`plain\(y, filters, 2\)`\)\./);
    assert.match(f.message, /x\.shape\[1\]×x\.shape\[2\]/, 'a symbolic size reads A×B');
  });
});
