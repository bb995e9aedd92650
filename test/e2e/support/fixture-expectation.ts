// What the editor should show for the broken fixture, computed by the analysis core the language server
// runs, so the editor tests check the plumbing (diagnostic -> Problems, fix -> light bulb -> edit) against
// the core's own answer instead of copies of its messages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisHost, AnalysisResult, Finding, Fix } from '../../../server/src/analysis';

export const FIXTURE = resolve(__dirname, '..', '..', 'vscode-electron', 'workspace', 'broken-block.ts');

export interface FixtureExpectation {
  text: string;
  /** The finding whose preferred fix the tests apply. */
  target: Finding;
  preferred: Fix;
  /** The file after the preferred fix, and what the core still reports on it. */
  fixedText: string;
  remainingAfterFix: Finding[];
  /** Exported model builder, for the training command. */
  entry: string | undefined;
}

const host = { readFile: (p: string): string | undefined => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };

export function applyFix(text: string, fix: Fix): string {
  return TextDocument.applyEdits(TextDocument.create('file:///fixture.ts', 'typescript', 0, text), fix.edits);
}

type Analyze = (file: string, text: string, host?: AnalysisHost) => AnalysisResult;

/** Loaded on first use, so a core that does not load fails the editor tests, not every test file's import. */
async function loadAnalyze(): Promise<Analyze> {
  return (await import('../../../server/src/analysis/index.js')).analyze;
}

export async function expectFixture(file = FIXTURE): Promise<FixtureExpectation> {
  const analyze = await loadAnalyze();
  const text = readFileSync(file, 'utf8');
  const result = analyze(file, text, host);
  const target = result.findings.find((f) => f.fixes.some((x) => x.isPreferred));
  if (!target) {
    throw new Error(`the analysis core reports no finding with a preferred fix for ${file} ` +
      `(${result.findings.length} findings: ${result.findings.map((f) => f.rule).join(', ') || 'none'}); ` +
      'the editor tests have nothing to look for until it does');
  }
  const preferred = target.fixes.find((x) => x.isPreferred) as Fix;
  const fixedText = applyFix(text, preferred);
  return {
    text, target, preferred, fixedText,
    remainingAfterFix: analyze(file, fixedText, host).findings,
    entry: result.entries[0]?.name,
  };
}

/** Where Problems and "Go to Line" put the finding: 1-based line and column. */
export function lineCol(finding: Finding): { line: number; col: number } {
  return { line: finding.range.start.line + 1, col: finding.range.start.character + 1 };
}


export interface EditorExpectation {
  target: { rule: string; message: string; start: { line: number; character: number } };
  preferredTitle: string;
  fixedText: string;
  remainingAfterFix: number;
  /** Hover at a merge (or any layer) site, as the server words it. */
  hover: { position: { line: number; character: number }; markdown: string } | undefined;
  /** Shape hints after stored .apply(...) calls. */
  inlayHints: { position: { line: number; character: number }; label: string }[];
  entry: string | undefined;
}

/** Plain JSON for code that runs where the analysis core cannot be loaded (the VS Code extension host). */
export async function expectInEditor(file = FIXTURE): Promise<EditorExpectation> {
  const e = await expectFixture(file);
  const { analyze } = await import('../../../server/src/analysis/index.js');
  const { hoverText } = await import('../../../server/src/lsp/hover.js');
  const { formatShapes, truncate } = await import('../../../server/src/lsp/shapes.js');
  // The hint length the extension contributes as default for skipcheck.inlayHints.maxLength.
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as
    { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  const maxLength = Number(manifest.contributes.configuration.properties['skipcheck.inlayHints.maxLength'].default);
  const sites = analyze(file, e.text, host).sites;
  const hoverSite = sites.find((s) => s.operandShapes?.length) ?? sites.find((s) => s.kind === 'layer');
  return {
    target: { rule: e.target.rule, message: e.target.message, start: e.target.range.start },
    preferredTitle: e.preferred.title,
    fixedText: e.fixedText,
    remainingAfterFix: e.remainingAfterFix.length,
    hover: hoverSite && { position: hoverSite.range.start, markdown: hoverText(hoverSite) },
    inlayHints: sites.filter((s) => s.kind === 'apply' && s.storedIn && s.shapes.length)
      .map((s) => ({ position: s.range.end, label: truncate(formatShapes(s.shapes), maxLength) })),
    entry: e.entry,
  };
}
