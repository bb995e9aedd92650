// Reading the trainer's message stream back: one line, or a whole metrics.jsonl (the run folder's copy of the
// stream). The one reader of that format; the CLI report, the extension's history and the panel use it.
import { isTrainerMessage, type TrainerMessage } from './protocol';

/** A protocol message, or undefined for anything else (a library printing to stdout, a torn line). */
export function parseMessageLine(line: string): TrainerMessage | undefined {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isTrainerMessage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The messages of a metrics.jsonl. Tolerates a run still being written: complete lines end with '\n', so
 * the last piece (empty, or a line still being written) is skipped, as are lines that are not messages.
 */
export function parseMetricLines(text: string): TrainerMessage[] {
  const lines = text.split('\n');
  lines.pop();
  const messages: TrainerMessage[] = [];
  for (const line of lines) {
    const m = parseMessageLine(line);
    if (m) messages.push(m);
  }
  return messages;
}
