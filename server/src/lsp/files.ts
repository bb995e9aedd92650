// Maps between LSP URIs and the file names the analysis core works with, and reads files for it:
// open documents first (unsaved edits win), else disk. Every read is recorded so a change to an imported
// helper can re-validate the documents that read it, and so results can be checked for staleness.
import { readSource } from '../io/readSource';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisHost } from '../analysis';

/** The version of each file as read; null for files read from disk. */
export type ReadVersions = Map<string, number | null>;

export class Files {
  /**
   * The workspace folders: files on disk are read for imports only inside them (and never through a symlink
   * out of them). Without folders (a lone file) only the regular-file and size checks apply.
   */
  roots: () => readonly string[] = () => [];

  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  /** Absolute path for file: URIs; other schemes (untitled:) keep the URI as their name. */
  fileOf(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }

  /**
   * The URI to publish to. Clients spell URIs differently (VS Code escapes ':' in drive letters), so an
   * open document's own spelling wins over a freshly built one.
   */
  uriOf(file: string): string {
    for (const doc of this.documents.all()) if (this.fileOf(doc.uri) === file) return doc.uri;
    return /^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToFileURL(file).href;
  }

  /** The open document for a file name, if any. */
  documentOf(file: string): TextDocument | undefined {
    return this.documents.get(this.uriOf(file));
  }

  /** A host for one analysis run that records what it read. */
  recordingHost(reads: ReadVersions): AnalysisHost {
    return {
      readFile: (path) => {
        const doc = this.documentOf(path);
        if (doc) {
          reads.set(path, doc.version);
          return doc.getText();
        }
        // Refusals (outside the workspace, not a regular file, too large) throw: the analysis notes why.
        const text = readSource(path, this.roots());
        if (text !== undefined) reads.set(path, null);
        return text;
      },
    };
  }
}
