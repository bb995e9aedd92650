// Public surface of the analysis core. Hosts import only from here.
export * from './types';
export { analyze } from './analyze';
export { applyEdits, preferredEdits } from './fixes/apply';
export { ensureFixesVerified, fixesSettled, verifyStep } from './fixes/verify';
export { disableFileEdit, disableNextLineEdit } from './suppress';
