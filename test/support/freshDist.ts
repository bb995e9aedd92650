// Mocha global setup (see .mocharc.json): tests that run the bundles (dist/cli.js, dist/server.js,
// dist/trainer.js, dist/webview.js) must never run a stale build. Before any test, dist/ is rebuilt when a
// bundle is missing or any source file is newer than the oldest bundle.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = ['client.js', 'server.js', 'cli.js', 'trainer.js', 'webview.js'].map((f) => path.join(ROOT, 'dist', f));
const SOURCES = ['server/src', 'server/addon', 'client/src', 'webview/src', 'contract', 'webview/training.css', 'scripts/build.mjs', 'package.json'];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

/** Why dist/ must be rebuilt, or undefined when every bundle is newer than every source. */
export function staleReason(): string | undefined {
  const built = BUNDLES.map((b) => fs.statSync(b, { throwIfNoEntry: false })?.mtimeMs);
  const missing = BUNDLES.filter((_, i) => built[i] === undefined);
  if (missing.length) return `missing ${missing.map((m) => path.relative(ROOT, m)).join(', ')}`;
  const oldest = Math.min(...(built as number[]));
  const changed = SOURCES.filter((s) => newestMtime(path.join(ROOT, s)) > oldest);
  return changed.length ? `sources changed since the last build: ${changed.join(', ')}` : undefined;
}

export function mochaGlobalSetup(): void {
  const why = staleReason();
  if (!why) return;
  console.log(`  rebuilding dist/ (${why})`);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
