// The analyzer reparses a file incrementally when its text changes a little (typing). Whatever the edit,
// the result must be exactly what a fresh parse of the same text gives.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis';
import { diskHost as host } from '../../server/src/cli/files';

const ROOT = path.resolve(__dirname, '..', '..');

describe('incremental reparsing while typing', function () {
  this.timeout(120_000);
  for (const name of ['examples/resnet20.ts', 'examples/broken-block.ts', 'test/fixtures/good/unet.ts']) {
    it(`gives the same analysis as a fresh parse at every step of editing ${name}`, () => {
      const file = path.join(ROOT, name);
      const original = fs.readFileSync(file, 'utf8');
      const lines = original.split('\n');
      let fresh = 0;
      const versions: string[] = [];
      // Delete a line, put it back, type inside it, break it: the edits an editor sends while typing.
      for (let i = 0; i < lines.length; i += 3) {
        versions.push([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
        versions.push(original);
        versions.push([...lines.slice(0, i), lines[i].replace(/(\d+)/, '$1 * 2'), ...lines.slice(i + 1)].join('\n'));
        versions.push([...lines.slice(0, i), lines[i].slice(0, Math.floor(lines[i].length / 2)), ...lines.slice(i + 1)].join('\n'));
      }
      for (const text of versions) {
        const typed = analyze(file, text, host, { verify: false });
        // A name never seen before cannot hit the parse cache; same folder, so relative imports still resolve.
        const controlFile = path.join(path.dirname(file), `.fresh${fresh++}-${path.basename(file)}`);
        const control = analyze(controlFile, text, host, { verify: false });
        const same = (v: unknown) => JSON.stringify(v).split(JSON.stringify(controlFile).slice(1, -1)).join(JSON.stringify(file).slice(1, -1));
        assert.equal(JSON.stringify(typed.findings), same(control.findings));
        assert.equal(JSON.stringify(typed.models), same(control.models));
        assert.equal(JSON.stringify(typed.sites), same(control.sites));
      }
    });
  }
});
