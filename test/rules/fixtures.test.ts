// One folder per rule of the registry, test/rules/<rule-id>/, with bad-*.ts files the rule must flag exactly
// where their `// expect:` markers say, and ok-*.ts near misses that must stay quiet. Real tfjs is the oracle:
// bad files of a build-breaking rule must fail to build, every other file must build.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis';
import { RULES, RULE_IDS } from '../../server/src/analysis/rules/registry';
import { diskHost } from '../../server/src/cli/files';
import { parseInlineMarkers } from '../support/expectations';
import { buildWithTfjs, expectBuildError } from '../support/groundTruth';

const RULES_DIR = __dirname;
const fixturesOf = (id: string, kind: 'bad' | 'ok'): string[] => {
  const dir = path.join(RULES_DIR, id);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.ts')).sort().map((f) => path.join(dir, f)) : [];
};

describe('rule fixtures (test/rules/<rule-id>/)', function () {
  this.timeout(120_000);

  it('every registry rule has at least one bad and one ok fixture, and every folder is a registry rule', () => {
    for (const id of RULE_IDS) {
      assert.ok(fixturesOf(id, 'bad').length >= 1, `test/rules/${id}/ needs a bad-*.ts fixture`);
      assert.ok(fixturesOf(id, 'ok').length >= 1, `test/rules/${id}/ needs an ok-*.ts fixture`);
    }
    const folders = fs.readdirSync(RULES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    assert.deepEqual(folders, [...RULE_IDS].sort());
  });

  for (const id of RULE_IDS) {
    for (const kind of ['bad', 'ok'] as const) {
      for (const file of fixturesOf(id, kind)) {
        it(`${id}/${path.basename(file)}: ${kind === 'bad' ? 'flagged where the markers say' : 'stays quiet'}, and tfjs agrees`, async () => {
          const text = fs.readFileSync(file, 'utf8');
          const expected = parseInlineMarkers(text, file);
          if (kind === 'bad') assert.ok(expected.some((e) => e.rule === id), `a bad fixture marks at least one ${id}`);
          else assert.deepEqual(expected, [], 'an ok fixture has no markers');
          const result = analyze(file, text, diskHost);
          assert.ok(result.models.length > 0, `the analysis built the model (notes: ${result.notes.join('; ')})`);
          const actual = result.findings.map((f) => `${f.rule} at line ${f.range.start.line + 1}`).sort();
          assert.deepEqual(actual, expected.map((e) => `${e.rule} at line ${e.line}`).sort());
          for (const e of expected) {
            const f = result.findings.find((x) => x.rule === e.rule && x.range.start.line + 1 === e.line)!;
            assert.ok(f.message.includes(e.messageIncludes), `${e.rule} at line ${e.line}: '${f.message}' should contain '${e.messageIncludes}'`);
          }
          for (const f of result.findings) assert.equal(f.severity, RULES[f.rule].severity, `${f.rule} has the registry's severity`);
          const breaks = expected.some((e) => RULES[e.rule].breaksBuild);
          if (breaks) assert.ok(await expectBuildError(file), 'tfjs refuses to build it');
          else assert.ok((await buildWithTfjs(file)).length > 0, 'tfjs builds it');
        });
      }
    }
  }
});
