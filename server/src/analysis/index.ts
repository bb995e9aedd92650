// Public surface of the analysis core. Hosts import only from here.
export * from './types';
export { RULES, RULE_IDS, docsAnchor, type RuleMeta } from './rules/registry';
export { analyze, ensureFixesVerified, verifyStep } from './analyze';
export { applyEdits, preferredEdits } from './fixes/apply';
export { fixesSettled } from './fixes/verify';
export { disableFileEdit, disableNextLineEdit } from './suppress';
// How the analysis resolves imports, for hosts that keep an import graph of their own (the language server).
export { candidatePaths, isTfjsSpecifier } from './interp/modules';
