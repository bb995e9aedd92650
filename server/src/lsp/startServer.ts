// Wires the language features to a connection. Kept apart from the entry point so the transport choice and
// the features do not depend on each other.
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { verifyStep, type analyze } from '../analysis';
import { codeActions, fixAllKind, isDeferredFixAll, resolveFixAll, type CodeActionContext } from './codeActions';
import { trainLenses } from './codeLens';
import { findDepthParam } from '../trainer/ablation/depthParam';
import { Files } from './files';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { SettingsCache } from './settings';
import { stopCheck } from './turns';
import { AnalysisStore } from './store';
import { Validator } from './validator';
import { Workspace } from './workspace';
import { SOURCE_EXTENSIONS } from './workspaceScan';

export interface ServerOptions {
  /** The analysis core, passed in by the entry point (tests pass their own). */
  analyze: typeof analyze;
  /** One step of checking fixes by re-analysis; tests wrap it to count and slow the checks. */
  verifyStep?: typeof verifyStep;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const files = new Files(documents);
  const store = new AnalysisStore(files);
  const workspace = new Workspace();
  const client = {
    configuration: false, dynamicConfiguration: false, documentChanges: false, inlayRefresh: false, lensRefresh: false, watchFiles: false,
    workspaceFolders: false, resolveEdits: false,
  };
  const settings = new SettingsCache(connection, () => client.configuration);
  const validator = new Validator({
    connection,
    documents,
    files,
    store,
    settings,
    analyze: options.analyze,
    workspace,
    onResultsChanged: () => {
      if (client.inlayRefresh) connection.languages.inlayHint.refresh().catch(() => undefined);
      if (client.lensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
  });

  /** Fresh analyses for a document and for the open documents that import it (they hold its helpers' sites). */
  const freshen = (uri: string) => {
    validator.ensureFresh(uri);
    // Closed importers are many and are re-analysed in the queue; a request does not wait for them (their
    // stale results are left out meanwhile), only for the open ones, as before the workspace index.
    for (const dep of validator.dependentsOf(files.fileOf(uri))) if (documents.get(dep)) validator.ensureFresh(dep);
    return files.fileOf(uri);
  };

  connection.onInitialize((params) => {
    const caps = params.capabilities;
    client.configuration = caps.workspace?.configuration === true;
    client.dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
    client.inlayRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    client.lensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    client.resolveEdits = caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    client.watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    client.workspaceFolders = caps.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setRoots(folders.filter((u) => u.startsWith('file:')).map((u) => files.fileOf(u)));
    files.roots = () => workspace.folders;
    if (params.initializationOptions) settings.changed(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: true },
        inlayHintProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'skipcheck' },
    };
  });

  connection.onInitialized(() => {
    if (client.dynamicConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'skipcheck' });
    }
    if (client.watchFiles && workspace.folders.length > 0) {
      const globPattern = `**/*.{${[...SOURCE_EXTENSIONS].map((e) => e.slice(1)).join(',')}}`;
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern }] }).catch(() => undefined);
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.map((f) => files.fileOf(f.uri)));
        const now = [...workspace.folders.filter((f) => !gone.has(f)), ...added.filter((f) => f.uri.startsWith('file:')).map((f) => files.fileOf(f.uri))];
        workspace.setRoots(now);
        // Files no longer under a folder leave the index; their analyses go when re-validated (not relevant).
        for (const file of workspace.graph.allFiles()) {
          if (workspace.contains(file)) continue;
          workspace.graph.set(file, undefined);
          validator.changedOnDisk(files.uriOf(file));
        }
        void indexWorkspace();
      });
    }
    void indexWorkspace();
  });

  /** Index the folders, then analyse the closed files that use tfjs, behind whatever the editor asks for. */
  const indexWorkspace = async () => {
    if (workspace.folders.length === 0) return;
    const start = Date.now();
    await workspace.index();
    const relevant = [...workspace.graph.relevant()];
    connection.console.log(
      `skipcheck: indexed ${workspace.graph.size} source files in ${Date.now() - start} ms; ${relevant.length} use tfjs` +
        (workspace.truncated ? ` (${workspace.truncated})` : ''),
    );
    for (const file of relevant) {
      const uri = files.uriOf(file);
      if (!documents.get(uri) && !store.get(uri)) validator.scheduleInBackground(uri);
    }
  };

  const onWatchedFilesChanged = async (changes: readonly { uri: string; type: FileChangeType }[]): Promise<void> => {
    for (const change of changes) {
      const file = files.fileOf(change.uri);
      // An open document's text is the editor's; its disk events say nothing new.
      if (!workspace.contains(file) || documents.get(files.uriOf(file))) continue;
      const wasRelevant = workspace.graph.isRelevant(file);
      if (change.type === FileChangeType.Deleted) workspace.update(file, undefined);
      else await workspace.refresh(file);
      if (wasRelevant || workspace.graph.isRelevant(file)) validator.changedOnDisk(files.uriOf(file));
    }
  };
  // The watcher ignores a returned promise: run the update here and log its failure instead of losing it.
  connection.onDidChangeWatchedFiles(({ changes }) => {
    void onWatchedFilesChanged(changes).catch((e: unknown) => connection.console.error(`skipcheck: file watch update failed: ${String(e)}`));
  });

  connection.onDidChangeConfiguration((params) => {
    settings.changed(params.settings);
    for (const doc of documents.all()) validator.schedule(doc.uri, 0);
  });

  // TextDocuments reports an open as a content change too; the open is validated at once, not debounced.
  const justOpened = new Set<string>();
  documents.onDidOpen(({ document }) => {
    justOpened.add(document.uri);
    validator.scheduleWithDependents(document.uri, 0);
  });
  documents.onDidChangeContent(({ document }) => {
    if (justOpened.delete(document.uri)) return;
    validator.scheduleWithDependents(document.uri);
  });
  documents.onDidClose(({ document }) => {
    justOpened.delete(document.uri);
    void validator.closed(document.uri);
  });

  connection.onHover((params) => {
    const file = freshen(params.textDocument.uri);
    return hover({
      sites: store.sitesFor(file), models: store.modelsFor(file), symbolicModels: store.symbolicModelsFor(file),
      entries: store.entriesFor(params.textDocument.uri), contracts: store.contractsFor(file),
    }, params.position);
  });

  /**
   * Code actions answer from the analysis of the version they ask about, and give up (with the LSP error
   * the client expects) once cancelled or once that version is no longer the document's.
   */
  const actionContext = async (uri: string): Promise<CodeActionContext> => ({
    files, store, settings: await settings.get(uri), documentChanges: client.documentChanges, resolveEdits: client.resolveEdits,
    verifyStep: options.verifyStep ?? verifyStep, republish: (target) => validator.publish(target),
  });
  const movedOn = (uri: string, version: number | undefined) => () => documents.get(uri)?.version !== version;

  connection.onCodeAction(async (params, token) => {
    const uri = params.textDocument.uri;
    const ctx = await actionContext(uri);
    freshen(uri);
    return codeActions(params, ctx, stopCheck(token, movedOn(uri, documents.get(uri)?.version)));
  });

  connection.onCodeActionResolve(async (action, token) => {
    if (!isDeferredFixAll(action)) return action;
    const { uri, version } = action.data as { uri: string; version: number };
    const stop = stopCheck(token, movedOn(uri, version));
    stop();
    const ctx = await actionContext(uri);
    freshen(uri);
    return resolveFixAll(action, ctx, stop);
  });

  connection.languages.inlayHint.on(async (params) => {
    const s = await settings.get(params.textDocument.uri);
    const file = freshen(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    // The document's own line model (a lone \r ends a line too), so end-of-line hints land on the right line.
    const lineText = (line: number) => doc?.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }) ?? '';
    return inlayHints(store.sitesFor(file), params.range, s, (line) => ({ line, character: lineText(line).trimEnd().length }));
  });

  connection.onCodeLens((params) => {
    validator.ensureFresh(params.textDocument.uri);
    const uri = params.textDocument.uri;
    return trainLenses(uri, store.entriesFor(uri), store.entryModelsFor(uri), documents.get(uri)?.getText());
  });

  // The client's "Train" command asks which exported builders the analysis found, so it never needs the
  // analyzer (and the TypeScript compiler) in the extension host itself.
  // Where each layer of an entry's model was created, so the training panel can link layer names to source.
  connection.onRequest('skipcheck/entryLayers', (params: { uri: string; entry: string }) => {
    validator.ensureFresh(params.uri);
    const model = store.entryModelsFor(params.uri).find((m) => m.entry === params.entry);
    return (model?.layers ?? []).map((l) => ({ className: l.className, file: l.file, line: l.range.start.line, character: l.range.start.character }));
  });

  // The depth parameter of a builder, for the palette's "Depth Sweep vs Plain Network" (null: none, not offered).
  // The client sends the saved text, so the answer is about the file the trainer will load.
  connection.onRequest('skipcheck/depthParam', (params: { text: string; entry: string }) => findDepthParam(params.text, params.entry) ?? null);

  connection.onRequest('skipcheck/entries', (params: { uri: string }) => {
    validator.ensureFresh(params.uri);
    return store.entriesFor(params.uri).filter((e) => e.requiredParams === 0).map((e) => e.name);
  });

  documents.listen(connection);
  connection.listen();
}
