// The Python programs Skipcheck runs or hands out (server/python/): next to the bundle in dist/python
// (scripts/build.mjs copies them), or in the source tree when running from TypeScript.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function pythonScript(name: string): string {
  const candidates = [join(__dirname, 'python', name), join(__dirname, '..', '..', 'python', name)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`${name} is missing (looked in ${candidates.join(', ')}); rebuild Skipcheck (npm run build).`);
  return found;
}
