// The `skipcheck` command line: argument parsing and dispatch to check, fix, train and setup-native.
import { checkFiles } from './check';
import { collectFiles, confineReads } from './files';
import { commonRoot } from '../io/readSource';
import { fixFiles } from './fix';
import { formatHuman, formatJson, formatSarif } from './format';
import { terminalSafe } from './terminal';

const USAGE = `Usage:
  skipcheck [--format human|json|sarif] [--fix] [--verbose] [--strict] [--root dir] <files or folders...>
  skipcheck train <file> [--entry fn] [--dataset mnist|synthetic|cifar10:<dir>|idx:<images>,<labels>]
                  [--epochs N] [--batch-size N] [--lr X] [--out dir]
  skipcheck setup-native [--from <dir>] [--gpu]
  skipcheck export <file> --to keras --out <dir> [--entry fn] [training options]

Checks TensorFlow.js residual networks (.ts/.js/.mts/.cts) for shape mismatches and ResNet mistakes.
  --verbose   print every note (what the analysis could not follow), not only their count
  --strict    exit 2 when a file could not be fully analysed (step budget, nesting, analyzer error)
  --root dir  imports are followed only inside this folder (default: the folder holding every path given)
Exit status: 0 no error finding, 1 error findings, 2 usage or internal error (or, with --strict, a file
not fully analysed).`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'train') return (await import('../trainer/cli.js')).runTrainCli(argv.slice(1));
  if (argv[0] === 'export') return (await import('../export/cli.js')).runExportCli(argv.slice(1));
  if (argv[0] === 'setup-native') return (await import('../native/setup.js')).runSetupNativeCli(argv.slice(1));
  let format = 'human';
  let fix = false;
  let verbose = false;
  let strict = false;
  let root: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { console.log(USAGE); return 0; }
    if (a === '--fix') fix = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--strict') strict = true;
    else if (a === '--root' || a.startsWith('--root=')) root = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    else if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.split('=')[1] : argv[++i];
      if (!['human', 'json', 'sarif'].includes(format)) { console.error(`skipcheck: unknown format '${format}'\n\n${USAGE}`); return 2; }
    } else if (a.startsWith('-')) { console.error(`skipcheck: unknown option '${a}'\n\n${USAGE}`); return 2; }
    else paths.push(a);
  }
  if (paths.length === 0) { console.error(`skipcheck: no files or folders given\n\n${USAGE}`); return 2; }
  const { files, missing } = collectFiles(paths);
  if (missing.length) { console.error(terminalSafe(`skipcheck: no such file or folder: ${missing.join(', ')}`)); return 2; }
  // Imports are read only inside the project: --root, else the folder holding every path given.
  confineReads([root ?? commonRoot(paths)]);
  if (fix) {
    const { changed, skipped } = fixFiles(files);
    if (format === 'human') for (const f of changed) console.log(terminalSafe(`fixed ${f}`));
    for (const s of skipped) console.error(terminalSafe(`skipcheck: --fix: ${s.file} ${s.reason}`));
  }
  const reports = checkFiles(files);
  const out = format === 'json' ? formatJson(reports) : format === 'sarif' ? formatSarif(reports) : formatHuman(reports, { verbose });
  console.log(out);
  if (strict) {
    const incomplete = [...new Set(reports.flatMap((r) => r.notes.filter((n) => n.incomplete).map((n) => n.file)))];
    if (incomplete.length) {
      console.error(terminalSafe(`skipcheck: --strict: not fully analysed: ${incomplete.join(', ')}`));
      return 2;
    }
  }
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`skipcheck: internal error: ${e instanceof Error ? e.stack : String(e)}`); process.exitCode = 2; },
);
