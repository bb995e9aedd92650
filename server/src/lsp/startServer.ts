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
import type { analyze } from '../analysis';
import { codeActions, fixAllKind } from './codeActions';
import { trainLenses } from './codeLens';
import { Files } from './files';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { SettingsCache } from './settings';
import { AnalysisStore } from './store';
import { Validator } from './validator';
import { Workspace } from './workspace';
import { SOURCE_EXTENSIONS } from './workspaceScan';

export interface ServerOptions {
  /** The analysis core, passed in by the entry point (tests pass their own). */
  analyze: typeof analyze;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const files = new Files(documents);
  const store = new AnalysisStore(files);
  const workspace = new Workspace();
  const client = {
    configuration: false, dynamicConfiguration: false, documentChanges: false, inlayRefresh: false, lensRefresh: false, watchFiles: false,
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
    for (const dep of validator.dependentsOf(files.fileOf(uri))) validator.ensureFresh(dep);
    return files.fileOf(uri);
  };

  connection.onInitialize((params) => {
    const caps = params.capabilities;
    client.configuration = caps.workspace?.configuration === true;
    client.dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
    client.inlayRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    client.lensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    client.watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setRoots(folders.filter((u) => u.startsWith('file:')).map((u) => files.fileOf(u)));
    if (params.initializationOptions) settings.changed(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
        inlayHintProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
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
      if (!documents.get(uri)) validator.scheduleInBackground(uri);
    }
  };

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const file = files.fileOf(change.uri);
      // An open document's text is the editor's; its disk events say nothing new.
      if (!workspace.contains(file) || documents.get(files.uriOf(file))) continue;
      const wasRelevant = workspace.graph.isRelevant(file);
      if (change.type === FileChangeType.Deleted) workspace.update(file, undefined);
      else await workspace.refresh(file);
      if (wasRelevant || workspace.graph.isRelevant(file)) validator.changedOnDisk(files.uriOf(file));
    }
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
    return hover({ sites: store.sitesFor(file), models: store.modelsFor(file), entries: store.entriesFor(params.textDocument.uri), contracts: store.contractsFor(file) }, params.position);
  });

  connection.onCodeAction(async (params) => {
    const s = await settings.get(params.textDocument.uri);
    freshen(params.textDocument.uri);
    return codeActions(params, { files, store, settings: s, documentChanges: client.documentChanges });
  });

  connection.languages.inlayHint.on(async (params) => {
    const s = await settings.get(params.textDocument.uri);
    const file = freshen(params.textDocument.uri);
    return inlayHints(store.sitesFor(file), params.range, s);
  });

  connection.onCodeLens((params) => {
    validator.ensureFresh(params.textDocument.uri);
    return trainLenses(params.textDocument.uri, store.entriesFor(params.textDocument.uri));
  });

  // The client's "Train" command asks which exported builders the analysis found, so it never needs the
  // analyzer (and the TypeScript compiler) in the extension host itself.
  connection.onRequest('skipcheck/entries', (params: { uri: string }) => {
    validator.ensureFresh(params.uri);
    return store.entriesFor(params.uri).filter((e) => e.requiredParams === 0).map((e) => e.name);
  });

  documents.listen(connection);
  connection.listen();
}
