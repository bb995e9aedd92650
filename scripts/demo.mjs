// The README's first command: checks the examples, fixes a copy of the broken one, and checks it again.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', 'bin', 'skipcheck.js');
const run = (args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

console.log('$ skipcheck examples');
const first = run(['examples']);
process.stdout.write(first.stdout + first.stderr);
if (first.status !== 1) { console.error(`expected exit 1 (examples/broken-block.ts has errors), got ${first.status}`); process.exit(1); }

const dir = mkdtempSync(join(tmpdir(), 'skipcheck-demo-'));
try {
  const copy = join(dir, 'broken-block.ts');
  copyFileSync('examples/broken-block.ts', copy);
  console.log(`\n$ skipcheck --fix ${copy}`);
  const fixed = run(['--fix', copy]);
  process.stdout.write(fixed.stdout + fixed.stderr);
  try {
    console.log(execFileSync('diff', ['-u', 'examples/broken-block.ts', copy], { encoding: 'utf8' }));
  } catch (e) {
    console.log(e.stdout); // diff exits 1 when the files differ, which is the point
  }
  if (fixed.status !== 0) { console.error(`the fixed file still has errors (exit ${fixed.status})`); process.exit(1); }
  if (readFileSync(copy, 'utf8') === readFileSync('examples/broken-block.ts', 'utf8')) { console.error('nothing was fixed'); process.exit(1); }
  console.log('All findings fixed; the fixed model builds (see `npm test` for the tfjs check).');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
