// Malformed base-protocol framing ends the language server (non-zero) instead of leaving it deaf but
// alive, so the editor's restart policy brings up a fresh one. Raw bytes go straight to its stdin.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { FramingGuard } from '../../server/src/lsp/framingGuard';
import { repoRoot, serverPath } from './lspHarness';

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const INITIALIZE = frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));

/** Writes `chunks` to a fresh server without closing its stdin; resolves with its exit (or 'alive' after `ms`). */
function feed(chunks: string[], ms = 8000): Promise<{ code: number | null | 'alive'; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [serverPath, '--stdio'], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    // `ms` counts from the last chunk written, so a slow start (a loaded machine) is not taken for a hang.
    let timer: NodeJS.Timeout | undefined;
    let exited = false;
    proc.on('exit', (code) => { exited = true; clearTimeout(timer); resolve({ code, stdout, stderr }); });
    void (async () => {
      for (const c of chunks) {
        if (c === 'WAIT_FOR_REPLY') { while (!stdout.includes('"id":1') && !exited) await new Promise((r) => setTimeout(r, 50)); continue; }
        proc.stdin.write(c);
      }
      if (!exited) timer = setTimeout(() => { proc.kill(); resolve({ code: 'alive', stdout, stderr }); }, ms);
    })();
  });
}

describe('language server: malformed framing', function () {
  this.timeout(60_000);
  before(function () {
    if (!fs.existsSync(serverPath)) this.skip();
  });

  const cases: Record<string, string[]> = {
    'a header line without a colon': ['garbage\r\n\r\n'],
    'no Content-Length': ['Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
    'a negative Content-Length': ['Content-Length: -5\r\n\r\n{}'],
    'a Content-Length that is not a number': ['Content-Length: ten\r\n\r\n{}'],
    'garbage after a valid initialize': [INITIALIZE, 'WAIT_FOR_REPLY', '\u0000\u0001binary junk\r\n\r\n'],
    'an endless header': ['X-Junk: ' + 'a'.repeat(20_000)],
  };
  for (const [name, chunks] of Object.entries(cases)) {
    it(`exits non-zero on ${name}, with the reason on stderr`, async () => {
      const r = await feed(chunks);
      assert.notEqual(r.code, 'alive', 'the server must not stay up deaf');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /malformed message framing/);
    });
  }

  it('stays up on valid messages split at every awkward place', async () => {
    const bytes = INITIALIZE + frame(JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} }));
    const chunks = bytes.match(/[\s\S]{1,7}/g)!;
    const r = await feed([...chunks, 'WAIT_FOR_REPLY'], 3000);
    assert.equal(r.code, 'alive', r.stderr);
    assert.match(r.stdout, /"serverInfo":\{"name":"skipcheck"/);
  });

  it('the guard accepts any split of valid framing, including multi-byte bodies and zero lengths', () => {
    const text = frame('{"a":"héllo ✓"}') + 'Content-Length: 0\r\n\r\n' + frame('{}');
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const problems: string[] = [];
      const g = new FramingGuard((r) => problems.push(r));
      g.push(bytes.subarray(0, cut));
      g.push(bytes.subarray(cut));
      g.push(Buffer.from('garbage\r\n\r\n'));
      assert.deepEqual(problems, ['malformed header line "garbage"'], `cut at ${cut}`);
    }
  });
});
