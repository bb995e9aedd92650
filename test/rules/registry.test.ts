// The rule registry is the only hand-written list of rules: everything generated from it must be current,
// and the analysis must use its severities.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES, RULE_IDS, docsAnchor } from '../../server/src/analysis/rules/registry';

const root = path.resolve(__dirname, '..', '..');

describe('rule registry', () => {
  it('package.json settings and the README/docs rule tables are generated from it (scripts/rules.ts --check)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'rules.ts'), '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('--check names the stale file when a generated table is edited by hand', () => {
    // A copy of the three outputs with one rule row removed from the README: the check must say so.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-rules-'));
    try {
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.mkdirSync(path.join(dir, 'docs'));
      fs.mkdirSync(path.join(dir, 'server', 'src', 'analysis', 'rules'), { recursive: true });
      fs.copyFileSync(path.join(root, 'scripts', 'rules.ts'), path.join(dir, 'scripts', 'rules.ts'));
      fs.copyFileSync(path.join(root, 'server', 'src', 'analysis', 'rules', 'registry.ts'), path.join(dir, 'server', 'src', 'analysis', 'rules', 'registry.ts'));
      fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
      fs.copyFileSync(path.join(root, 'docs', 'editors.md'), path.join(dir, 'docs', 'editors.md'));
      const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').split('\n').filter((l) => !l.includes('`residual-broadcast`](')).join('\n');
      fs.writeFileSync(path.join(dir, 'README.md'), readme);
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, 'scripts', 'rules.ts'), '--check'], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /out of date with the rule registry: README\.md\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the editor settings offer exactly the registry rules', () => {
    const props = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).filter((k) => k.startsWith('skipcheck.rules.')), RULE_IDS.map((id) => `skipcheck.rules.${id}`));
  });

  it('every rule has a one-line summary and a docs anchor that exists', () => {
    const headings = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());
    for (const id of RULE_IDS) {
      assert.ok(RULES[id].summary.length > 10 && !RULES[id].summary.includes('\n') && !RULES[id].summary.endsWith('.'), id);
      assert.equal(docsAnchor(id), `docs/rules.md#${id}`);
      assert.ok(headings.includes(id), `docs/rules.md needs a '## ${id}' section (the settings and tables link to it)`);
    }
  });
});
