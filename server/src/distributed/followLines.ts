// Follows a JSON-lines file another process appends to (a worker's metrics.jsonl): polls its size and
// hands over each complete line once. Polling, because fs.watch misses appends on some file systems.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export class LineFollower {
  private offset = 0;
  private partial = '';
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly file: string, private readonly onLine: (line: string) => void, intervalMs = 200) {
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  /** Reads what was appended since the last call. */
  poll(): void {
    const size = statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
    if (size <= this.offset) return;
    const fd = openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const lines = (this.partial + buffer.subarray(0, read).toString('utf8')).split('\n');
      this.partial = lines.pop()!; // the writer has not finished this one yet
      for (const line of lines) if (line.trim()) this.onLine(line);
    } finally {
      closeSync(fd);
    }
  }

  /** A last read, then no more. */
  stop(): void {
    clearInterval(this.timer);
    this.poll();
  }
}
