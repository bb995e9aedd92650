// What imports may read (issue 12.2 and 12.3): only regular files under a size cap (a FIFO, /dev/zero or a
// huge file must neither block nor fill memory), and only inside the workspace root, symlinks resolved, so
// that no value from elsewhere on disk reaches a reported shape. A refusal is a note, never a crash.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis';
import { MAX_SOURCE_BYTES, RefusedRead, commonRoot, readSource } from '../../server/src/io/readSource';
import { confineReads, diskHost } from '../../server/src/cli/files';
import { Files } from '../../server/src/lsp/files';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'skipcheck.js');
/** A number only the file outside the project holds: it must never show up in a shape. */
const SECRET = 7919;

const MODEL = `import * as tf from '@tensorflow/tfjs';
import { WIDTH } from './width';
export function build() {
  const x = tf.input({ shape: [WIDTH] });
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
}
`;

describe('imports read only regular files inside the workspace (issue 12.2, 12.3)', function () {
  this.timeout(60_000);
  let tmp: string;
  let project: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-confine-'));
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(tmp, 'secret.ts'), `export const WIDTH = ${SECRET};\n`);
    fs.writeFileSync(path.join(project, 'model.ts'), MODEL);
  });
  afterEach(() => { confineReads(undefined); fs.rmSync(tmp, { recursive: true, force: true }); });

  const inputWidth = (file: string) => analyze(file, fs.readFileSync(file, 'utf8'), diskHost);

  it('a FIFO, /dev/zero behind a symlink and a huge file are refused at once, with the reason', () => {
    const fifo = path.join(project, 'fifo.ts');
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync('/dev/zero', path.join(project, 'zero.ts'));
    const huge = path.join(project, 'huge.ts');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, MAX_SOURCE_BYTES + 1);
    const t0 = performance.now();
    assert.throws(() => readSource(fifo), (e: Error) => e instanceof RefusedRead && /not a regular file/.test(e.message));
    assert.throws(() => readSource(path.join(project, 'zero.ts')), /not a regular file/);
    assert.throws(() => readSource(huge), /larger than 8 MB/);
    assert.equal(readSource(path.join(project, 'missing.ts')), undefined);
    assert.ok(performance.now() - t0 < 1000);
    // Through the analysis: the import is not followed, a note says why, and nothing hangs.
    fs.writeFileSync(path.join(project, 'model.ts'), MODEL.replace("'./width'", "'./fifo'"));
    const r = inputWidth(path.join(project, 'model.ts'));
    assert.ok(r.notes.some((n) => /fifo\.ts is not a regular file/.test(n)), r.notes.join('\n'));
  });

  it('a relative import out of the root, or a symlink out of it, is refused with a note', () => {
    confineReads([project]);
    fs.writeFileSync(path.join(project, 'model.ts'), MODEL.replace("'./width'", "'../secret'"));
    let r = inputWidth(path.join(project, 'model.ts'));
    assert.deepEqual(r.models[0].inputShapes, [[null, null]], 'the outside value does not reach the shape');
    assert.ok(r.notes.some((n) => /outside the workspace root/.test(n)), r.notes.join('\n'));

    fs.writeFileSync(path.join(project, 'model.ts'), MODEL);
    fs.symlinkSync(path.join(tmp, 'secret.ts'), path.join(project, 'width.ts'));
    r = inputWidth(path.join(project, 'model.ts'));
    assert.deepEqual(r.models[0].inputShapes, [[null, null]]);
    assert.ok(r.notes.some((n) => /links to .*secret\.ts, outside the workspace root/.test(n)), r.notes.join('\n'));

    // Inside the root the same import is followed (the check is not simply "no imports").
    confineReads([tmp]);
    assert.deepEqual(inputWidth(path.join(project, 'model.ts')).models[0].inputShapes, [[null, SECRET]]);
  });

  it('the CLI confines to the common root of its paths, or to --root', () => {
    fs.writeFileSync(path.join(project, 'model.ts'), MODEL.replace("'./width'", "'../secret'"));
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, '--format', 'json', ...args], { encoding: 'utf8' });
    const confined = run(path.join(project, 'model.ts'));
    assert.ok(!confined.stdout.includes(String(SECRET)), 'the outside value is not in the report');
    assert.match(confined.stdout, /outside the workspace root/);
    const widened = run('--root', tmp, path.join(project, 'model.ts'));
    assert.ok(widened.stdout.includes(String(SECRET)), widened.stdout.slice(0, 500));
    assert.equal(commonRoot([path.join(project, 'model.ts'), path.join(tmp, 'secret.ts')]), tmp);
  });

  it('the language server reads from disk only inside the workspace folders', () => {
    const docs = { all: () => [], get: () => undefined } as unknown as TextDocuments<TextDocument>;
    const files = new Files(docs);
    files.roots = () => [project];
    const host = files.recordingHost(new Map());
    assert.throws(() => host.readFile(path.join(tmp, 'secret.ts')), /outside the workspace root/);
    fs.writeFileSync(path.join(project, 'width.ts'), 'export const WIDTH = 3;\n');
    assert.match(host.readFile(path.join(project, 'width.ts')) ?? '', /WIDTH = 3/);
  });
});
