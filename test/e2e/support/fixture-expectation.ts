// What the editor should show for the broken fixture, computed by the analysis core the language server
// runs, so the editor tests check the plumbing (diagnostic -> Problems, fix -> light bulb -> edit) against
// the core's own answer instead of copies of its messages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, SiteInfo } from '../../../server/src/analysis';
import { diskHost as host } from '../../../server/src/cli/files';

export const FIXTURE = resolve(__dirname, '..', '..', 'vscode-electron', 'workspace', 'broken-block.ts');

export interface InlayExpectation { position: { line: number; character: number }; label: string }

export interface FixtureExpectation {
  text: string;
  /** The finding whose preferred fix the tests apply. */
  target: Finding;
  preferred: Fix;
  /** The file after the preferred fix, and what the core still reports on it. */
  fixedText: string;
  remainingAfterFix: Finding[];
  /** Shape hints after stored .apply(...) calls, as the server words them, before and after the fix. */
  inlayHints: InlayExpectation[];
  inlayHintsAfterFix: InlayExpectation[];
  /** Hover on the layer the finding is about, as the server words it. */
  hover: { position: { line: number; character: number }; markdown: string } | undefined;
  /** Exported model builder, for the training command. */
  entry: string | undefined;
}


export function applyFix(text: string, fix: Fix): string {
  return TextDocument.applyEdits(TextDocument.create('file:///fixture.ts', 'typescript', 0, text), fix.edits);
}

/** The default the extension contributes for skipcheck.inlayHints.maxLength. */
function inlayMaxLength(): number {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as
    { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  return Number(manifest.contributes.configuration.properties['skipcheck.inlayHints.maxLength'].default);
}

/** Loaded on first use, so a core that does not load fails the editor tests, not every test file's import. */
async function loadCore() {
  const { analyze } = await import('../../../server/src/analysis/index.js');
  const { hoverText } = await import('../../../server/src/lsp/hover.js');
  const { inlayHints } = await import('../../../server/src/lsp/inlayHints.js');
  const { defaultSettings } = await import('../../../server/src/lsp/settings.js');
  const { rangeContains } = await import('../../../server/src/lsp/ranges.js');
  return { analyze, hoverText, inlayHints, defaultSettings, rangeContains };
}

export async function expectFixture(file = FIXTURE): Promise<FixtureExpectation> {
  const { analyze, hoverText, inlayHints, defaultSettings, rangeContains } = await loadCore();
  const settings = { ...defaultSettings, inlayHints: { ...defaultSettings.inlayHints, maxLength: inlayMaxLength() } };
  // The server's own placement (end of the line) and selection, over the whole file.
  const inlays = (sites: SiteInfo[], source: string): InlayExpectation[] => {
    const lines = source.split(/\r\n|\r|\n/);
    const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
    return inlayHints(sites, whole, settings, (line) => ({ line, character: (lines[line] ?? '').trimEnd().length }))
      .map((h) => ({ position: h.position, label: typeof h.label === 'string' ? h.label : JSON.stringify(h.label) }));
  };
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
  const fixed = analyze(file, fixedText, host);
  // The layer the finding is about (the convolution that shrinks the branch), else any layer.
  const hoverSite = result.sites.find((s) => s.kind === 'layer' && rangeContains(s.range, target.range.start))
    ?? result.sites.find((s) => s.kind === 'layer');
  return {
    text, target, preferred, fixedText,
    remainingAfterFix: fixed.findings,
    inlayHints: inlays(result.sites, text),
    inlayHintsAfterFix: inlays(fixed.sites, fixedText),
    hover: hoverSite && { position: hoverSite.range.start, markdown: hoverText(hoverSite) },
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
  hover: FixtureExpectation['hover'];
  inlayHints: InlayExpectation[];
  inlayHintsAfterFix: InlayExpectation[];
  entry: string | undefined;
}

/** Plain JSON for code that runs where the analysis core cannot be loaded (the VS Code extension host). */
export async function expectInEditor(file = FIXTURE): Promise<EditorExpectation> {
  const e = await expectFixture(file);
  return {
    target: { rule: e.target.rule, message: e.target.message, start: e.target.range.start },
    preferredTitle: e.preferred.title,
    fixedText: e.fixedText,
    remainingAfterFix: e.remainingAfterFix.length,
    hover: e.hover,
    inlayHints: e.inlayHints,
    inlayHintsAfterFix: e.inlayHintsAfterFix,
    entry: e.entry,
  };
}
