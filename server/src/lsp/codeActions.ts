// Quick fixes for the findings under the cursor, "disable" comments, and "Fix all Skipcheck problems" (in the
// light-bulb menu and as source.fixAll). Shape fixes are re-analysed before they are offered; that is the
// slow part, so it is done only for the findings in the requested range, one re-analysis per turn of the
// event loop, and stops as soon as the request is cancelled or the document changes. Fix-all, which needs
// every fix in the file checked, is resolved only when chosen (codeAction/resolve) for clients that can.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { disableFileEdit, disableNextLineEdit, fixesSettled, verifyStep, type Finding, type Fix, type Range } from '../analysis';
import { toDiagnostic } from './diagnostics';
import type { Files } from './files';
import { comparePositions, editsConflict, rangesIntersect } from './ranges';
import type { Settings } from './settings';
import type { AnalysisStore, Snapshot } from './store';
import { nextTurn, type StopCheck } from './turns';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.skipcheck`;
const fixAllTitle = 'Fix all Skipcheck problems';
/** Typing pause (ms) before fixes are re-analysed for a light-bulb request. */
const quietMs = 60;

export interface CodeActionContext {
  files: Files;
  store: AnalysisStore;
  settings: Settings;
  /** Whether the client takes versioned `documentChanges`; otherwise plain `changes`. */
  documentChanges: boolean;
  /** Whether the client resolves a code action's edit later (codeAction/resolve); fix-all waits for it then. */
  resolveEdits: boolean;
  verifyStep: typeof verifyStep;
  /** Publishes a document's diagnostics again: a finding whose fixes all failed says so in its message. */
  republish: (uri: string) => Promise<void>;
}

/** What a deferred fix-all carries to its resolve request. */
interface FixAllData { skipcheckFixAll: true; uri: string; version: number }

type Shown = { finding: Finding; snapshot: Snapshot; diagnostic: Diagnostic };

/** Does the client's `only` filter ask for actions of `kind` (kinds are dot-separated hierarchies)? */
function wanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/** Findings in the document that the user sees (rules turned off offer nothing). */
function shownFindings(uri: string, ctx: CodeActionContext): Shown[] {
  return ctx.store.findingsFor(ctx.files.fileOf(uri)).flatMap(({ finding, snapshot }) => {
    const diagnostic = toDiagnostic(finding, ctx.settings, ctx.files);
    return diagnostic ? [{ finding, snapshot, diagnostic }] : [];
  });
}

/** Checks the fixes of `items` by re-analysis, one analysis per turn, stopping when asked to. */
export async function settleFixes(items: { finding: Finding; snapshot: Snapshot }[], ctx: CodeActionContext, stop: StopCheck): Promise<void> {
  const host = ctx.files.recordingHost(new Map());
  // VS Code asks on every cursor move while typing: let a short quiet spell pass first, so a keystroke that
  // follows at once cancels the request before any re-analysis delays its diagnostics.
  if (items.some(({ finding }) => !fixesSettled(finding))) await new Promise((r) => setTimeout(r, quietMs));
  const retold = new Set<string>();
  for (const { finding, snapshot } of items) {
    const message = finding.message;
    while (!fixesSettled(finding)) {
      await nextTurn();
      stop();
      ctx.verifyStep(snapshot.result, finding, snapshot.text, host);
    }
    if (finding.message !== message) retold.add(ctx.files.uriOf(finding.file));
  }
  await Promise.all([...retold].map((uri) => ctx.republish(uri)));
}

export async function codeActions(params: CodeActionParams, ctx: CodeActionContext, stop: StopCheck): Promise<CodeAction[]> {
  const uri = params.textDocument.uri;
  const findings = shownFindings(uri, ctx);
  const only = params.context.only;
  const actions: CodeAction[] = [];
  // Counted when needed: checking fixes may drop them all.
  const fixable = () => findings.filter((f) => f.finding.fixes.length > 0);

  if (wanted(only, CodeActionKind.QuickFix)) {
    const here = findings.filter((f) => rangesIntersect(f.finding.range, params.range));
    await settleFixes(here, ctx, stop);
    for (const { finding, snapshot, diagnostic } of here) {
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
    if (here.some((f) => f.finding.fixes.length > 0) && fixable().length > 1) {
      const all = await fixAllAction(uri, CodeActionKind.QuickFix, findings, ctx, stop);
      if (all) actions.push(all);
    }
    for (const shown of here) actions.push(...disableActions(shown, ctx));
  }

  if (wanted(only, fixAllKind) && fixable().length > 0) {
    const all = await fixAllAction(uri, fixAllKind, findings, ctx, stop);
    if (all) actions.push(all);
  }
  return actions;
}

/** Fix-all: deferred to resolve when the client can, else computed now; not offered when it would fix nothing. */
async function fixAllAction(uri: string, kind: string, findings: Shown[], ctx: CodeActionContext, stop: StopCheck): Promise<CodeAction | undefined> {
  const version = findings[0]?.snapshot.version ?? 0;
  if (ctx.resolveEdits && !findings.every((f) => fixesSettled(f.finding))) {
    const data: FixAllData = { skipcheckFixAll: true, uri, version: ctx.files.documentOf(ctx.files.fileOf(uri))?.version ?? version };
    return { title: fixAllTitle, kind, data };
  }
  await settleFixes(findings, ctx, stop);
  const action = fixAllEdit({ title: fixAllTitle, kind }, findings, ctx);
  return action.diagnostics?.length ? action : undefined;
}

function fixAllEdit(action: CodeAction, findings: Shown[], ctx: CodeActionContext): CodeAction {
  const preferred = findings.flatMap(({ finding, snapshot }) =>
    finding.fixes.filter((fix) => fix.isPreferred).map((fix) => ({ fix, snapshot })),
  );
  const chosen = nonOverlapping(preferred);
  return {
    ...action,
    title: chosen.length > 0 ? `${fixAllTitle} (${chosen.length})` : `${fixAllTitle} (none has a verified fix)`,
    diagnostics: findings.filter((f) => chosen.some((c) => f.finding.fixes.includes(c.fix))).map((f) => f.diagnostic),
    edit: workspaceEdit(chosen, ctx),
    data: undefined,
  };
}

export function isDeferredFixAll(action: CodeAction): boolean {
  return (action.data as FixAllData | undefined)?.skipcheckFixAll === true;
}

/** codeAction/resolve for a deferred fix-all: every fix in the document is checked now. */
export async function resolveFixAll(action: CodeAction, ctx: CodeActionContext, stop: StopCheck): Promise<CodeAction> {
  const data = action.data as FixAllData;
  const findings = shownFindings(data.uri, ctx);
  await settleFixes(findings, ctx, stop);
  return fixAllEdit(action, findings, ctx);
}

/** "Disable <rule> for this line" / "for the entire file", as ESLint offers. */
function disableActions({ finding, snapshot, diagnostic }: Shown, ctx: CodeActionContext): CodeAction[] {
  const text = finding.file === snapshot.file ? snapshot.text : ctx.files.documentOf(finding.file)?.getText();
  if (text === undefined) return [];
  const make = (title: string, edit: TextEdit): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit([{ fix: { title, file: finding.file, edits: [edit] }, snapshot }], ctx),
  });
  return [
    make(`Disable ${finding.rule} for this line`, disableNextLineEdit(text, finding)),
    make(`Disable ${finding.rule} for the entire file`, disableFileEdit(text, finding.rule)),
  ];
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
