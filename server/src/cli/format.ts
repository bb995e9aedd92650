// The three output formats of `skipcheck`: human lines, JSON, SARIF. Each says what the analysis could not
// do (notes) as well as what it found, so "0 findings" is never mistaken for "clean" when it gave up.
import * as path from 'node:path';
import { RULES, RULE_IDS, type ContractInfo, type Finding } from '../analysis';
import type { FileReport } from './check';
import type { CliNote } from './notes';
import { terminalSafe } from './terminal';

const rel = (p: string) => path.relative(process.cwd(), p) || p;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const noteWhere = (n: CliNote) => `${rel(n.file)}${n.line !== undefined ? `:${n.line + 1}` : ''}`;

/** "block requires filters == x.shape[3]; strides == 1 (when project == false)". */
function contractText(c: ContractInfo): string {
  return `${c.function} requires ${c.requires.map((q) => `${q.text}${q.when ? ` (when ${q.when})` : ''}`).join('; ')}`;
}

/** `path:line:col severity rule message`, 1-based like compilers print; notes and contracts with `verbose`. */
export function formatHuman(reports: FileReport[], options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      lines.push(terminalSafe(`${rel(r.path)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}`));
    }
  }
  const notes = reports.flatMap((r) => r.notes);
  if (options.verbose) for (const n of notes) lines.push(terminalSafe(`${noteWhere(n)}: note: ${n.message}`));
  if (options.verbose) {
    for (const r of reports) {
      for (const c of r.contracts) lines.push(terminalSafe(`${rel(c.file)}:${c.range.start.line + 1}:${c.range.start.character + 1}: contract: ${contractText(c)}`));
    }
  }
  const n = reports.reduce((a, r) => a + r.findings.length, 0);
  const models = reports.reduce((a, r) => a + r.models.length, 0);
  const partial = reports.reduce((a, r) => a + r.models.filter((m) => m.partial).length, 0);
  lines.push(`${plural(reports.length, 'file')}, ${plural(models, 'model')}${partial ? ` (${partial} partial)` : ''}, ${plural(n, 'finding')}`);
  if (notes.length) {
    const incomplete = new Set(notes.filter((x) => x.incomplete).map((x) => x.file)).size;
    lines.push(`${plural(notes.length, 'note')}${incomplete ? ` (${plural(incomplete, 'file')} not fully analysed)` : ''}` +
      (options.verbose ? '' : '; --verbose shows them'));
  }
  return lines.join('\n');
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({
    files: reports.map((r) => ({
      path: rel(r.path),
      findings: r.findings.map(({ rule, severity, message, range, fixes, related }) => ({
        rule, severity, message, range,
        fixes: fixes.map(({ title, edits }) => ({ title, edits })),
        // Where else the finding comes from: the block's start, the call whose arguments break it.
        ...(related?.length ? { related: related.map((x) => ({ path: rel(x.file), range: x.range, message: x.message })) } : {}),
      })),
      models: r.models.map(({ name, range, layers, partial }) => ({
        name, range, ...(partial ? { partial } : {}),
        layers: layers.map(({ className, outputShape, range: lr }) => ({ className, outputShape, range: lr })),
      })),
      notes: r.notes.map((n) => ({ message: n.message, ...(n.line !== undefined ? { line: n.line } : {}), incomplete: n.incomplete })),
      // What each function analysed without a caller requires of its arguments; every call is checked against it.
      contracts: r.contracts.map(({ function: fn, range, requires }) => ({
        function: fn, range,
        requires: requires.map((q) => ({ text: q.text, ...(q.when ? { when: q.when } : {}), path: rel(q.file), range: q.range })),
      })),
    })),
  }, null, 2);
}

const SARIF_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF's rule metadata, from the rule registry. */
const sarifRules = () => RULE_IDS.map((id) => ({
  id,
  shortDescription: { text: `${RULES[id].summary[0].toUpperCase()}${RULES[id].summary.slice(1)}.` },
  defaultConfiguration: { level: SARIF_LEVEL[RULES[id].severity] },
}));

const sarifUri = (p: string) => rel(p).split(path.sep).join('/');

/** SARIF 2.1.0, as code-scanning services read it: 1-based lines and columns. */
export function formatSarif(reports: FileReport[]): string {
  const results = reports.flatMap((r) => r.findings.map((f) => ({
    ruleId: f.rule,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: sarifUri(r.path) },
        region: {
          startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
        },
      },
    }],
    ...(f.related?.length ? {
      relatedLocations: f.related.map((x, id) => ({
        id,
        message: { text: x.message },
        physicalLocation: {
          artifactLocation: { uri: sarifUri(x.file) },
          region: { startLine: x.range.start.line + 1, startColumn: x.range.start.character + 1, endLine: x.range.end.line + 1, endColumn: x.range.end.character + 1 },
        },
      })),
    } : {}),
  })));
  // Notes are about the run, not the code: SARIF's place for them is the invocation's notifications.
  const notifications = reports.flatMap((r) => r.notes.map((n) => ({
    level: n.incomplete ? 'warning' : 'note',
    message: { text: n.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: sarifUri(n.file) },
        ...(n.line !== undefined ? { region: { startLine: n.line + 1 } } : {}),
      },
    }],
  })));
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'skipcheck', informationUri: 'https://www.npmjs.com/package/skipcheck', rules: sarifRules() } },
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      results,
    }],
  }, null, 2);
}
