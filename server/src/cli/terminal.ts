// User text printed to a terminal: a layer's class name or a message taken from the user's file could
// otherwise carry escape sequences that move the cursor, rewrite earlier lines or retitle the window.
// C0/C1 controls, DEL, line/paragraph separators and bidirectional overrides are shown as escapes; tabs stay.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u{${c.codePointAt(0)!.toString(16)}}`);

/** For one-line output: newlines are escaped too. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_OR_NEWLINE, escape);
}

/** For multi-line blocks (a stack trace): newlines are kept. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE, escape);
}
