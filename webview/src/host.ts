// Where the view gets its messages from: the VS Code extension (acquireVsCodeApi exists) or, in a plain
// page such as report.html, a <script type="application/json" id="skipcheck-data"> element.
import type { HistoryRun, PanelCommand, TrainerMessage } from '../../contract/panel';

export interface VsCodeApi {
  postMessage(message: PanelCommand): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Injected by VS Code into webviews; may be called only once per page.
  function acquireVsCodeApi(): VsCodeApi;
}

export function vsCodeApi(): VsCodeApi | undefined {
  return typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
}

export interface EmbeddedData { messages: TrainerMessage[]; history?: HistoryRun[]; variants?: HistoryRun[] }

export const dataElementId = 'skipcheck-data';

/** Accepts either a bare message array or `{messages, history}`. */
export function readEmbeddedData(doc: Document): EmbeddedData | undefined {
  const text = doc.getElementById(dataElementId)?.textContent;
  if (!text) return undefined;
  const data: unknown = JSON.parse(text);
  if (Array.isArray(data)) return { messages: data as TrainerMessage[] };
  if (typeof data === 'object' && data !== null && Array.isArray((data as EmbeddedData).messages)) return data as EmbeddedData;
  throw new Error(`#${dataElementId} must hold a JSON array of trainer messages or {"messages": [...], "history": [...]}`);
}

/** Calls `fn` at most every `ms`, always delivering the latest value. */
export function throttle<T>(ms: number, fn: (value: T) => void): (value: T) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: T;
  return (value: T) => {
    latest = value;
    timer ??= setTimeout(() => {
      timer = undefined;
      fn(latest);
    }, ms);
  };
}
