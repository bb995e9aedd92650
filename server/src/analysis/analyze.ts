import type { AnalysisHost, AnalysisResult, AnalyzeOptions } from './types';

// Placeholder while the interpreter lands: returns an empty, well-formed result.
export function analyze(file: string, text: string, _host?: AnalysisHost, _options?: AnalyzeOptions): AnalysisResult {
  return { file, findings: [], models: [], sites: [], entries: [], notes: [], usesTfjs: /@tensorflow\/tfjs/.test(text) };
}
