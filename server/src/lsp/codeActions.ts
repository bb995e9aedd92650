// Quick fixes from the analyzer's fixes, and a source.fixAll that applies every preferred fix in one edit.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { ensureFixesVerified, type Fix, type Range } from '../analysis';
import { toDiagnostic } from './diagnostics';
import type { Files } from './files';
import { comparePositions, editsConflict, rangesIntersect } from './ranges';
import type { Settings } from './settings';
import type { AnalysisStore, Snapshot } from './store';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.skipcheck`;

export interface CodeActionContext {
  files: Files;
  store: AnalysisStore;
  settings: Settings;
  /** Whether the client takes versioned `documentChanges`; otherwise plain `changes`. */
  documentChanges: boolean;
}

/** Does the client's `only` filter ask for actions of `kind` (kinds are dot-separated hierarchies)? */
function wanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(params: CodeActionParams, ctx: CodeActionContext): CodeAction[] {
  const file = ctx.files.fileOf(params.textDocument.uri);
  // Shape fixes are checked by re-analysis only now that someone asks for them (once per analysis).
  const host = ctx.files.recordingHost(new Map());
  for (const { snapshot } of ctx.store.findingsFor(file)) ensureFixesVerified(snapshot.result, snapshot.text, host);
  // Findings of rules the user turned off offer no fixes either.
  const findings = ctx.store.findingsFor(file).flatMap(({ finding, snapshot }) => {
    const diagnostic = toDiagnostic(finding, ctx.settings, ctx.files);
    return diagnostic ? [{ finding, snapshot, diagnostic }] : [];
  });
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (wanted(only, CodeActionKind.QuickFix)) {
    for (const { finding, snapshot, diagnostic } of findings) {
      if (!rangesIntersect(finding.range, params.range)) continue;
      for (const fix of finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred === true,
          edit: workspaceEdit([{ fix, snapshot }], ctx),
        });
      }
    }
  }

  if (wanted(only, fixAllKind)) {
    const preferred = findings.flatMap(({ finding, snapshot }) =>
      finding.fixes.filter((fix) => fix.isPreferred).map((fix) => ({ fix, snapshot })),
    );
    const chosen = nonOverlapping(preferred);
    if (chosen.length > 0) {
      actions.push({
        title: `Fix all Skipcheck problems (${chosen.length})`,
        kind: fixAllKind,
        diagnostics: findings.filter((f) => chosen.some((c) => f.finding.fixes.includes(c.fix))).map((f) => f.diagnostic),
        edit: workspaceEdit(chosen, ctx),
      });
    }
  }
  return actions;
}

type SourcedFix = { fix: Fix; snapshot: Snapshot };

/**
 * Fixes in document order, each taken whole or not at all: one that touches text an earlier fix already
 * edits is left for the next round, after the first edit lands and the file is re-analysed.
 */
export function nonOverlapping(fixes: SourcedFix[]): SourcedFix[] {
  const ordered = [...fixes].sort((a, b) => firstEditOrder(a.fix, b.fix));
  const taken: SourcedFix[] = [];
  const used = new Map<string, Range[]>();
  const seen = new Set<string>();
  for (const f of ordered) {
    const key = JSON.stringify([f.fix.file, f.fix.edits]);
    if (seen.has(key)) continue;
    seen.add(key);
    const usedInFile = used.get(f.fix.file) ?? [];
    if (f.fix.edits.some((e) => usedInFile.some((r) => editsConflict(r, e.range)))) continue;
    used.set(f.fix.file, [...usedInFile, ...f.fix.edits.map((e) => e.range)]);
    taken.push(f);
  }
  return taken;
}

function firstEditOrder(a: Fix, b: Fix): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const start = (f: Fix) => f.edits.reduce<Range['start'] | null>((m, e) => (!m || comparePositions(e.range.start, m) < 0 ? e.range.start : m), null);
  const sa = start(a);
  const sb = start(b);
  return sa && sb ? comparePositions(sa, sb) : 0;
}

/**
 * One edit for several fixes. Each file's edit carries the document version the analysis read, so a client
 * that has moved on rejects it instead of applying it to the wrong text.
 */
function workspaceEdit(fixes: SourcedFix[], ctx: CodeActionContext): WorkspaceEdit {
  const byFile = new Map<string, { edits: TextEdit[]; version: number | null }>();
  for (const { fix, snapshot } of fixes) {
    const version = fix.file === snapshot.file ? snapshot.version : snapshot.reads.get(fix.file) ?? null;
    const entry = byFile.get(fix.file) ?? { edits: [], version };
    entry.edits.push(...fix.edits);
    byFile.set(fix.file, entry);
  }
  if (!ctx.documentChanges) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [file, { edits }] of byFile) changes[ctx.files.uriOf(file)] = edits;
    return { changes };
  }
  const documentChanges: TextDocumentEdit[] = [...byFile].map(([file, { edits, version }]) => ({
    textDocument: { uri: ctx.files.uriOf(file), version },
    edits,
  }));
  return { documentChanges };
}
