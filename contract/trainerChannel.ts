// What crosses the process boundary between the trainer (server/) and its drivers (CLI, VS Code client) at
// run time: where the messages flow and which JSON values count as messages. It lives outside server/ and
// client/ because both load it (client/ may use server/ only for types); the message types are protocol.ts.
import type { TrainerMessage } from './protocol';

/** The trainer's message channel: the fourth stdio entry of the spawned process. */
export const MESSAGE_FD = 3;
/** Set (to MESSAGE_FD) by the driver that opened the channel. */
export const MESSAGE_FD_ENV = 'SKIPCHECK_MESSAGE_FD';
/** stdio for spawning the trainer: stdin commands, stdout/stderr the user's log, fd 3 messages. */
export const TRAINER_STDIO = ['pipe', 'pipe', 'pipe', 'pipe'] as const;

const isNum = (v: unknown) => typeof v === 'number';
const isStr = (v: unknown) => typeof v === 'string';
const isObj = (v: unknown) => typeof v === 'object' && v !== null;
const REQUIRED: Record<TrainerMessage['type'], (m: Record<string, unknown>) => boolean> = {
  start: (m) => isStr(m.runDir) && isStr(m.backend) && Array.isArray(m.attempts) && isObj(m.config) && isObj(m.dataset) &&
    isObj(m.model) && Array.isArray((m.model as { layers?: unknown }).layers),
  batch: (m) => isNum(m.epoch) && isNum(m.batch) && isNum(m.batches) && isNum(m.loss),
  epoch: (m) => isNum(m.epoch) && isNum(m.epochs) && isNum(m.loss) && isNum(m.samplesPerSec) && isNum(m.seconds),
  std: (m) => isNum(m.epoch) && Array.isArray(m.layers) && Array.isArray(m.blocks),
  warning: (m) => isStr(m.message),
  execution: (m) => isStr(m.mode) && isStr(m.message),
  end: (m) => isStr(m.reason) && isStr(m.runDir) && isNum(m.seconds),
  error: (m) => isStr(m.message) && isStr(m.code),
};

/**
 * Whether a parsed JSON value is a message every reader can use as typed: the fields they read are there.
 * Old or damaged metrics.jsonl files (e.g. `{"type":"std","epoch":1}`) hold lines that are not.
 */
export function isTrainerMessage(value: unknown): value is TrainerMessage {
  if (!isObj(value)) return false;
  const check = REQUIRED[(value as { type?: unknown }).type as TrainerMessage['type']];
  return typeof check === 'function' && Object.prototype.hasOwnProperty.call(REQUIRED, (value as { type: string }).type) && check(value as Record<string, unknown>);
}
