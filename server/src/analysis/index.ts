// Public surface of the analysis core. Hosts import only from here.
export * from './types';
export { analyze, ensureFixesVerified } from './analyze';
export { applyEdits, preferredEdits } from './fixes/apply';
