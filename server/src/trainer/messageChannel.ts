// The writing end of the message channel (protocol.ts) for the programs that speak it: the trainer and the
// distributed launcher. fd MESSAGE_FD when the driver opened it, else stdout (a run by hand).
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { MESSAGE_FD_ENV, type TrainerMessage } from '../../../contract/protocol';

export interface MessageChannel {
  /** The descriptor the messages go to, for a helper process that must write there too. */
  fd: number;
  stream: Writable;
  send: (message: TrainerMessage) => void;
}

export function openMessageChannel(): MessageChannel {
  const fd = Number(process.env[MESSAGE_FD_ENV]) || undefined;
  const stream: Writable = fd ? new Socket({ fd, readable: false, writable: true }) : process.stdout;
  return { fd: fd ?? 1, stream, send: (m) => { stream.write(JSON.stringify(m) + '\n'); } };
}
