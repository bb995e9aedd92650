// Bundles every program the extension ships. Entry points that do not exist yet are skipped so the
// build works while parts of the product are still being written.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const targets = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // `skipcheck export` and `train --distributed` load the user's model like the trainer does.
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', external: ['@tensorflow/*', 'esbuild'] },
  // tfjs backends are native or large; the trainer resolves them at run time from the workspace first.
  { entryPoints: ['server/src/trainer/main.ts'], outfile: 'dist/trainer.js', external: ['@tensorflow/*', 'esbuild'] },
  // `train --distributed N`: exports to Keras and runs tf.distribute workers; speaks the trainer's protocol.
  { entryPoints: ['server/src/distributed/main.ts'], outfile: 'dist/distributed.js', external: ['@tensorflow/*', 'esbuild'] },
  { entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2020' },
];

for (const t of targets) {
  if (!existsSync(t.entryPoints[0])) continue;
  const opts = { ...common, ...t };
  if (watch) await (await esbuild.context(opts)).watch();
  else await esbuild.build(opts);
}

// `skipcheck setup-native` compiles the graph runner from its C source on the user's machine (it must link
// the user's TensorFlow), so the source ships next to the CLI bundle.
mkdirSync('dist/addon', { recursive: true });
copyFileSync('server/addon/graph_session.c', 'dist/addon/graph_session.c');
// Diagnostics link to their rule's section of docs/rules.md; the server finds it next to itself.
copyFileSync('docs/rules.md', 'dist/rules.md');
// The Python side of `skipcheck export --to keras` (converter driver, training script template).
mkdirSync('dist/python', { recursive: true });
for (const f of readdirSync('server/python')) if (f.endsWith('.py')) copyFileSync(`server/python/${f}`, `dist/python/${f}`);
