// `--fix` never loses the user's code: atomic writes (a full disk leaves the file whole), an edit saved
// during the run wins, a file reached by two paths is fixed once, and a read-only file is reported while
// the other files are still fixed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis';
import { diskFixIo, fixFiles, type FixIo } from '../../server/src/cli/fix';
import { diskHost } from '../../server/src/cli/files';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'skipcheck.js');
const BROKEN = path.join(ROOT, 'examples', 'broken-block.ts');
const brokenText = fs.readFileSync(BROKEN, 'utf8');

const errorsIn = (file: string) =>
  analyze(file, fs.readFileSync(file, 'utf8'), diskHost).findings.filter((f) => f.severity === 'error').length;

describe('skipcheck --fix data safety', function () {
  this.timeout(120_000);
  let dir: string;
  let fixedOnce: string;
  before(() => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-fixref-'));
    const f = path.join(d, 'broken-block.ts');
    fs.writeFileSync(f, brokenText);
    fixFiles([f]);
    fixedOnce = fs.readFileSync(f, 'utf8');
    fs.rmSync(d, { recursive: true, force: true });
    assert.notEqual(fixedOnce, brokenText);
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-fixsafe-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a full disk (write limit) leaves the file whole, says so, and leaves no temp file; the mode is kept on success', () => {
    const big = path.join(dir, 'big.ts');
    // 20 KB of comments after the model: more than the 8 KB the write limit allows.
    const text = brokenText + `\n${'// padding padding padding padding padding padding padding padding\n'.repeat(300)}`;
    fs.writeFileSync(big, text);
    const r = spawnSync('bash', ['-c', `ulimit -f 8; exec "${process.execPath}" "${BIN}" --fix "${big}"`], { encoding: 'utf8' });
    assert.equal(fs.readFileSync(big, 'utf8'), text, 'the source is intact');
    assert.match(r.stderr, /big\.ts could not be written \(EFBIG/);
    assert.deepEqual(fs.readdirSync(dir), ['big.ts'], 'no temporary file left behind');
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);

    const small = path.join(dir, 'small.ts');
    fs.writeFileSync(small, brokenText);
    fs.chmodSync(small, 0o640);
    const ino = fs.statSync(small).ino;
    const ok = spawnSync(process.execPath, [BIN, '--fix', small], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(fs.readFileSync(small, 'utf8'), fixedOnce);
    assert.equal(fs.statSync(small).mode & 0o777, 0o640, 'permission bits kept');
    assert.notEqual(fs.statSync(small).ino, ino, 'replaced by a rename, not rewritten in place');
  });

  it('an edit saved while --fix runs is kept: the file is skipped with a message', () => {
    const file = path.join(dir, 'model.ts');
    fs.writeFileSync(file, brokenText);
    const userEdit = brokenText.replace('export function', '// saved by the user meanwhile\nexport function');
    let reads = 0;
    // The user saves right after --fix read the file for analysis.
    const io: FixIo = { ...diskFixIo, read: (f) => { const t = diskFixIo.read(f); if (reads++ === 0) fs.writeFileSync(file, userEdit); return t; } };
    const outcome = fixFiles([file], io);
    assert.equal(fs.readFileSync(file, 'utf8'), userEdit);
    assert.deepEqual(outcome.changed, []);
    assert.equal(outcome.skipped.length, 1);
    assert.match(outcome.skipped[0].reason, /changed on disk since it was analysed/);
  });

  it('a file reached through a symlinked folder and its real path is fixed once, and the result is the single fix', () => {
    fs.mkdirSync(path.join(dir, 'real'));
    const file = path.join(dir, 'real', 'model.ts');
    fs.writeFileSync(file, brokenText);
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'), 'dir');
    const viaLink = path.join(dir, 'link', 'model.ts');
    const r = spawnSync(process.execPath, [BIN, '--fix', viaLink, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), fixedOnce);
    assert.equal(r.stdout.match(/^fixed /gm)?.length, 1, r.stdout);
    assert.match(r.stdout, /^1 file, /m, 'the second path is the same file');
    assert.equal(errorsIn(file), 0);
  });

  it('a read-only file is reported and the other files are still fixed', () => {
    const locked = path.join(dir, 'a-locked.ts');
    const open = path.join(dir, 'b-open.ts');
    fs.writeFileSync(locked, brokenText);
    fs.writeFileSync(open, brokenText);
    fs.chmodSync(locked, 0o444);
    const r = spawnSync(process.execPath, [BIN, '--fix', dir], { encoding: 'utf8' });
    assert.match(r.stderr, /a-locked\.ts is read-only; not fixed/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    assert.equal(fs.readFileSync(locked, 'utf8'), brokenText);
    assert.equal(fs.readFileSync(open, 'utf8'), fixedOnce);
    assert.equal(r.status, 1, 'the locked file still has its error finding');
  });

  it('a write that fails for another reason is reported per file, and the run goes on', () => {
    const a = path.join(dir, 'a.ts');
    const b = path.join(dir, 'b.ts');
    fs.writeFileSync(a, brokenText);
    fs.writeFileSync(b, brokenText);
    const io: FixIo = {
      ...diskFixIo,
      write: (f, t) => { if (f.endsWith('a.ts')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); diskFixIo.write(f, t); },
    };
    const outcome = fixFiles([a, b], io);
    assert.deepEqual(outcome.changed, [b]);
    assert.deepEqual(outcome.skipped.map((s) => s.file), [a]);
    assert.match(outcome.skipped[0].reason, /ENOSPC/);
    assert.equal(fs.readFileSync(a, 'utf8'), brokenText);
  });
});
