// Where each rule is explained: docs/rules.md, shipped as dist/rules.md next to the server. Diagnostics link
// to the rule's heading as a file URI with a line fragment (`#L42`), which VS Code and most editors open at
// that line; a heading the file lacks gets no link rather than a wrong one.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: Map<string, string> | undefined;

/** dist/rules.md in the bundle; docs/rules.md when the server runs from the sources (tests). */
function docsFile(): string | undefined {
  const candidates = [path.join(__dirname, 'rules.md'), path.resolve(__dirname, '..', '..', '..', 'docs', 'rules.md'), path.resolve(__dirname, '..', 'docs', 'rules.md')];
  return candidates.find((c) => existsSync(c));
}

/** Rule id -> link to its section, read once. */
export function ruleDocLinks(): Map<string, string> {
  if (cached) return cached;
  cached = new Map();
  const file = docsFile();
  if (!file) return cached;
  const href = pathToFileURL(file).href;
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
    const m = /^## ([a-z-]+)\s*$/.exec(line);
    if (m) cached!.set(m[1], `${href}#L${i + 1}`);
  });
  return cached;
}
