// Slow work on the server's only thread, done in turns of the event loop: between two turns the connection
// reads new messages (a $/cancelRequest, a newer didChange, a hover) and the validator publishes. Work that
// was cancelled, or whose document has moved on, stops at the next turn instead of finishing for nobody.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

export type StopCheck = () => void;

/** Throws the LSP error the client expects once the request is cancelled or its document changed. */
export function stopCheck(token: CancellationToken, documentMovedOn: () => boolean): StopCheck {
  return () => {
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (documentMovedOn()) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
  };
}

/**
 * Lets the event loop run before the next step: a timer, not setImmediate, so the validator's due debounce
 * timers (registered earlier) fire first and diagnostics are never queued behind a code action's checks.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
