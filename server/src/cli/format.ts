// CLI output formats: human-readable lines, JSON and SARIF.
import * as path from 'node:path';
import type { Finding } from '../analysis';
import type { FileReport } from './check';

const rel = (p: string) => path.relative(process.cwd(), p) || p;

/** `path:line:col severity rule message`, 1-based like compilers print. */
export function formatHuman(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      lines.push(`${rel(r.path)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}`);
    }
  }
  const n = reports.reduce((a, r) => a + r.findings.length, 0);
  const models = reports.reduce((a, r) => a + r.models.length, 0);
  lines.push(`${reports.length} file${reports.length === 1 ? '' : 's'}, ${models} model${models === 1 ? '' : 's'}, ${n} finding${n === 1 ? '' : 's'}`);
  return lines.join('\n');
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({
    files: reports.map((r) => ({
      path: rel(r.path),
      findings: r.findings.map(({ rule, severity, message, range, fixes }) => ({
        rule, severity, message, range,
        fixes: fixes.map(({ title, edits }) => ({ title, edits })),
      })),
      models: r.models.map(({ name, range, layers }) => ({
        name, range,
        layers: layers.map(({ className, outputShape, range: lr }) => ({ className, outputShape, range: lr })),
      })),
    })),
  }, null, 2);
}

const SARIF_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

const RULES: { id: string; text: string }[] = [
  { id: 'residual-shape-mismatch', text: 'Operands of a merge (add, concatenate, ...) cannot combine: the shortcut needs a projection or the branch keeps the wrong shape.' },
  { id: 'residual-broadcast', text: 'A residual add only works by broadcasting a size-1 axis.' },
  { id: 'missing-same-padding', text: "A convolution or pooling inside a residual branch shrinks the tensor with 'valid' padding." },
  { id: 'bias-before-batchnorm', text: 'A bias right before BatchNormalization is cancelled by it: wasted parameters.' },
  { id: 'activation-before-batchnorm', text: 'A fused activation before BatchNormalization; the usual order is conv -> BN -> activation.' },
];

/** SARIF 2.1.0, as code-scanning services read it: 1-based lines and columns. */
export function formatSarif(reports: FileReport[]): string {
  const results = reports.flatMap((r) => r.findings.map((f) => ({
    ruleId: f.rule,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: rel(r.path).split(path.sep).join('/') },
        region: {
          startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
        },
      },
    }],
  })));
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'skipcheck', informationUri: 'https://www.npmjs.com/package/skipcheck', rules: RULES.map((r) => ({ id: r.id, shortDescription: { text: r.text } })) } },
      results,
    }],
  }, null, 2);
}
