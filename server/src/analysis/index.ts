// Public surface of the analysis core. Hosts import only from here.
export * from './types';
export { analyze, ensureFixesVerified } from './analyze';
export { applyEdits, preferredEdits } from './fixes/apply';
// How the analysis resolves imports, for hosts that keep an import graph of their own (the language server).
export { candidatePaths, isTfjsSpecifier } from './interp/modules';
