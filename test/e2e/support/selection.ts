// mocha merges the spec glob of .mocharc.json with the files named on its command line, so
// `npx mocha test/x.test.ts` loads every test file. The editor tests take minutes and start a browser and a
// VS Code; they run under a plain `mocha`/`npm test` or when named, and say why when they stand aside.
import { resolve } from 'node:path';

export function notSelectedReason(testFile: string): string | undefined {
  const named = process.argv.slice(2).filter((a) => /\.test\.[cm]?[jt]s$/.test(a) && !/[*?{[]/.test(a));
  if (named.length === 0 || named.some((a) => resolve(a) === testFile)) return undefined;
  return `only ${named.join(' ')} named on the mocha command line`;
}

/** Call first in a before hook or test: marks it skipped, with the reason printed, when not selected. */
export function skipUnlessSelected(ctx: Mocha.Context, testFile: string): void {
  const reason = notSelectedReason(testFile);
  if (!reason) return;
  console.log(`      SKIPPED: ${reason}`);
  ctx.skip();
}
