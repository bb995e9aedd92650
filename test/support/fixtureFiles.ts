// Where the fixtures and examples live, so every test (ground truth, analyzer comparison) walks the same set.
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

const SOURCE_FILE = /\.(ts|js)$/;

/**
 * Source files directly in `dir`: not in subfolders (good/lib only holds imported helpers), and not dotfiles
 * (scratch copies that tests write next to a fixture so its relative imports still resolve).
 */
function sourceFilesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/** Models that must build with tfjs and that the analyzer must not report anything in. */
export const goodFixtures = (): string[] => sourceFilesIn(path.join(FIXTURES_DIR, 'good'));

/** Models with `// expect:` headers; see support/expectations.ts. */
export const brokenFixtures = (): string[] => sourceFilesIn(path.join(FIXTURES_DIR, 'broken'));

/** The examples from the README: every file but broken-block.ts is clean. */
export const exampleFiles = (): string[] => sourceFilesIn(EXAMPLES_DIR);

export const BROKEN_EXAMPLE = path.join(EXAMPLES_DIR, 'broken-block.ts');
