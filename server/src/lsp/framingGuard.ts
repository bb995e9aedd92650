// The base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes), checked alongside the JSON-RPC
// reader. That reader reports a malformed header as an error and then waits forever: the server would stay
// alive but deaf, and the editor would never restart it. This guard reads the same bytes and ends the
// process instead, so the client's restart policy takes over.
import type { Readable } from 'node:stream';

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** Headers are two short fields in practice; anything this long without an end is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;

export class FramingGuard {
  private pending = Buffer.alloc(0);
  /** Body bytes still to skip; -1 while reading headers. */
  private bodyLeft = -1;
  private broken = false;

  constructor(private readonly onBroken: (reason: string) => void) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length) {
      if (this.bodyLeft >= 0) {
        const take = Math.min(this.bodyLeft, data.length);
        this.bodyLeft -= take;
        data = data.subarray(take);
        if (this.bodyLeft === 0) this.bodyLeft = -1;
        continue;
      }
      const end = data.indexOf(CRLFCRLF);
      if (end < 0) {
        if (data.length > MAX_HEADER_BYTES) return this.fail(`no end of header after ${data.length} bytes`);
        this.pending = Buffer.from(data);
        return;
      }
      const length = this.contentLength(data.subarray(0, end).toString('ascii'));
      if (length === undefined) return;
      data = data.subarray(end + CRLFCRLF.length);
      this.bodyLeft = length === 0 ? -1 : length;
    }
  }

  private contentLength(header: string): number | undefined {
    let length: number | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) { this.fail(`malformed header line ${JSON.stringify(line.slice(0, 80))}`); return undefined; }
      if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,15}$/.test(value)) { this.fail(`invalid Content-Length ${JSON.stringify(value.slice(0, 40))}`); return undefined; }
      length = Number(value);
    }
    if (length === undefined) this.fail('a header without Content-Length');
    return length;
  }

  private fail(reason: string): void {
    this.broken = true;
    this.onBroken(reason);
  }
}

/** Watches a transport stream; on broken framing says why on stderr and exits with status 1. */
export function exitOnBrokenFraming(input: Readable): void {
  const guard = new FramingGuard((reason) => {
    process.stderr.write(`skipcheck language server: malformed message framing (${reason}); exiting so the editor restarts the server.\n`);
    process.exit(1);
  });
  input.on('data', (chunk: Buffer | string) => guard.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
}
