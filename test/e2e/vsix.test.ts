// The packed .vsix: what it carries, and that what it carries runs from where VS Code unpacks it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { REPO, packVsix, unpackVsix, vsixEntries } from './support/vsix';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string; contributes?: { snippets?: { path: string }[] } };

// Top-level files vsce itself adds next to extension/.
const VSIX_METADATA = new Set(['extension.vsixmanifest', '[Content_Types].xml']);
// vsce stores README.md as readme.md and LICENSE as LICENSE.txt.
const ALLOWED = [/^package\.json$/, /^readme\.md$/i, /^LICENSE(\.txt)?$/, /^dist\/[^/]+\.(js|css)$/, /^dist\/rules\.md$/, /^dist\/python\/[^/]+\.py$/, /^dist\/node_modules\//, /^snippets\/[^/]+\.code-snippets$/, /^media\//];

describe('packaged .vsix', function () {
  this.timeout(300_000);
  let vsix: string;
  let entries: string[];
  let unpacked: string;

  before(function () {
    vsix = packVsix();
    entries = vsixEntries(vsix).filter((e) => !VSIX_METADATA.has(e)).map((e) => e.replace(/^extension\//, ''));
    unpacked = join(unpackVsix(vsix), 'extension');
    console.log(`      .vsix ${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB, ${entries.length} files`);
  });

  it('carries only the bundles, the rule docs, the Python scripts of the Keras export, generated snippets, media, manifest, README and LICENSE', function () {
    const stray = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(stray, [], 'files that should not ship');
    assert.ok(!entries.some((e) => e.endsWith('.ts') || e.endsWith('.map')), 'no sources or source maps');
  });

  it('contains every file the manifest points at', function () {
    const needed = [manifest.main, 'README.md', ...(manifest.contributes?.snippets ?? []).map((s) => s.path), 'dist/server.js', 'dist/trainer.js', 'dist/webview.js', 'dist/cli.js',
      'dist/distributed.js', 'dist/python/train_distributed.py', 'dist/python/export_keras.py', 'dist/python/skipcheck_tfjs.py']
      .map((p) => p.replace(/^\.\//, ''));
    const shipped = new Set(entries.map((e) => e.toLowerCase()));
    assert.deepEqual(needed.filter((p) => !shipped.has(p.toLowerCase())), []);
    assert.ok(entries.some((e) => /^LICENSE/.test(e)), 'LICENSE');
  });

  it('runs the bundled CLI\'s setup-native from the unpacked extension (what "Set Up Native TensorFlow" starts)', function () {
    const r = spawnSync(process.execPath, [join(unpacked, 'dist', 'cli.js'), 'setup-native', '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: skipcheck setup-native/);
  });

  it('runs the bundled tfjs fallback from the unpacked extension with the numbers of real tfjs', async function () {
    const fromDist = createRequire(join(unpacked, 'dist', 'package.json'));
    const resolved = fromDist.resolve('@tensorflow/tfjs');
    assert.ok(resolved.startsWith(unpacked), `resolved outside the extension: ${resolved}`);
    const fallback = fromDist('@tensorflow/tfjs') as typeof tf;
    await fallback.ready();
    assert.equal(fallback.getBackend(), 'cpu');
    // Same seeded dense layer through both copies: the bundle must compute exactly what tfjs computes.
    // Both copies find one shared engine on globalThis, hence distinct layer names.
    const run = (t: typeof tf, name: string): number[] => {
      const layer = t.layers.dense({ name, units: 3, kernelInitializer: t.initializers.glorotUniform({ seed: 7 }) });
      return Array.from((layer.apply(t.tensor2d([[1, 2, 3, 4]])) as tf.Tensor).dataSync());
    };
    assert.deepEqual(run(fallback, 'fallback_dense'), run(tf, 'repo_dense'));
  });

  it('runs the bundled esbuild, which the trainer compiles model files with', function () {
    const out = execFileSync(process.execPath, ['-e',
      `require(${JSON.stringify(join(unpacked, 'dist', 'node_modules', 'esbuild'))}).transform('const n: number = 1', { loader: 'ts' }).then((r) => process.stdout.write(r.code))`],
    { encoding: 'utf8', env: { ...process.env, ESBUILD_BINARY_PATH: '' } });
    assert.equal(out.trim(), 'const n = 1;');
  });
});
