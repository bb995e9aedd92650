// The server in a real editor other than VS Code: headless Neovim (Debian's `neovim`) runs
// neovim-client.lua, which drives the server through Neovim's own LSP client and reports as JSON.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyzeFromDisk, buildText, fixture, tfjsShape } from './expected';
import { repoRoot, serverPath } from './lspHarness';

interface NeovimReport {
  nvim: string;
  error?: string;
  client_started: boolean;
  got_diagnostics: boolean;
  diagnostics: { lnum: number; col: number; message: string; severity: number; source: string; code: string }[];
  actions: { title: string; kind: string; isPreferred: boolean }[];
  hover?: string;
  after_fix_clean?: boolean;
  fixed_text?: string;
}

function hasNvim(): boolean {
  return spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** One attempt to install Debian's neovim (root only, bounded); the test skips when there is still none. */
function installNvim(): string | undefined {
  if (hasNvim()) return undefined;
  if (process.getuid?.() !== 0) return 'nvim is not installed and this user cannot apt-get install it';
  const apt = spawnSync('sh', ['-c', 'apt-get install -y -qq neovim || (apt-get update -qq && apt-get install -y -qq neovim)'], {
    stdio: 'ignore',
    timeout: 240_000,
  });
  return hasNvim() ? undefined : `nvim is not installed and 'apt-get install neovim' failed (status ${apt.status})`;
}

describe('Neovim as a client of the language server', function () {
  this.timeout(300_000);
  let report: NeovimReport;
  const { file, text } = fixture('broken.ts');
  const expected = analyzeFromDisk(file, text).findings.filter((f) => f.file === file);

  before(function () {
    const missing = installNvim();
    if (missing) {
      console.log(`    skipped: ${missing}`);
      this.skip();
    }
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-nvim-'));
    try {
      const copy = path.join(dir, 'broken.ts');
      fs.writeFileSync(copy, text);
      const out = path.join(dir, 'report.json');
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(__dirname, 'neovim-client.lua')}`], {
        env: { ...process.env, SKIPCHECK_SERVER: serverPath, SKIPCHECK_FILE: copy, SKIPCHECK_OUT: out },
        timeout: 90_000,
        encoding: 'utf8',
      });
      assert.ok(fs.existsSync(out), `nvim wrote no report (status ${run.status}, signal ${run.signal}): ${run.stderr}`);
      report = JSON.parse(fs.readFileSync(out, 'utf8')) as NeovimReport;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(report.error, undefined, `the Lua client failed: ${report.error}`);
  });

  it('starts the server and shows its diagnostics', () => {
    assert.ok(report.client_started && report.got_diagnostics, `Neovim ${report.nvim} got no diagnostics`);
    assert.ok(expected.length > 0);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.lnum, d.col, d.code, d.source, d.message]).sort(),
      expected.map((f) => [f.range.start.line, f.range.start.character, f.rule, 'skipcheck', f.message]).sort(),
    );
  });

  it('lists the quick fixes and the fix-all action', () => {
    const first = expected.find((f) => f.range.start.line === Math.min(...expected.map((e) => e.range.start.line)))!;
    const titles = report.actions.filter((a) => a.kind === 'quickfix').map((a) => a.title);
    for (const fix of first.fixes) assert.ok(titles.includes(fix.title), `${fix.title} in ${titles}`);
    assert.ok(report.actions.some((a) => a.kind === 'source.fixAll.skipcheck'));
  });

  it('shows shape hovers', () => {
    // The hovered line is the 'valid' 3x3 conv on a [null,32,32,16] input.
    const shape = tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }).computeOutputShape([null, 32, 32, 16]);
    assert.ok(report.hover?.startsWith(`**Conv2D** → \`${tfjsShape(shape)}\``), report.hover);
  });

  it('applies fix-all through Neovim, after which tfjs builds the model and the diagnostics clear', () => {
    assert.ok(report.fixed_text, 'the fix-all edit was applied');
    assert.equal(report.after_fix_clean, true);
    assert.doesNotThrow(() => buildText(report.fixed_text!, 'buildModel'));
  });
});
