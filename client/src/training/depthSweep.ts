// The depth sweep's questions: whether the builder has a depth parameter (the language server reads its
// signature, so the TypeScript compiler stays out of the extension host) and which depths to train.
import * as vscode from 'vscode';
import type { DepthParam } from '../../../contract/depthArgs';

export const depthSweepCommand = 'skipcheck.depthSweep';

export type DepthParamProvider = (text: string, entry: string) => Promise<DepthParam | null>;
let provider: DepthParamProvider | undefined;

export function setDepthParamProvider(p: DepthParamProvider | undefined): void { provider = p; }

export async function depthParamOf(text: string, entry: string): Promise<DepthParam | undefined> {
  try {
    return (await provider?.(text, entry)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** "20, 56" → [20, 56]; undefined with a reason for anything else. */
export function parseDepths(input: string): number[] | string {
  const parts = input.split(/[\s,]+/).filter(Boolean);
  const depths = parts.map(Number);
  if (!parts.length) return 'give at least one depth, e.g. 20, 56';
  const bad = parts.find((_p, i) => !Number.isInteger(depths[i]) || depths[i] < 1);
  if (bad !== undefined) return `"${bad}" is not a positive whole number`;
  return [...new Set(depths)];
}

/** He et al. train 20 and 56 (Fig. 6); the user may pick other values, e.g. smaller ones on a slow machine. */
export async function askDepths(param: DepthParam, entry: string): Promise<number[] | undefined> {
  const answer = await vscode.window.showInputBox({
    title: `Depth sweep of ${entry}: each depth is trained with its plain twin`,
    prompt: `Values of ${param.name} to train, separated by commas (He et al. Fig. 6 uses 20 and 56)`,
    value: '20, 56',
    validateInput: (v) => { const d = parseDepths(v); return typeof d === 'string' ? d : undefined; },
  });
  if (answer === undefined) return undefined;
  const d = parseDepths(answer);
  return typeof d === 'string' ? undefined : d;
}
