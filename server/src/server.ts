// Skipcheck language server: diagnostics, fixes, shape hovers and hints, and train lenses for tfjs ResNet code.
// Runs over stdio or node IPC (chosen by argv, as vscode-languageserver does) so any LSP editor can use it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { analyze } from './analysis';
import { exitOnBrokenFraming } from './lsp/framingGuard';
import { startServer } from './lsp/startServer';
import { AnalysisCaches } from './lsp/analysisCaches';

const transports = ['--stdio', '--node-ipc', '--socket=', '--pipe=', '--clientProcessId='];
if (!process.argv.slice(2).some((a) => transports.some((t) => a.startsWith(t)))) {
  process.stderr.write(
    'skipcheck language server: choose a transport.\n' +
      '  node dist/server.js --stdio        (Neovim, Helix, Emacs, most editors)\n' +
      '  node dist/server.js --node-ipc     (VS Code, started by the extension)\n',
  );
  process.exit(2);
}

// Diagnostics go out without checking each fix by re-analysis; code actions check them when asked for.
// Functions a keystroke did not change are taken from the file's last analysis.
const caches = new AnalysisCaches();
startServer(createConnection(ProposedFeatures.all), { analyze: (file, text, host) => analyze(file, text, host, { verify: false, cache: caches.for(file) }) });

// Over stdio a malformed header would leave the server deaf but alive; exit so the client restarts it.
// (node-ipc carries whole messages, no framing.)
if (process.argv.includes('--stdio')) exitOnBrokenFraming(process.stdin);
