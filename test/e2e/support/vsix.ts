// Packs the extension once per test process with the same script `npm run package` uses, into a temp
// folder so the repository's own .vsix (if any) is left alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..', '..');

let packed: string | undefined;

export function packVsix(): string {
  if (packed) return packed;
  const out = join(mkdtempSync(join(tmpdir(), 'skipcheck-vsix-')), 'skipcheck.vsix');
  execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', out], { cwd: REPO, stdio: 'pipe', timeout: 240_000 });
  packed = out;
  return out;
}

/** Unpacks with Info-ZIP, present on Debian images; returns the folder holding extension/. */
export function unpackVsix(vsix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'skipcheck-vsix-x-'));
  execFileSync('unzip', ['-q', vsix, '-d', dir]);
  return dir;
}

export function vsixEntries(vsix: string): string[] {
  return execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
