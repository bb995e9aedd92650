// The trainer's stdout is a stream of JSON lines; chunks from the pipe split lines (and UTF-8 characters)
// anywhere, so they are reassembled here before parsing.
import { StringDecoder } from 'node:string_decoder';
import { parseMessageLine } from '../../../contract/metrics';
import type { TrainerMessage } from '../../../contract/protocol';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Returns the lines completed by this chunk, without their line ending. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map(stripCr).filter((l) => l.length > 0);
  }

  /** The unterminated rest, once the stream has ended. */
  flush(): string[] {
    const rest = stripCr(this.pending + this.decoder.end());
    this.pending = '';
    return rest.length ? [rest] : [];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export type ParsedLine = { message: TrainerMessage } | { text: string };

/**
 * A protocol message, or plain text for anything else: a library that prints to stdout (tfjs does, on
 * backend registration) must end up in the log, not break the panel.
 */
export function parseTrainerLine(line: string): ParsedLine {
  const message = parseMessageLine(line);
  return message ? { message } : { text: line };
}
